// A/B of the wasm recurrences' paths on one layer-direction of LSTM/GRU/RNN, alternated run by run in
// one process so that both see the same host load. Forward = recurrentSequence (no tape: the
// inference kernels); train = value and gradients of sum(output * r) (projection included).
//   --compare fused (default): the fused step kernels (simd_gates.build.mjs's stepKernel) against
//     XNNPACK's step product followed by the SIMD gate rows (the path before them);
//   --compare threads: batch rows split across the helper threads (wasm_helper_threads.ts; the
//     default thread count, or --threads N) against the calling thread alone.
//   npx tsx tools/bench/wasm-fused-steps.ts --cell lstm --batch 32 --time 100 --input 32 --hidden 128 --runs 15
// Prints one JSON line: median and fastest run (ms) of each, and the largest difference between them.
import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@rnnkit/tensor-core';

import { recurrentSequence } from '../../packages/rnn-layers/src/ops/recurrent_sequence.js';
import { registerRnnLayersKernels } from '../../packages/rnn-layers/src/ops/register_rnn_layers_kernels.js';
import { setFusedStepsEnabled } from '../../packages/rnn-layers/src/ops/wasm/simd_gates.js';
import {
  helperThreads,
  setMinParallelWork,
  setWasmThreads,
  wasmThreads,
} from '../../packages/rnn-layers/src/ops/wasm/wasm_helper_threads.js';
import { alternatingRuns, round, summary, type Timings } from './alternating-runs.js';
import { recurrenceProblem, weightGradients } from './recurrence-problem.js';
import { parseBenchArgs, recurrenceOptions, recurrenceRecord, recurrenceShape } from './cli-args.js';
import { at, loadavg1, required } from './checked.js';

const args = parseBenchArgs({
  name: 'wasm-fused-steps',
  summary: "A/B of the wasm recurrences' paths on one layer-direction, alternated run by run.",
  options: {
    ...recurrenceOptions,
    compare: {
      kind: 'choice',
      choices: ['fused', 'threads'],
      default: 'fused',
      description: 'fused step kernels vs XNNPACK + SIMD gates, or helper threads vs the calling thread',
    },
    threads: { kind: 'optional-int', min: 0, description: "setWasmThreads (default: the library's)" },
  },
});
const shape = recurrenceShape(args);
const { kind, B, T, I, H, G, warmup, runs } = shape;
const { compare } = args;
await useBackend('wasm');
registerRnnLayersKernels();
if (args.threads !== undefined) setWasmThreads(args.threads);
if (compare === 'fused')
  setMinParallelWork(Infinity); // one thread: compare the kernels alone
else await helperThreads()?.started();

const problem = recurrenceProblem({ kind, B, T, I, H, G }, 'random');

async function forward(): Promise<Float32Array> {
  const { x, weights, h0, c0 } = problem;
  const out = recurrentSequence(kind, x, weights, h0, c0, { implementation: 'fused' });
  const values = (await out.output.data()) as Float32Array;
  tf.dispose([out.output, out.hN, out.cN ?? []]);
  return values;
}
async function train(): Promise<Float32Array[]> {
  const grads = weightGradients(problem, 'fused');
  const values = (await Promise.all(grads.map((g) => g.data()))) as Float32Array[];
  tf.dispose(grads);
  return values;
}

const variants: Record<string, () => void> =
  compare === 'fused'
    ? {
        fused_steps: () => setFusedStepsEnabled(true),
        xnnpack_step_product: () => setFusedStepsEnabled(false),
      }
    : { helper_threads: () => setMinParallelWork(), one_thread: () => setMinParallelWork(Infinity) };
const [a, b] = Object.keys(variants) as [string, string];
const values: Record<string, Float32Array[]> = {};
const loadBefore = loadavg1();
const before = tf.memory().numTensors;
let times: Timings<string, 'forward' | 'train'>;
try {
  times = await alternatingRuns(variants, { forward, train }, { warmup, runs }, (name, out) => {
    values[name] = [out.forward as Float32Array, ...(out.train as Float32Array[])];
  });
} finally {
  setFusedStepsEnabled(true);
  setMinParallelWork();
}
let maxDiff = 0;
const valuesA = required(values[a], `values of ${a}`);
const valuesB = required(values[b], `values of ${b}`);
valuesA.forEach((v, i) => {
  const w = at(valuesB, i, `values of ${b}`);
  v.forEach((e, j) => (maxDiff = Math.max(maxDiff, Math.abs(e - at(w, j, `values of ${b}`)))));
});
console.log(
  JSON.stringify({
    bench: 'wasm-fused-steps',
    compare,
    backend: tf.getBackend(),
    ...recurrenceRecord(shape),
    threads: compare === 'threads' ? wasmThreads() : 1,
    ...Object.fromEntries(
      Object.entries(times).map(([name, t]) => [
        name,
        { forward_ms: summary(t.forward), train_ms: summary(t.train) },
      ]),
    ),
    max_abs_diff: maxDiff,
    leaked_tensors: tf.memory().numTensors - before,
    loadavg_1m: [round(loadBefore), round(loadavg1())],
    cpus: os.cpus().length,
  }),
);
process.exit(0);
