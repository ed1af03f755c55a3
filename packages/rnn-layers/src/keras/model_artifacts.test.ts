import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import { writeSafetensors } from '@rnnkit/tensor-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { LSTM } from '../recurrent/lstm.js';
import { SimpleRNN } from '../recurrent/simple_rnn.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { GlobalAveragePooling1D } from './global_average_pooling_1d.js';
import { Sequential } from './sequential.js';

const X = [
  [1, 2, 3, 4],
  [5, 6, 7, 0],
  [9, 8, 7, 6],
];

function seedModel(): Sequential {
  return new Sequential([
    new Embedding({ inputDim: 10, outputDim: 6, seed: 1, maskZero: true }),
    new SimpleRNN({ hiddenSize: 5, seed: 2, returnSequences: true }),
    new LSTM({ hiddenSize: 4, seed: 3 }),
    new Dense({ units: 1, activation: 'sigmoid', seed: 4 }),
  ]);
}

describeWithBackends('save and load', () => {
  it('round-trips a trained model through toArtifacts/fromArtifacts with identical predictions', async () => {
    const model = seedModel();
    model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['acc'], clipNorm: 2 });
    await model.fit(X, [1, 0, 1], { epochs: 2, batchSize: 2, verbose: 0, seed: 1 });
    const expected = await model.predict(X);
    const artifacts = await model.toArtifacts();
    // through JSON text, as a browser would store it
    const loaded = Sequential.fromArtifacts({
      config: JSON.parse(JSON.stringify(artifacts.config)),
      weights: artifacts.weights,
    });
    const got = await loaded.predict(X);
    expect(Array.from(await got.data())).toEqual(Array.from(await expected.data()));
    expect(loaded.layers.map((l) => l.name)).toEqual(['embedding', 'simple_rnn', 'lstm', 'dense']);
    expect(loaded.compileConfig()).toEqual({
      optimizer: 'rmsprop',
      loss: 'binary_crossentropy',
      metrics: ['acc'],
      clipNorm: 2,
    });
    expect(Object.keys(artifacts.config.weights)).toContain('simple_rnn.weight_ih_l0');
    // the loaded model trains on
    await loaded.fit(X, [1, 0, 1], { epochs: 1, verbose: 0 });
    tf.dispose([expected, got]);
    model.dispose();
    loaded.dispose();
  });

  it('saves to a directory atomically and loads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnnkit-save-'));
    try {
      const model = new Sequential([
        new Embedding({ inputDim: 10, outputDim: 3, seed: 5 }),
        new GlobalAveragePooling1D(),
        new Dense({ units: 2, activation: 'softmax', seed: 6 }),
      ]);
      const expected = await model.predict(X);
      await model.save(join(dir, 'm'));
      expect((await readdir(join(dir, 'm'))).sort()).toEqual(['config.json', 'model.safetensors']); // no temp files left
      await model.save(join(dir, 'm')); // overwriting is fine
      const loaded = await Sequential.load(join(dir, 'm'));
      const got = await loaded.predict(X);
      expect(Array.from(await got.data())).toEqual(Array.from(await expected.data()));
      expect(loaded.compileConfig()).toBeNull();
      tf.dispose([expected, got]);
      model.dispose();
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('load errors', () => {
  it('names what is wrong with the config or the weights', async () => {
    const model = new Sequential([
      new Embedding({ inputDim: 10, outputDim: 3, seed: 5 }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 2, seed: 6 }),
    ]);
    await expect(model.toArtifacts()).rejects.toThrow(/not built yet/);
    model.build([null, 4]);
    const { config, weights } = await model.toArtifacts();
    const before = tf.memory().numTensors;
    expect(() =>
      Sequential.fromArtifacts({ config: { ...config, format: 'keras' as never }, weights }),
    ).toThrow(/config.format must be 'rnnkit-sequential', got "keras"/);
    expect(() => Sequential.fromArtifacts({ config: { ...config, formatVersion: 9 }, weights })).toThrow(
      /config.formatVersion 9 is not supported/,
    );
    expect(() =>
      Sequential.fromArtifacts({
        config: { ...config, layers: [{ className: 'Conv1D', config: {} }] },
        weights,
      }),
    ).toThrow(/config.layers\[0\].className 'Conv1D' is not a known layer/);
    expect(() => Sequential.fromArtifacts({ config, weights: new Uint8Array([1, 2, 3]) })).toThrow(
      /artifacts.weights is not a valid safetensors file/,
    );
    const wrongShape = { ...config, weights: { ...config.weights, 'dense.kernel': [3, 5] } };
    expect(() => Sequential.fromArtifacts({ config: wrongShape, weights })).toThrow(
      /weight 'dense.kernel' has shape \[3, 2\] in the weights file but \[3, 5\] in config.weights/,
    );
    const t = tf.zeros([10, 3]);
    const other = await writeSafetensors({ 'embedding.embeddings': t });
    t.dispose();
    expect(() => Sequential.fromArtifacts({ config, weights: other })).toThrow(
      /weight 'dense.kernel' \(shape \[3, 2\]\) listed in config.weights is missing from the weights file/,
    );
    // a config whose layer disagrees with its own weights list: the layer's error names the weight
    const lying = {
      ...config,
      layers: config.layers.map((l) =>
        l.className === 'Embedding' ? { ...l, config: { ...l.config, outputDim: 4 } } : l,
      ),
    };
    expect(() => Sequential.fromArtifacts({ config: lying, weights })).toThrow(
      /Embedding 'embedding'.setWeights: weight 'embeddings' has shape \[10, 3\], expected \[10, 4\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
    const dir = await mkdtemp(join(tmpdir(), 'rnnkit-load-'));
    try {
      await expect(Sequential.load(join(dir, 'absent'))).rejects.toThrow(
        /loadModel: cannot read .*config.json \(no such file/,
      );
      await model.save(dir);
      await writeFile(join(dir, 'config.json'), '{"format": ');
      await expect(Sequential.load(dir)).rejects.toThrow(/config.json is not valid JSON/);
      await writeFile(join(dir, 'config.json'), JSON.stringify(config));
      await rm(join(dir, 'model.safetensors'));
      await expect(Sequential.load(dir)).rejects.toThrow(/cannot read .*model.safetensors/);
      expect((await readFile(join(dir, 'config.json'), 'utf8')).length).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    model.dispose();
  });
});

describe('fromArtifacts on a bad config', () => {
  it('disposes the layers it built before the failing one', async () => {
    const model = seedModel();
    model.build([null, 4]);
    const artifacts = await model.toArtifacts();
    model.dispose();
    const broken = structuredClone(artifacts.config);
    broken.layers[2] = { className: 'NoSuchLayer', config: {} };
    const before = tf.memory().numTensors;
    expect(() => Sequential.fromArtifacts({ config: broken, weights: artifacts.weights })).toThrow(
      /NoSuchLayer/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('checkSequentialConfig', () => {
  it('names each malformed field instead of failing inside the loader', async () => {
    const model = seedModel();
    model.build([null, 4]);
    const artifacts = await model.toArtifacts();
    model.dispose();
    const load = (edit: (c: Record<string, unknown>) => void) => {
      const config = structuredClone(artifacts.config) as unknown as Record<string, unknown>;
      edit(config);
      return () => Sequential.fromArtifacts({ config: config as never, weights: artifacts.weights });
    };
    expect(
      load((c) => {
        (c.weights as Record<string, unknown>)['dense.bias'] = 1;
      }),
    ).toThrow("config.weights['dense.bias'] must be a shape (an array of non-negative integers), got 1");
    expect(
      load((c) => {
        c.inputShape = [null, '4'];
      }),
    ).toThrow('config.inputShape must be null or an array of positive integers and nulls, got [null, "4"]');
    expect(
      load((c) => {
        (c.layers as unknown[])[1] = 7;
      }),
    ).toThrow('config.layers[1] must be {className, config}, got 7');
    expect(
      load((c) => {
        c.name = 3;
      }),
    ).toThrow('config.name must be a string, got 3');
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(
      load((c) => {
        c.layers = [{ className: 'Dense', config: { units: deep } }];
      }),
    ).toThrow(/Dense: options.units must be .*\[\[\[\[…\]\]\]\]|units/);
  });
});
