// Before/after for the wasm recurrences' fused step kernels (simd_gates.build.mjs's stepKernel): one
// layer-direction of LSTM/GRU/RNN with the fused steps, and with XNNPACK's step product followed by
// the SIMD gate rows (the path before them), alternated run by run in one process so that both see
// the same host load. Forward = recurrentSequence; train = value and gradients of sum(output * r).
//   npx tsx tools/bench/wasm-fused-steps.ts --cell lstm --batch 32 --time 100 --input 32 --hidden 128 --runs 15
// Prints one JSON line: median and fastest run (ms) of each, and the largest difference between them.
import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';
import { randomUniform, SeededRandom, useBackend } from '@rnnkit/tensor-core';

import { recurrentSequence } from '../../packages/rnn-layers/src/ops/recurrent_sequence.js';
import { registerWasmRecurrenceKernels } from '../../packages/rnn-layers/src/ops/wasm/register_wasm_kernels.js';
import { setFusedStepsEnabled } from '../../packages/rnn-layers/src/ops/wasm/simd_gates.js';
import { parseRecurrenceBenchArgs } from './recurrence-bench-args.js';

const { cell, kind, B, T, I, H, G, warmup, runs } = parseRecurrenceBenchArgs(process.argv.slice(2));
await useBackend('wasm');
registerWasmRecurrenceKernels();

const rng = new SeededRandom(1);
const x = randomUniform([T, B, I], -1, 1, rng);
const k = 1 / Math.sqrt(H);
const params = [randomUniform([G, I], -k, k, rng), randomUniform([G, H], -k, k, rng), randomUniform([G], -k, k, rng), randomUniform([G], -k, k, rng)];
const h0 = randomUniform([B, H], -0.5, 0.5, rng);
const c0 = cell === 'lstm' ? randomUniform([B, H], -0.5, 0.5, rng) : undefined;
const r = randomUniform([T, B, H], -1, 1, rng);
const sequence = (wi: tf.Tensor, wh: tf.Tensor, bi: tf.Tensor, bh: tf.Tensor) =>
  recurrentSequence(kind, x, { weightIh: wi, weightHh: wh, biasIh: bi, biasHh: bh }, h0, c0, { implementation: 'fused' });

async function forward(): Promise<Float32Array> {
  const out = sequence(...(params as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]));
  const values = (await out.output.data()) as Float32Array;
  tf.dispose([out.output, out.hN, out.cN ?? []]);
  return values;
}
async function train(): Promise<Float32Array[]> {
  const grads = tf.grads((wi: tf.Tensor, wh: tf.Tensor, bi: tf.Tensor, bh: tf.Tensor) => tf.sum(tf.mul(sequence(wi, wh, bi, bh).output, r)) as tf.Scalar)(params);
  const values = (await Promise.all(grads.map((g) => g.data()))) as Float32Array[];
  tf.dispose(grads);
  return values;
}

const variants = { fused_steps: true, xnnpack_step_product: false };
const times: Record<string, { forward: number[]; train: number[] }> = { fused_steps: { forward: [], train: [] }, xnnpack_step_product: { forward: [], train: [] } };
const values: Record<string, Float32Array[]> = {};
const loadBefore = os.loadavg()[0]!;
const before = tf.memory().numTensors;
try {
  for (let run = -warmup; run < runs; run++) {
    for (const [name, on] of Object.entries(variants)) {
      setFusedStepsEnabled(on);
      let start = performance.now();
      const out = await forward();
      const forwardMs = performance.now() - start;
      start = performance.now();
      const grads = await train();
      const trainMs = performance.now() - start;
      if (run < 0) {
        values[name] = [out, ...grads];
        continue;
      }
      times[name]!.forward.push(forwardMs);
      times[name]!.train.push(trainMs);
    }
  }
} finally {
  setFusedStepsEnabled(true);
}
const round = (v: number) => Math.round(v * 100) / 100;
const summary = (v: number[]) => {
  const sorted = [...v].sort((a, b) => a - b);
  return { median: round(sorted[sorted.length >> 1]!), fastest: round(sorted[0]!) };
};
let maxDiff = 0;
values['fused_steps']!.forEach((v, i) => v.forEach((e, j) => (maxDiff = Math.max(maxDiff, Math.abs(e - values['xnnpack_step_product']![i]![j]!)))));
console.log(JSON.stringify({
  bench: 'wasm-fused-steps', backend: tf.getBackend(), cell, batch: B, time: T, input: I, hidden: H, runs, warmup,
  ...Object.fromEntries(Object.entries(times).map(([name, t]) => [name, { forward_ms: summary(t.forward), train_ms: summary(t.train) }])),
  max_abs_diff: maxDiff, leaked_tensors: tf.memory().numTensors - before,
  loadavg_1m: [round(loadBefore), round(os.loadavg()[0]!)], cpus: os.cpus().length,
}));
process.exit(0);
