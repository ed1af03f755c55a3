// Speed of @rnnkit/seq2seq's CTC decoders on one utterance of synthetic acoustic-model output
// (default: 100 frames = 1 s of 10 ms frames, 30 classes: blank, space, a-z, apostrophe, period):
//   greedy        ctcGreedyDecode (the floor every beam search is compared with)
//   beam          ctcPrefixBeamSearch, no scorer
//   beam+char5    ctcPrefixBeamSearch with a character 5-gram scorer (NGramLanguageModel, Kneser-Ney)
//   pyctcdecode   with --pyctcdecode DIR: kensho-technologies/pyctcdecode run from its source folder by
//                 /usr/bin/python3 (needs numpy and pygtrie), no LM, beam and token pruning as above
//   npx tsx tools/bench/ctc-decode.ts [--frames 100] [--beam 16] [--order 5] [--noise 1] [--runs 21]
// Prints JSON lines: the median over --runs after --warmup untimed runs, and ms per second of audio
// (frames / 100). The LM is trained on this repository's Apache-2.0 licence text, and the utterance is a
// span of that text aligned to the frames with seeded jitter, so the LM helps as it would on real speech.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { SeededRandom } from '@rnnkit/tensor-core';

import { ctcGreedyDecode, ctcPrefixBeamSearch } from '../../packages/seq2seq/src/decoders/index.js';
import type { CtcBeamSearchOptions } from '../../packages/seq2seq/src/decoders/index.js';
import { NGramLanguageModel } from '../../packages/seq2seq/src/lm/ngram_language_model.js';
import { at, loadavg1, median } from './checked.js';
import { parseBenchArgs } from './cli-args.js';

const args = parseBenchArgs({
  name: 'bench:ctc-decode',
  summary: 'Speed of CTC greedy and prefix beam search decoding, with and without a char 5-gram scorer.',
  options: {
    frames: { kind: 'int', default: 100, min: 1, description: 'frames of the utterance (100 = 1 s)' },
    beam: { kind: 'int', default: 16, min: 1, description: 'beam size' },
    order: { kind: 'int', default: 5, min: 1, description: 'order of the char n-gram scorer' },
    noise: { kind: 'number', default: 1, min: 0, description: 'std of the logit noise (higher: less peaky)' },
    prune: { kind: 'number', default: -10, below: 0.000001, description: 'pruneLogProb' },
    warmup: { kind: 'int', default: 5, min: 0, description: 'untimed runs first' },
    runs: { kind: 'int', default: 21, min: 1, description: 'timed runs (median)' },
    seed: { kind: 'int', default: 1, description: 'seed of the synthetic frames' },
    pyctcdecode: {
      kind: 'string',
      placeholder: 'dir',
      description: 'also time pyctcdecode (no LM) from this source folder, with /usr/bin/python3',
    },
  },
});

const LABELS = ['_', ' ', ...'abcdefghijklmnopqrstuvwxyz', "'", '.'];
const C = LABELS.length;

function emit(record: Record<string, unknown>): void {
  console.log(
    JSON.stringify({
      bench: 'ctc-decode',
      ...record,
      loadavg1: Number(loadavg1().toFixed(2)),
      cpus: os.cpus().length,
      node: process.version,
    }),
  );
}

