// Before/after for the WGSL recurrences: one layer-direction of LSTM/GRU/RNN on webgpu, the fused
// kernels (one dispatch per step, hand-written BPTT) against the tfjs-core reference composition,
// in the same run. Forward = recurrentSequence (reading back hN only); train = gradients of
// sum(output * r) w.r.t. the weights; forward_and_bptt = gradient w.r.t. h0 only (the recurrence
// kernels without the weight-gradient matmuls); kernels = the forward and BPTT kernels alone, each
// called directly and timed to the read of a small output (so a fixed cost per call shows up apart
// from the cost per step: compare --time 50, 100, 200), with the GPU time of each kernel's pass from
// timestamp queries where the device has them. --reference no skips the tfjs-core composition.
//   npx tsx tools/bench/webgpu-recurrence.ts --cell lstm --batch 32 --time 100 --input 32 --hidden 128
// Prints one JSON line; medians over --runs after --warmup.
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, describeBackend, useBackend } from '@rnnkit/tensor-core';

import { installNodeWebGpu } from './node-webgpu.js';

import { inputProjection } from '../../packages/rnn-layers/src/ops/input_projection.js';
import {
  GRU_RECURRENCE,
  GRU_RECURRENCE_GRAD,
  LSTM_RECURRENCE,
  LSTM_RECURRENCE_GRAD,
  RNN_RECURRENCE,
  RNN_RECURRENCE_GRAD,
} from '../../packages/rnn-layers/src/ops/kernel_names.js';
import { recurrentSequence } from '../../packages/rnn-layers/src/ops/recurrent_sequence.js';
import { registerRnnLayersKernels } from '../../packages/rnn-layers/src/ops/register_rnn_layers_kernels.js';
import {
  startRecurrencePassTiming,
  stopRecurrencePassTiming,
} from '../../packages/rnn-layers/src/ops/webgpu/recurrence_pass_timing.js';
import { parseBenchArgs, recurrenceOptions, recurrenceShape, referenceOption } from './cli-args.js';
import { round, timedRuns } from './alternating-runs.js';
import { forwardPass, recurrenceProblem, trainingPass } from './recurrence-problem.js';
import { at, required, upperMedian } from './checked.js';

const args = parseBenchArgs({
  name: 'webgpu-recurrence',
  summary: "rnnkit's fused recurrence kernels vs the tfjs-core reference composition on one backend.",
  options: {
    ...recurrenceOptions,
    backend: {
      kind: 'choice',
      choices: BACKEND_NAMES,
      default: 'webgpu',
      description: 'backend to run on',
    },
    ...referenceOption,
  },
});
const { cell, kind, B, T, I, H, G, warmup, runs } = recurrenceShape(args);

const backendName = args.backend;
if (backendName === 'webgpu') await installNodeWebGpu();
await useBackend(backendName);
registerRnnLayersKernels();
const problem = recurrenceProblem({ kind, B, T, I, H, G }, 'zeros');
const { x, weights: w, h0, c0, r } = problem;

/** Median wall milliseconds. */
async function median(fn: () => Promise<void>): Promise<number> {
  return round(upperMedian((await timedRuns(fn, { warmup, runs })).wall));
}

async function measure(implementation: 'fused' | 'reference') {
  const forward = await median(() => forwardPass(problem, implementation, 'hN'));
  const train = await median(() => trainingPass(problem, implementation));
  // Gradients w.r.t. h0 alone: the forward and BPTT kernels without the weight-gradient matmuls.
  const bptt = await median(async () => {
    const [g] = tf.grads(
      (h: tf.Tensor) =>
        tf.sum(tf.mul(recurrentSequence(kind, x, w, h, c0, { implementation }).output, r)) as tf.Scalar,
    )([h0]);
    if (!g) throw new Error('tf.grads returned no gradient for h0');
    await g.data();
    g.dispose();
  });
  return { forward_ms: forward, forward_and_bptt_ms: bptt, train_ms: train };
}

/** The fused forward and BPTT kernels alone, straight through runKernel. */
async function measureKernels() {
  registerRnnLayersKernels();
  const [forwardName, gradName] =
    cell === 'lstm'
      ? [LSTM_RECURRENCE, LSTM_RECURRENCE_GRAD]
      : cell === 'gru'
        ? [GRU_RECURRENCE, GRU_RECURRENCE_GRAD]
        : [RNN_RECURRENCE, RNN_RECURRENCE_GRAD];
  const attrs = { lengths: [], reverse: false, ...(cell === 'rnn' ? { activation: 'tanh' } : {}) };
  const xp = inputProjection(kind, x, w, true);
  const inputs: tf.NamedTensorMap = {
    xp,
    weightHh: w.weightHh,
    h0,
    ...(c0 ? { c0 } : {}),
    ...(cell === 'gru' ? { biasHh: w.biasHh } : {}),
  };
  const run = (name: string, named: tf.NamedTensorMap) =>
    tf.engine().runKernel(name, named, attrs) as tf.Tensor[];
  const forward = await median(async () => {
    const outs = run(forwardName, inputs);
    await at(outs, 1, 'recurrence outputs').data(); // hN
    tf.dispose(outs);
  });
  const outs = run(forwardName, inputs);
  const [y, hN] = outs as [tf.Tensor, tf.Tensor];
  const gradInputs: tf.NamedTensorMap = { dy: r, dhN: tf.zerosLike(hN), weightHh: w.weightHh, y, h0 };
  if (cell === 'lstm')
    Object.assign(gradInputs, {
      dcN: tf.zerosLike(hN),
      c0: required(c0, 'c0 of the lstm'),
      gates: at(outs, 3, 'lstm recurrence outputs'),
      cells: at(outs, 4, 'lstm recurrence outputs'),
    });
  if (cell === 'gru') gradInputs['workspace'] = at(outs, 2, 'gru recurrence outputs');
  const bptt = await median(async () => {
    const grads = run(gradName, gradInputs);
    await at(grads, grads.length - (cell === 'lstm' ? 2 : 1), 'recurrence gradients').data(); // dh0
    tf.dispose(grads);
  });
  // One more call of each with timestamp queries: GPU time of the pass against the wall time above.
  startRecurrencePassTiming();
  const timedForward = run(forwardName, inputs);
  const timedBptt = run(gradName, gradInputs);
  await Promise.all([...timedForward, ...timedBptt].map((t) => t.data()));
  const passes = await stopRecurrencePassTiming();
  tf.dispose([...timedForward, ...timedBptt]);
  tf.dispose([xp, ...outs, gradInputs['dhN'] ?? [], gradInputs['dcN'] ?? []]);
  const gpu = (kind: string) => passes.find((p) => p.pass.endsWith(kind))?.gpuMs ?? null;
  return {
    forward_kernel_ms: forward,
    bptt_kernel_ms: bptt,
    forward_pass_gpu_ms: gpu('forward'),
    bptt_pass_gpu_ms: gpu('backward'),
  };
}

const info = await describeBackend();
const kernels = await measureKernels();
const fused = await measure('fused');
const reference = args.reference === 'no' ? null : await measure('reference');
console.log(
  JSON.stringify({
    bench: 'webgpu-recurrence',
    backend: info.name,
    adapter: info.adapter,
    cell,
    batch: B,
    time: T,
    input: I,
    hidden: H,
    kernels,
    fused,
    reference,
  }),
);
process.exit(0);
