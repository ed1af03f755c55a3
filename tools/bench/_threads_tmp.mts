import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@rnnkit/tensor-core';
import * as lib from '../../packages/rnn-layers/src/index.js';
import { helperThreads } from '../../packages/rnn-layers/src/ops/wasm/wasm_helper_threads.js';
await useBackend('wasm');
lib.setWasmThreads(2);
const x = tf.randomNormal([32, 100, 32], 0, 1, 'float32', 1);
const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([32, 1], 0, 1, 'float32', 2), 0.5), 'float32'));
const rnn = new lib.LSTM({ inputSize: 32, hiddenSize: 128, seed: 1 });
const dense = new lib.Dense({ units: 1, activation: 'sigmoid', seed: 2, inputDim: 128 });
const variables = [...rnn.parameters(), ...dense.namedWeights().map(([, v]) => v)];
const optimizer = lib.rmsprop(0.001, 0.9, 0, 1e-7);
const step = async () => {
  const loss = optimizer.minimize(() => lib.meanLoss(lib.binaryCrossentropy(y, dense.apply(rnn.apply(x)))), true, variables)!;
  await loss.data(); loss.dispose();
};
await step();
await helperThreads()!.started();
const g = globalThis as unknown as { __tt?: number[] };
for (let i = 0; i < 25; i++) {

  const t = performance.now();
  await step();
  const total = performance.now() - t;
  console.log(total.toFixed(1));
}
