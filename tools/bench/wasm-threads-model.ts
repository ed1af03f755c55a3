// A/B of the wasm helper threads on bench:rnn's whole model (recurrent layer → Dense(1, sigmoid);
// a training step is forward + binary cross-entropy + backward + RMSprop, inference is the forward
// pass), alternated step by step in one process so that both see the same host load: separate
// processes on this 2-vCPU host differ by more than the effect on small cells.
//   npx tsx tools/bench/wasm-threads-model.ts --cell rnn --batch 32 --time 100 --input 32 --hidden 128 --runs 21
// Prints one JSON line: median and fastest step (ms) with the helper threads and on the calling thread alone.
import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@rnnkit/tensor-core';

import * as layers from '../../packages/rnn-layers/src/index.js';
import { meanLoss } from '../../packages/rnn-layers/src/internal.js';
import {
  helperThreads,
  setMinParallelWork,
} from '../../packages/rnn-layers/src/ops/wasm/wasm_helper_threads.js';
import { alternatingRuns, summary, round, type Timings } from './alternating-runs.js';
import { parseBenchArgs, recurrenceOptions, recurrenceRecord, recurrenceShape } from './cli-args.js';
import { loadavg1, required } from './checked.js';

const args = parseBenchArgs({
  name: 'wasm-threads-model',
  summary: "A/B of the wasm helper threads on bench:rnn's whole model, alternated step by step.",
  options: {
    ...recurrenceOptions,
    threads: { kind: 'optional-int', min: 0, description: "setWasmThreads (default: the library's)" },
  },
});
const shape = recurrenceShape(args);
const { cell, B, T, I, H, warmup, runs } = shape;
await useBackend('wasm');
if (args.threads !== undefined) layers.setWasmThreads(args.threads);
const x = tf.randomNormal([B, T, I], 0, 1, 'float32', 1);
const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([B, 1], 0, 1, 'float32', 2), 0.5), 'float32'));
const Cell = { lstm: layers.LSTM, gru: layers.GRU, rnn: layers.SimpleRNN }[cell];
const rnn = new Cell({ inputSize: I, hiddenSize: H, seed: 1 });
const dense = new layers.Dense({ units: 1, activation: 'sigmoid', seed: 2, inputDim: H });
const variables = [...rnn.parameters(), ...dense.namedWeights().map(([, v]) => v)];
const optimizer = layers.rmsprop(0.001, 0.9, 0, 1e-7);

async function train(): Promise<void> {
  const loss = required(
    optimizer.minimize(
      () => meanLoss(layers.binaryCrossentropy(y, dense.apply(rnn.apply(x)))),
      true,
      variables,
    ),
    'the cost optimizer.minimize returns',
  );
  await loss.data();
  loss.dispose();
}
async function infer(): Promise<void> {
  const out = tf.tidy(() => dense.apply(rnn.apply(x)));
  await out.data();
  out.dispose();
}
const variants = {
  helper_threads: () => setMinParallelWork(),
  one_thread: () => setMinParallelWork(Infinity),
};
await train(); // the helpers start on the first call that can use them
await helperThreads()?.started();
const loadBefore = loadavg1();
const before = tf.memory().numTensors;
let times: Timings<keyof typeof variants, 'train' | 'infer'>;
try {
  times = await alternatingRuns(variants, { train, infer }, { warmup, runs });
} finally {
  setMinParallelWork();
}
console.log(
  JSON.stringify({
    bench: 'wasm-threads-model',
    backend: 'wasm',
    ...recurrenceRecord(shape),
    threads: layers.wasmThreads(),
    ...Object.fromEntries(
      Object.entries(times).map(([name, t]) => [
        name,
        { train_ms: summary(t.train), infer_ms: summary(t.infer) },
      ]),
    ),
    leaked_tensors: tf.memory().numTensors - before,
    loadavg_1m: [round(loadBefore), round(loadavg1())],
    cpus: os.cpus().length,
  }),
);
optimizer.dispose();
rnn.dispose();
dense.dispose();
tf.dispose([x, y]);
