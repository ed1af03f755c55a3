import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@rnnkit/tensor-core';
import * as lib from '../../packages/rnn-layers/src/index.js';
import { helperThreads, setMinParallelWork } from '../../packages/rnn-layers/src/ops/wasm/wasm_helper_threads.js';
await useBackend('wasm');
const cell = process.argv[2] ?? 'rnn';
const x = tf.randomNormal([32, 100, 32], 0, 1, 'float32', 1);
const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([32, 1], 0, 1, 'float32', 2), 0.5), 'float32'));
const Cell = { lstm: lib.LSTM, gru: lib.GRU, rnn: lib.SimpleRNN }[cell]!;
const rnn = new Cell({ inputSize: 32, hiddenSize: 128, seed: 1 });
const dense = new lib.Dense({ units: 1, activation: 'sigmoid', seed: 2, inputDim: 128 });
const variables = [...rnn.parameters(), ...dense.namedWeights().map(([, v]) => v)];
const optimizer = lib.rmsprop(0.001, 0.9, 0, 1e-7);
const step = async () => {
  const loss = optimizer.minimize(() => lib.meanLoss(lib.binaryCrossentropy(y, dense.apply(rnn.apply(x)))), true, variables)!;
  await loss.data(); loss.dispose();
};
const infer = async () => { const out = tf.tidy(() => dense.apply(rnn.apply(x))); await out.data(); out.dispose(); };
for (let i = 0; i < 6; i++) await step();
await helperThreads()?.started();
const t: Record<string, number[]> = { train1: [], train2: [], infer1: [], infer2: [] };
for (let r = 0; r < 40; r++) {
  const two = r % 2 === 0;
  setMinParallelWork(two ? undefined : Infinity);
  let s = performance.now(); await step(); t[two ? 'train2' : 'train1']!.push(performance.now() - s);
  s = performance.now(); await infer(); t[two ? 'infer2' : 'infer1']!.push(performance.now() - s);
}
const med = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1]!;
console.log(cell, Object.fromEntries(Object.entries(t).map(([k, v]) => [k, +med(v).toFixed(2)])));
