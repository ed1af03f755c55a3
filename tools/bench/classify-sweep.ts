// Trains one text-classifier configuration on SpamAssassin bodies (headers stripped) with the packages'
// public APIs and prints one JSON line: test accuracy and training time. Used to choose rnnkit-classify's
// default model.  npx tsx tools/bench/classify-sweep.ts --model bigru --hidden 64 --pooling mean
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, useBackend } from '@rnnkit/tensor-core';
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

import { parseBenchArgs } from './cli-args.js';
import { required } from './checked.js';

const a = parseBenchArgs({
  name: 'classify-sweep',
  summary: 'Trains one text-classifier configuration on SpamAssassin and prints test accuracy and time.',
  options: {
    model: {
      kind: 'choice',
      choices: ['simple-rnn', 'lstm', 'gru', 'bilstm', 'bigru'],
      default: 'bigru',
      description: 'recurrent layer',
    },
    vocab: { kind: 'int', default: 20000, min: 2, description: 'tokenizer words (numWords)' },
    embedding: { kind: 'int', default: 64, min: 1, description: 'embedding size' },
    hidden: { kind: 'int', default: 64, min: 1, description: 'hidden units' },
    pooling: {
      kind: 'choice',
      choices: ['last', 'mean'],
      default: 'mean',
      description: 'last state or mean over time',
    },
    dropout: {
      kind: 'number',
      default: 0.2,
      min: 0,
      below: 1,
      description: 'dropout rate before the Dense (0: none)',
    },
    'max-length': { kind: 'int', default: 500, min: 1, description: 'tokens kept per body' },
    truncating: {
      kind: 'choice',
      choices: ['pre', 'post'],
      default: 'post',
      description: 'which end is cut',
    },
    epochs: { kind: 'int', default: 10, min: 1, description: 'maximum epochs' },
    patience: { kind: 'int', default: 2, min: 0, description: 'early-stopping patience (0: none)' },
    optimizer: { kind: 'choice', choices: ['adam', 'rmsprop'], default: 'adam', description: 'optimizer' },
    batch: { kind: 'int', default: 128, min: 1, description: 'batch size' },
    backend: { kind: 'choice', choices: BACKEND_NAMES, default: 'wasm', description: 'backend' },
    threads: { kind: 'int', default: 0, min: 0, description: 'wasm threads (0: the library default)' },
    seed: { kind: 'int', default: 1, min: 0, description: 'seed of the weights and the validation split' },
  },
});
await useBackend(a.backend);
if (a.threads > 0) setWasmThreads(a.threads);
const data = await loadSpamAssassin();
// The OOV id (1) stands in for an empty body: masked recurrent layers need one real step per row.
const tokenizer = new Tokenizer({ numWords: a.vocab, oovToken: '<oov>' });
tokenizer.fitOnTexts(data.train.map((e) => e.text));
const encode = (texts: string[]) =>
  padSequences(
    tokenizer.textsToSequences(texts).map((ids) => (ids.length > 0 ? ids : [1])),
    { maxLength: a['max-length'], truncating: a.truncating },
  );
const xTrain = encode([...data.train, ...data.validation].map((e) => e.text));
const yTrain = [...data.train, ...data.validation].map((e) => e.label);
const xTest = encode(data.test.map((e) => e.text));
const yTest = data.test.map((e) => e.label);

const seed = a.seed;
const mean = a.pooling === 'mean';
const cell = a.model.replace(/^bi/, '');
const Layer = cell === 'lstm' ? LSTM : cell === 'gru' ? GRU : SimpleRNN;
const recurrent = new Layer({
  hiddenSize: a.hidden,
  bidirectional: a.model.startsWith('bi'),
  returnSequences: mean,
  seed: seed + 1,
});
const layers: Array<Layer | RecurrentLayerLike> = [
  new Embedding({
    inputDim: a.vocab,
    outputDim: a.embedding,
    maskZero: mean || a.model !== 'simple-rnn',
    seed,
  }),
  recurrent,
];
if (mean) layers.push(new GlobalAveragePooling1D());
if (a.dropout > 0) layers.push(new Dropout({ rate: a.dropout, seed: seed + 2 }));
layers.push(new Dense({ units: 1, activation: 'sigmoid', seed: seed + 3 }));
const model = new Sequential(layers);
model.compile({
  optimizer: a.optimizer,
  loss: 'binary_crossentropy',
  metrics: ['acc'],
});
const started = Date.now();
const callbacks =
  a.patience > 0 ? [new EarlyStopping({ patience: a.patience, restoreBestWeights: true })] : [];
const history = await model.fit(xTrain, yTrain, {
  epochs: a.epochs,
  batchSize: a.batch,
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
    test_errors: Math.round((1 - required(test.acc, 'test accuracy')) * yTest.length),
    test_count: yTest.length,
    val_acc: history.history.val_acc,
    load: (await import('node:os')).loadavg()[0],
    tensors: tf.memory().numTensors,
  }),
);