/** The licence text in the labels' alphabet, one sentence per entry. */
function corpus(): string[] {
  const path = fileURLToPath(new URL('../../packages/seq2seq/LICENSE', import.meta.url));
  return readFileSync(path, 'utf8')
    .toLowerCase()
    .replace(/[^a-z'. ]+/g, ' ')
    .split('.')
    .map((s) => s.replace(/ +/g, ' ').trim())
    .filter((s) => s.length > 10);
}

/**
 * Log-softmax frames [T, 1, C] for `text`: each character gets 1-3 frames, blanks fill the rest; logits
 * are seeded normal noise plus a margin of 4 on the frame's true class.
 */
function synthesize(text: string, T: number, random: SeededRandom): { data: Float32Array; spoken: string } {
  const path: number[] = [];
  let spoken = '';
  for (const ch of text) {
    if (path.length >= T) break;
    spoken += ch;
    const label = LABELS.indexOf(ch);
    const repeat = 1 + (random.nextUint32() % 3);
    for (let i = 0; i < repeat; i++) path.push(label);
    path.push(0);
  }
  while (path.length < T) path.push(0);
  const out = new Float32Array(T * C);
  for (let t = 0; t < T; t++) {
    const logits = Array.from(
      { length: C },
      (_, c) => args.noise * random.nextNormal() + (c === path[t] ? 4 : 0),
    );
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
    logits.forEach((v, c) => (out[t * C + c] = v - lse));
  }
  return { data: out, spoken };
}

function time(fn: () => unknown): number {
  for (let i = 0; i < args.warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < args.runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const sentences = corpus();
const random = new SeededRandom(args.seed);
const utterance = at(sentences, random.nextUint32() % sentences.length, 'sentences');
const T = args.frames;
const { data, spoken } = synthesize(utterance, T, random);
const logProbs = { data, shape: [T, 1, C] };
const scorer = NGramLanguageModel.train(sentences, { order: args.order, unit: 'char' });
const audioSeconds = T / 100;

const cases: Array<[string, CtcBeamSearchOptions | null]> = [
  ['greedy', null],
  ['beam', { beamSize: args.beam, pruneLogProb: args.prune, labels: LABELS }],
  [
    `beam+char${args.order}`,
    { beamSize: args.beam, pruneLogProb: args.prune, labels: LABELS, scorer, alpha: 0.5, beta: 0.5 },
  ],
];
for (const [name, options] of cases) {
  const run = () => (options ? ctcPrefixBeamSearch(logProbs, undefined, options) : ctcGreedyDecode(logProbs));
  const ms = time(run);
  const text = options ? ctcPrefixBeamSearch(logProbs, undefined, options)[0]?.[0]?.text : undefined;
  emit({
    case: name,
    ...(name.includes('char') ? { lm: `NGramLanguageModel char ${args.order}-gram, Kneser-Ney` } : {}),
    frames: T,
    classes: C,
    beam: options ? args.beam : 1,
    prune: options ? args.prune : null,
    median_ms: Number(ms.toFixed(3)),
    ms_per_audio_second: Number((ms / audioSeconds).toFixed(3)),
    real_time_factor: Number((ms / 1000 / audioSeconds).toFixed(5)),
    runs: args.runs,
    ...(text !== undefined ? { text } : {}),
  });
}
emit({ case: 'reference', text: spoken });

// pyctcdecode's BeamSearchDecoderCTC.decode on the same frames: its token_min_logp is pruneLogProb;
// labels as ours with the blank as '' (its convention).
const PYCTCDECODE = `
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np
from pyctcdecode import build_ctcdecoder
spec = json.load(sys.stdin)
decoder = build_ctcdecoder([''] + spec['labels'][1:])
frames = np.array(spec['data'], dtype=np.float32).reshape(spec['T'], spec['C'])
run = lambda: decoder.decode(frames, beam_width=spec['beam'], token_min_logp=spec['prune'])
for _ in range(spec['warmup']):
    run()
times = []
for _ in range(spec['runs']):
    start = time.perf_counter()
    run()
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({'median_ms': float(np.median(times)), 'text': run()}))
`;
if (args.pyctcdecode !== undefined) {
  const input = JSON.stringify({
    labels: LABELS,
    data: Array.from(data),
    T,
    C,
    beam: args.beam,
    prune: args.prune,
    warmup: args.warmup,
    runs: args.runs,
  });
  const run = spawnSync('/usr/bin/python3', ['-c', PYCTCDECODE, args.pyctcdecode], {
    input,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    emit({
      case: 'pyctcdecode',
      error: `/usr/bin/python3 failed (exit ${run.status}): ${run.stderr.trim().slice(-400)}`,
    });
  } else {
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
      median_ms: number;
      text: string;
    };
    emit({
      case: 'pyctcdecode',
      impl: 'pyctcdecode BeamSearchDecoderCTC.decode (Python, no LM)',
      frames: T,
      classes: C,
      beam: args.beam,
      prune: args.prune,
      median_ms: Number(result.median_ms.toFixed(3)),
      ms_per_audio_second: Number((result.median_ms / audioSeconds).toFixed(3)),
      runs: args.runs,
      text: result.text,
    });
  }
}
