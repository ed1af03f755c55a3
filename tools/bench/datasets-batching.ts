// Padding waste and speed of @rnnkit/datasets batching on real data, baseline in the same run:
//   npx tsx tools/bench/datasets-batching.ts
// - waste: share of padded tensor cells that are padding, for random batches (baseline: shuffle and
//   chunk) vs bucketByLength with pools of 100 batches vs a full length sort; SpamAssassin bodies
//   (whitespace tokens, capped at 400) and en→fr number phrases.
// - time: median ms of bucketByLength vs a plain seeded shuffle+chunk over the same lengths.
// - stream: examples/s reading a generated JSONL file with readJsonl alone (baseline) vs
//   readJsonl → streamBatches(length-bucketed) → prefetch(4).
// Other work shares this machine's 2 cores: timings are indicative only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bucketByLength,
  generateNumberPhrases,
  loadSpamAssassin,
  paddingWaste,
  prefetch,
  readJsonl,
  shuffled,
  streamBatches,
} from '@rnnkit/datasets';
import { upperMedian } from './checked.js';

const median = upperMedian;

function timeMs(fn: () => void, runs = 7): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function randomBatches(n: number, batchSize: number, seed: number): number[][] {
  const order = shuffled(
    Array.from({ length: n }, (_, i) => i),
    seed,
  );
  const out: number[][] = [];
  for (let i = 0; i < n; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}

function report(corpus: string, lengths: number[], batchSize = 32) {
  const cases: [string, number[][]][] = [
    ['random (baseline)', randomBatches(lengths.length, batchSize, 1)],
    ['bucketByLength pool=100', bucketByLength(lengths, { batchSize, seed: 1 })],
    ['bucketByLength pool=10', bucketByLength(lengths, { batchSize, seed: 1, poolSize: 10 })],
    ['full length sort', bucketByLength(lengths, { batchSize, seed: 1, poolSize: Infinity })],
  ];
  for (const [method, batches] of cases) {
    const w = paddingWaste(lengths, batches);
    console.log(
      JSON.stringify({
        bench: 'padding-waste',
        corpus,
        examples: lengths.length,
        batchSize,
        method,
        waste: +w.waste.toFixed(4),
        paddedTokens: w.paddedTokens,
        realTokens: w.realTokens,
      }),
    );
  }
  const base = timeMs(() => randomBatches(lengths.length, batchSize, 1));
  const bucket = timeMs(() => bucketByLength(lengths, { batchSize, seed: 1 }));
  console.log(
    JSON.stringify({
      bench: 'batching-time',
      corpus,
      examples: lengths.length,
      baselineShuffleChunkMs: +base.toFixed(2),
      bucketByLengthMs: +bucket.toFixed(2),
    }),
  );
}

const spam = await loadSpamAssassin({ test: 0, validation: 0 });
report(
  'spam-assassin bodies (tokens<=400)',
  spam.train.map((e) => Math.min(400, e.text.split(/\s+/).filter(Boolean).length)),
);
const numbers = await generateNumberPhrases({
  source: 'en',
  target: 'fr',
  maxNumber: 99_999,
  testSize: 0,
  validationSize: 0,
});
report(
  'number phrases en (tokens)',
  numbers.train.map((p) => p.source.split(' ').length),
);

const dir = mkdtempSync(join(tmpdir(), 'rnnkit-bench-'));
const file = join(dir, 'corpus.jsonl');
const N = 100_000;
writeFileSync(
  file,
  Array.from({ length: N }, (_, i) =>
    JSON.stringify({ id: i, ids: Array.from({ length: 5 + ((i * 7919) % 120) }, (_, j) => (i + j) % 1000) }),
  ).join('\n') + '\n',
);
async function baseline() {
  let n = 0;
  for await (const _ of readJsonl(file)) n++;
  return n;
}
async function streamed() {
  let n = 0;
  const source = (async function* () {
    for await (const { value } of readJsonl(file)) yield value as { ids: number[] };
  })();
  for await (const batch of prefetch(
    streamBatches(source, { batchSize: 64, length: (x) => x.ids.length, seed: 1 }),
    4,
  ))
    n += batch.length;
  return n;
}
for (const [name, fn] of [
  ['readJsonl (baseline)', baseline],
  ['readJsonl+streamBatches+prefetch', streamed],
] as const) {
  await fn();
  const rates: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const n = await fn();
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  console.log(
    JSON.stringify({
      bench: 'stream',
      method: name,
      examples: N,
      examplesPerSecond: Math.round(median(rates)),
    }),
  );
}
rmSync(dir, { recursive: true, force: true });
