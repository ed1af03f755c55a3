// Keras seed model, threads on/off by alternating epochs (ad hoc, not committed).
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, SeededRandom } from '@rnnkit/tensor-core';
import * as lib from '../../packages/rnn-layers/src/index.js';
import { helperThreads } from '../../packages/rnn-layers/src/ops/wasm/wasm_helper_threads.js';
await useBackend('wasm');
const rng = new SeededRandom(3);
const N = 1024, T = 500;
const x = Array.from({ length: N }, () => Array.from({ length: T }, () => 1 + rng.nextInt(9999)));
const y = Array.from({ length: N }, () => rng.nextInt(2));
const model = new lib.Sequential([
  new lib.Embedding({ inputDim: 10000, outputDim: 32, seed: 1 }),
  new lib.SimpleRNN({ hiddenSize: 32, seed: 2 }),
  new lib.Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
]);
model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['acc'] });
const xt = tf.tensor2d(x, [N, T], 'int32');
const yt = tf.tensor1d(y);
const med = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1]!;
const res: Record<string, { batch: number[]; predict: number[] }> = { '1': { batch: [], predict: [] }, '2': { batch: [], predict: [] } };
for (let e = 0; e < 12; e++) {
  const threads = e % 2 === 0 ? 2 : 1;
  lib.setWasmThreads(threads);
  await helperThreads()?.started();
  const times: number[] = [];
  let t = performance.now();
  await model.fit(xt, yt, { epochs: 1, batchSize: 128, verbose: 0, callbacks: { onBatchEnd: async () => { const n = performance.now(); times.push(n - t); t = n; } } });
  const p0 = performance.now();
  const out = await model.predict(xt); await out.data(); out.dispose();
  const pt = performance.now() - p0;
  if (e >= 2) { res[threads]!.batch.push(med(times)); res[threads]!.predict.push(pt); }
}
console.log(JSON.stringify({ bench: 'seed-model-threads', one_thread: { batch_ms: med(res['1']!.batch), predict_ms: med(res['1']!.predict) }, two_threads: { batch_ms: med(res['2']!.batch), predict_ms: med(res['2']!.predict) }, raw: res }));
