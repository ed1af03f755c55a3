// Before/after for the WGSL recurrences: one layer-direction of LSTM/GRU/RNN on webgpu, the fused
// kernels (one dispatch per step, hand-written BPTT) against the tfjs-core reference composition,
// in the same run. Forward = recurrentSequence (reading back hN only); train = gradients of
// sum(output * r) w.r.t. the weights; forward_and_bptt = gradient w.r.t. h0 only (the recurrence
// kernels without the weight-gradient matmuls).
//   npx tsx tools/bench/webgpu-recurrence.ts --cell lstm --batch 32 --time 100 --input 32 --hidden 128
// Prints one JSON line; medians over --runs after --warmup.
import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, randomUniform, SeededRandom, useBackend } from '@rnnkit/tensor-core';

import { installNodeWebGpu } from './node-webgpu.js';

import { recurrentSequence } from '../../packages/rnn-layers/src/ops/recurrent_sequence.js';
import { registerWebGpuRecurrenceKernels } from '../../packages/rnn-layers/src/ops/webgpu/register_webgpu_kernels.js';
import { parseRecurrenceBenchArgs } from './recurrence-bench-args.js';

const { args, cell, kind, B, T, I, H, G, warmup, runs } = parseRecurrenceBenchArgs(process.argv.slice(2));

const backendName = args.get('backend') ?? 'webgpu';
if (backendName === 'webgpu') await installNodeWebGpu();
await useBackend(backendName);
registerWebGpuRecurrenceKernels();
const rng = new SeededRandom(1);
const x = randomUniform([T, B, I], -1, 1, rng);
const k = 1 / Math.sqrt(H);
const w = { weightIh: randomUniform([G, I], -k, k, rng), weightHh: randomUniform([G, H], -k, k, rng), biasIh: randomUniform([G], -k, k, rng), biasHh: randomUniform([G], -k, k, rng) };
const h0 = tf.zeros([B, H]);
const c0 = cell === 'lstm' ? tf.zeros([B, H]) : undefined;
const r = randomUniform([T, B, H], -1, 1, rng);

async function median(fn: () => Promise<void>): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[times.length >> 1]! * 100) / 100;
}

async function measure(implementation: 'fused' | 'reference') {
  const forward = await median(async () => {
    const out = recurrentSequence(kind, x, w, h0, c0, { implementation });
    await out.hN.data();
    tf.dispose([out.output, out.hN, out.cN ?? []]);
  });
  const params = [w.weightIh, w.weightHh, w.biasIh, w.biasHh];
  const train = await median(async () => {
    const grads = tf.grads((wi: tf.Tensor, wh: tf.Tensor, bi: tf.Tensor, bh: tf.Tensor) =>
      tf.sum(tf.mul(recurrentSequence(kind, x, { weightIh: wi, weightHh: wh, biasIh: bi, biasHh: bh }, h0, c0, { implementation }).output, r)) as tf.Scalar)(params);
    await Promise.all(grads.map((g) => g.data()));
    tf.dispose(grads);
  });
  // Gradients w.r.t. h0 alone: the forward and BPTT kernels without the weight-gradient matmuls.
  const bptt = await median(async () => {
    const [g] = tf.grads((h: tf.Tensor) => tf.sum(tf.mul(recurrentSequence(kind, x, w, h, c0, { implementation }).output, r)) as tf.Scalar)([h0]);
    await g!.data();
    g!.dispose();
  });
  return { forward_ms: forward, forward_and_bptt_ms: bptt, train_ms: train };
}

const info = await describeBackend();
const fused = await measure('fused');
const reference = await measure('reference');
console.log(JSON.stringify({ bench: 'webgpu-recurrence', backend: info.name, adapter: info.adapter, cell, batch: B, time: T, input: I, hidden: H, fused, reference }));
process.exit(0);
