// Trains one text-classifier configuration on SpamAssassin bodies (headers stripped) with the packages'
// public APIs and prints one JSON line: test accuracy and training time. Used to choose rnnkit-classify's
// default model.  npx tsx tools/bench/classify-sweep.ts --model bigru --hidden 64 --pooling mean
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@rnnkit/tensor-core';
import { loadSpamAssassin } from '@rnnkit/datasets';
import { Tokenizer, padSequences } from '@rnnkit/tokenizers';
import {
  Dense,
  Dropout,
  EarlyStopping,
  Embedding,
  GlobalAveragePooling1D,
  GRU,
  LSTM,
  Sequential,
  SimpleRNN,
  setWasmThreads,
  type Layer,
  type RecurrentLayerLike,
} from '@rnnkit/rnn-layers';

const { values: a } = parseArgs({
  options: {
    model: { type: 'string', default: 'bigru' },
    vocab: { type: 'string', default: '20000' },
    embedding: { type: 'string', default: '64' },
    hidden: { type: 'string', default: '64' },
    pooling: { type: 'string', default: 'mean' },
    dropout: { type: 'string', default: '0.2' },
    'max-length': { type: 'string', default: '500' },
    truncating: { type: 'string', default: 'post' },
    epochs: { type: 'string', default: '10' },
    patience: { type: 'string', default: '2' },
    optimizer: { type: 'string', default: 'adam' },
    batch: { type: 'string', default: '128' },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
  },
  strict: true,
});
const num = (name: keyof typeof a): number => {
  const v = Number(a[name]);
  if (!Number.isFinite(v)) throw new Error(`--${name} must be a number, got ${a[name]}`);
  return v;
};
if (!['simple-rnn', 'lstm', 'gru', 'bilstm', 'bigru'].includes(a.model!))
  throw new Error(`--model: unknown ${a.model}`);
if (a.pooling !== 'last' && a.pooling !== 'mean') throw new Error('--pooling must be last or mean');

await useBackend(a.backend);
if (num('threads') > 0) setWasmThreads(num('threads'));
const data = await loadSpamAssassin();
// The OOV id (1) stands in for an empty body: masked recurrent layers need one real step per row.
const tokenizer = new Tokenizer({ numWords: num('vocab'), oovToken: '<oov>' });
tokenizer.fitOnTexts(data.train.map((e) => e.text));
const encode = (texts: string[]) =>
  padSequences(
    tokenizer.textsToSequences(texts).map((ids) => (ids.length > 0 ? ids : [1])),
    { maxLength: num('max-length'), truncating: a.truncating as 'pre' | 'post' },
  );
const xTrain = encode([...data.train, ...data.validation].map((e) => e.text));
const yTrain = [...data.train, ...data.validation].map((e) => e.label);
const xTest = encode(data.test.map((e) => e.text));
const yTest = data.test.map((e) => e.label);

const seed = num('seed');
const mean = a.pooling === 'mean';
const cell = a.model!.replace(/^bi/, '');
const Layer = cell === 'lstm' ? LSTM : cell === 'gru' ? GRU : SimpleRNN;
const recurrent = new Layer({
  hiddenSize: num('hidden'),
  bidirectional: a.model!.startsWith('bi'),
  returnSequences: mean,
  seed: seed + 1,
});
const layers: Array<Layer | RecurrentLayerLike> = [
  new Embedding({
    inputDim: num('vocab'),
    outputDim: num('embedding'),
    maskZero: mean || a.model !== 'simple-rnn',
    seed,
  }),
  recurrent,
];
if (mean) layers.push(new GlobalAveragePooling1D());
if (num('dropout') > 0) layers.push(new Dropout({ rate: num('dropout'), seed: seed + 2 }));
layers.push(new Dense({ units: 1, activation: 'sigmoid', seed: seed + 3 }));
const model = new Sequential(layers);
model.compile({
  optimizer: a.optimizer as 'adam' | 'rmsprop',
  loss: 'binary_crossentropy',
  metrics: ['acc'],
});
const started = Date.now();
const callbacks =
  num('patience') > 0 ? [new EarlyStopping({ patience: num('patience'), restoreBestWeights: true })] : [];
const history = await model.fit(xTrain, yTrain, {
  epochs: num('epochs'),
  batchSize: num('batch'),
  validationSplit: 0.1,
  seed,
  callbacks,
  verbose: 2,
});
const trainSeconds = (Date.now() - started) / 1000;
const test = await model.evaluate(xTest, yTest, { batchSize: 256 });
console.log(
  JSON.stringify({
    bench: 'classify-sweep',
    ...a,
    train_seconds: trainSeconds,
    epochs_run: history.epoch.length,
    test_acc: test.acc,
    test_loss: test.loss,
    test_errors: Math.round((1 - test.acc!) * yTest.length),
    test_count: yTest.length,
    val_acc: history.history.val_acc,
    load: (await import('node:os')).loadavg()[0],
    tensors: tf.memory().numTensors,
  }),
);
