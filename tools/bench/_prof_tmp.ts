import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@rnnkit/tensor-core';
import * as lib from '../../packages/rnn-layers/src/index.js';
await useBackend('wasm');
const cell = process.argv[2] ?? 'lstm';
const Cell = { lstm: lib.LSTM, gru: lib.GRU, rnn: lib.SimpleRNN }[cell]!;
const rnn = new Cell({ inputSize: 32, hiddenSize: 128, numLayers: 1, seed: 1 });
const dense = new lib.Dense({ units: 1, activation: 'sigmoid', seed: 2, inputDim: 128 });
const x = tf.randomNormal([32, 100, 32], 0, 1, 'float32', 1) as tf.Tensor3D;
const y = tf.ones([32, 1]);
const variables = [...rnn.parameters(), ...dense.namedWeights().map(([, v]) => v)];
const optimizer = lib.rmsprop(0.001, 0.9, 0, 1e-7);
const t: number[] = [];
for (let i = 0; i < 40; i++) { const s = performance.now(); const loss = optimizer.minimize(() => lib.meanLoss(lib.binaryCrossentropy(y, dense.apply(rnn.apply(x)))), true, variables)!; await loss.data(); loss.dispose(); t.push(performance.now() - s); }
t.sort((a, b) => a - b); console.log(cell, 'train min', t[0]!.toFixed(2), 'med', t[20]!.toFixed(2));
