// Before/after for the heap-resident wasm recurrences: one layer-direction of LSTM/GRU/RNN on the
// wasm backend, rnnkit's wasm kernels (zero-copy on the wasm heap, XNNPACK step matmul) against the
// plain-JS kernels on the same backend and the tfjs-core reference composition, in the same run.
// Forward = recurrentSequence; train = value and gradients of sum(output * r) w.r.t. all weights.
//   npx tsx tools/bench/wasm-recurrence.ts --cell lstm --batch 32 --time 100 --input 32 --hidden 128
// Prints one JSON line; medians over --runs after --warmup, plus the 1-minute load average (the
// machine is shared) and the largest difference of the fused results from the reference.
import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@rnnkit/tensor-core';

import { jsKernelConfigs } from '../../packages/rnn-layers/src/ops/cpu/js_kernels.js';
import {
  DENSE_LINEAR,
  DENSE_MAT_MUL,
  GRU_RECURRENCE,
  GRU_RECURRENCE_GRAD,
  LSTM_RECURRENCE,
  LSTM_RECURRENCE_GRAD,
  RNN_RECURRENCE,
  RNN_RECURRENCE_GRAD,
} from '../../packages/rnn-layers/src/ops/kernel_names.js';
import { recurrentSequence } from '../../packages/rnn-layers/src/ops/recurrent_sequence.js';
import { wasmKernelConfigs } from '../../packages/rnn-layers/src/ops/wasm/wasm_kernels.js';
import {
  parseBenchArgs,
  recurrenceOptions,
  recurrenceRecord,
  recurrenceShape,
  referenceOption,
} from './cli-args.js';
import { round, timedRuns } from './alternating-runs.js';
import { forwardPass, recurrenceProblem, trainingPass, weightGradients } from './recurrence-problem.js';
import { at, loadavg1, required, upperMedian } from './checked.js';

const args = parseBenchArgs({
  name: 'wasm-recurrence',
  summary: "rnnkit's wasm recurrence kernels vs the plain-JS kernels and the tfjs-core reference.",
  options: { ...recurrenceOptions, ...referenceOption },
});
const shape = recurrenceShape(args);
const { kind, B, T, I, H, G, warmup, runs } = shape;
const skipReference = args.reference === 'no';
const names = [
  LSTM_RECURRENCE,
  LSTM_RECURRENCE_GRAD,
  GRU_RECURRENCE,
  GRU_RECURRENCE_GRAD,
  RNN_RECURRENCE,
  RNN_RECURRENCE_GRAD,
  DENSE_MAT_MUL,
  DENSE_LINEAR,
];

await useBackend('wasm');
// The JS kernels and rnnkit's wasm kernels for the same names, swapped in and out below.
const configsOf = (configs: readonly tf.KernelConfig[]): tf.KernelConfig[] =>
  names.map((n) =>
    required(
      configs.find((c) => c.kernelName === n),
      `kernel ${n}`,
    ),
  );
const jsKernels = configsOf(jsKernelConfigs('wasm'));
const wasmKernels = configsOf(wasmKernelConfigs);
function use(set: tf.KernelConfig[]): void {
  for (const name of names) if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
  for (const k of set) tf.registerKernel(k);
}

const problem = recurrenceProblem({ kind, B, T, I, H, G }, 'random');
const { x, weights: w, h0, c0 } = problem;

/** Median wall and CPU (user + system of this single-threaded process) milliseconds. */
async function median(fn: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const { wall, cpu } = await timedRuns(fn, { warmup, runs });
  return { wall: round(upperMedian(wall)), cpu: round(upperMedian(cpu)) };
}

async function measure(implementation: 'fused' | 'reference') {
  const forward = await median(() => forwardPass(problem, implementation, 'output'));
  const train = await median(() => trainingPass(problem, implementation));
  return {
    forward_ms: forward.wall,
    train_ms: train.wall,
    forward_cpu_ms: forward.cpu,
    train_cpu_ms: train.cpu,
  };
}

async function results(implementation: 'fused' | 'reference'): Promise<Float32Array[]> {
  const out = recurrentSequence(kind, x, w, h0, c0, { implementation });
  const grads = weightGradients(problem, implementation);
  const all = [out.output, out.hN, ...(out.cN ? [out.cN] : []), ...grads];
  const values = await Promise.all(all.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(all);
  return values;
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((v, i) => {
    const w = at(b, i, 'results');
    v.forEach((e, j) => (m = Math.max(m, Math.abs(e - at(w, j, 'results')))));
  });
  return m;
}

const loadBefore = loadavg1();
const before = tf.memory().numTensors;
use(wasmKernels);
const wasm = await measure('fused');
const wasmValues = await results('fused');
use(jsKernels); // rnn-layers' own JS kernels (recurrences and matmuls) on wasm
const js = await measure('fused');
const jsValues = await results('fused');
const reference = skipReference ? null : await measure('reference');
const referenceValues = await results('reference');
const leaked = tf.memory().numTensors - before;
console.log(
  JSON.stringify({
    bench: 'wasm-recurrence',
    backend: tf.getBackend(),
    ...recurrenceRecord(shape),
    wasm_kernels: wasm,
    js_kernels: js,
    reference,
    speedup_vs_js_cpu: {
      forward: Math.round((js.forward_cpu_ms / wasm.forward_cpu_ms) * 10) / 10,
      train: Math.round((js.train_cpu_ms / wasm.train_cpu_ms) * 10) / 10,
    },
    max_abs_diff_vs_reference: {
      wasm_kernels: maxDiff(wasmValues, referenceValues),
      js_kernels: maxDiff(jsValues, referenceValues),
    },
    leaked_tensors: leaked,
    loadavg_1m: [Math.round(loadBefore * 100) / 100, Math.round(loadavg1() * 100) / 100],
    cpus: os.cpus().length,
  }),
);
process.exit(0);
