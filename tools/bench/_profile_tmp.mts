import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@rnnkit/tensor-core';
import * as lib from '../../packages/rnn-layers/src/index.js';
import { helperThreads } from '../../packages/rnn-layers/src/ops/wasm/wasm_helper_threads.js';
await useBackend('wasm');
lib.setWasmThreads(Number(process.argv[2] ?? 2));
const cell = process.argv[3] ?? 'lstm';
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
for (let i = 0; i < 8; i++) await step();
await helperThreads()?.started();
const totals = new Map<string, number[]>();
for (let r = 0; r < 7; r++) {
  const t = performance.now();
  const info = await tf.profile(step);
  const wall = performance.now() - t;
  const per = new Map<string, number>();
  for (const k of info.kernels) per.set(k.name, (per.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  per.set('__wall', wall);
  per.set('__sum', info.kernels.reduce((s, k) => s + (k.kernelTimeMs as number), 0));
  per.set('__count', info.kernels.length);
  for (const [k, v] of per) { if (!totals.has(k)) totals.set(k, []); totals.get(k)!.push(v); }
}
const med = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1]!;
for (const [k, v] of [...totals].sort((a, b) => med(b[1]) - med(a[1]))) console.log(k.padEnd(28), med(v).toFixed(2));
