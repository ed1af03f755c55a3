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
import { helperThreads, setMinParallelWork } from '../../packages/rnn-layers/src/ops/wasm/wasm_helper_threads.js';
import { parseRecurrenceBenchArgs } from './recurrence-bench-args.js';

const { args, cell, B, T, I, H, warmup, runs } = parseRecurrenceBenchArgs(process.argv.slice(2));
await useBackend('wasm');
if (args.has('threads')) layers.setWasmThreads(Number(args.get('threads')));
const x = tf.randomNormal([B, T, I], 0, 1, 'float32', 1);
const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([B, 1], 0, 1, 'float32', 2), 0.5), 'float32'));
const Cell = { lstm: layers.LSTM, gru: layers.GRU, rnn: layers.SimpleRNN }[cell];
const rnn = new Cell({ inputSize: I, hiddenSize: H, seed: 1 });
const dense = new layers.Dense({ units: 1, activation: 'sigmoid', seed: 2, inputDim: H });
const variables = [...rnn.parameters(), ...dense.namedWeights().map(([, v]) => v)];
const optimizer = layers.rmsprop(0.001, 0.9, 0, 1e-7);

async function train(): Promise<void> {
  const loss = optimizer.minimize(() => layers.meanLoss(layers.binaryCrossentropy(y, dense.apply(rnn.apply(x)))), true, variables)!;
  await loss.data();
  loss.dispose();
}
async function infer(): Promise<void> {
  const out = tf.tidy(() => dense.apply(rnn.apply(x)));
  await out.data();
  out.dispose();
}
async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const variants = { helper_threads: () => setMinParallelWork(), one_thread: () => setMinParallelWork(Infinity) };
const times: Record<string, { train: number[]; infer: number[] }> = { helper_threads: { train: [], infer: [] }, one_thread: { train: [], infer: [] } };
await train(); // the helpers start on the first call that can use them
await helperThreads()?.started();
const loadBefore = os.loadavg()[0]!;
const before = tf.memory().numTensors;
try {
  for (let run = -warmup; run < runs; run++) {
    for (const [name, use] of Object.entries(variants)) {
      use();
      const trainMs = await timed(train);
      const inferMs = await timed(infer);
      if (run < 0) continue;
      times[name]!.train.push(trainMs);
      times[name]!.infer.push(inferMs);
    }
  }
} finally {
  setMinParallelWork();
}
const round = (v: number) => Math.round(v * 100) / 100;
const summary = (v: number[]) => {
  const sorted = [...v].sort((a, b) => a - b);
  return { median: round(sorted[sorted.length >> 1]!), fastest: round(sorted[0]!) };
};
console.log(JSON.stringify({
  bench: 'wasm-threads-model', backend: 'wasm', cell, batch: B, time: T, input: I, hidden: H, runs, warmup,
  threads: layers.wasmThreads(),
  helper_threads: { train_ms: summary(times.helper_threads!.train), infer_ms: summary(times.helper_threads!.infer) },
  one_thread: { train_ms: summary(times.one_thread!.train), infer_ms: summary(times.one_thread!.infer) },
  leaked_tensors: tf.memory().numTensors - before,
  loadavg_1m: [round(loadBefore), round(os.loadavg()[0]!)], cpus: os.cpus().length,
}));
optimizer.dispose();
rnn.dispose();
dense.dispose();
tf.dispose([x, y]);
