import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors } from '@rnnkit/tensor-core';
import * as cliProgress from 'cli-progress';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { Dense } from './dense.js';
import { EarlyStopping } from './early_stopping.js';
import { Embedding } from './embedding.js';
import { createFitProgress, TerminalProgressBar } from './fit_progress.js';
import { GlobalAveragePooling1D } from './global_average_pooling_1d.js';
import { ModelCheckpoint } from './model_checkpoint.js';
import { Sequential } from './sequential.js';
import { separableTokens } from './__fixtures__/separable_tokens.js';

function model(): Sequential {
  const m = new Sequential([
    new Embedding({ inputDim: 9, outputDim: 4, seed: 1 }),
    new GlobalAveragePooling1D(),
    new Dense({ units: 1, activation: 'sigmoid', seed: 2 }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['acc'] });
  return m;
}

async function weightsOf(m: Sequential): Promise<Record<string, number[]>> {
  return Object.fromEntries(
    await Promise.all(m.namedWeights().map(async ([name, v]) => [name, Array.from(await v.data())] as const)),
  );
}

/** Feeds an EarlyStopping the monitored values of successive epochs, as fit would; returns the epoch it stopped after. */
function stopEpoch(callback: EarlyStopping, values: number[], monitor = 'val_loss'): number {
  const fake = { stopTraining: false, namedWeights: () => [] } as unknown as Sequential;
  callback.setModel(fake);
  callback.onTrainBegin();
  for (let epoch = 0; epoch < values.length; epoch++) {
    callback.onEpochEnd(epoch, { [monitor]: values[epoch]! });
    if (fake.stopTraining) return epoch;
  }
  return -1;
}

describe('EarlyStopping', () => {
  // Expected stops follow Keras 3's EarlyStopping.on_epoch_end (wait += 1, reset on improvement, stop once
  // wait >= patience after the first epoch).
  it('counts epochs without improvement as Keras does', () => {
    expect(stopEpoch(new EarlyStopping({ patience: 2 }), [1, 0.8, 0.9, 0.85, 0.95])).toBe(3);
    expect(stopEpoch(new EarlyStopping({ patience: 0 }), [1, 0.8, 0.9, 0.7])).toBe(2);
    expect(stopEpoch(new EarlyStopping({ patience: 1, minDelta: 0.1 }), [1, 0.95, 0.5])).toBe(1);
    expect(
      stopEpoch(new EarlyStopping({ patience: 1, monitor: 'val_acc' }), [0.5, 0.6, 0.7, 0.8], 'val_acc'),
    ).toBe(-1);
    expect(
      stopEpoch(new EarlyStopping({ patience: 1, monitor: 'val_acc' }), [0.5, 0.6, 0.6], 'val_acc'),
    ).toBe(2);
    expect(stopEpoch(new EarlyStopping({ patience: 2, baseline: 0.5 }), [0.9, 0.8, 0.7])).toBe(1);
    expect(stopEpoch(new EarlyStopping({ patience: 1, startFromEpoch: 2 }), [1, 2, 3, 4, 5])).toBe(3);
  });

  it('rejects bad options and a monitor the logs lack', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(
      'EarlyStopping: patience must be a non-negative integer, got -1',
    );
    expect(() => new EarlyStopping({ restore_best_weights: true } as never)).toThrow(
      'EarlyStopping: unknown option "restore_best_weights" — did you mean "restoreBestWeights"?',
    );
    expect(() => new EarlyStopping({ mode: 'up' as never })).toThrow(
      "EarlyStopping: mode must be 'auto', 'min' or 'max'",
    );
    expect(() => stopEpoch(new EarlyStopping(), [1], 'loss')).toThrow(
      "EarlyStopping: monitor 'val_loss' is not in the epoch logs (they have 'loss'); give fit a validationSplit or validationData",
    );
  });

  it('stops fit and restores the best weights, leaking no tensor', async () => {
    const { x, y } = separableTokens(64, 6, 3);
    const m = model();
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, seed: 1 }); // builds the optimizer's slots
    let atBest: Record<string, number[]> = {};
    // The training loss falls every epoch, so with mode 'max' the first epoch stays the best.
    const stopper = new EarlyStopping({
      monitor: 'loss',
      mode: 'max',
      patience: 2,
      restoreBestWeights: true,
    });
    const leaked = await countLeakedTensors(async () => {
      const history = await m.fit(x, y, {
        epochs: 10,
        batchSize: 16,
        verbose: 0,
        seed: 2,
        callbacks: [
          {
            onEpochEnd: async (epoch) => {
              if (epoch === 0) atBest = await weightsOf(m);
            },
          },
          stopper,
        ],
      });
      expect(history.epoch).toEqual([0, 1, 2]);
    });
    expect(leaked).toBe(0);
    expect(stopper.stoppedEpoch).toBe(2);
    expect(stopper.bestEpoch).toBe(0);
    expect(await weightsOf(m)).toEqual(atBest);
    m.dispose();
  });
});

describe('ModelCheckpoint', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rnnkit-checkpoint-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a loadable model directory per epoch, or only on improvement', async () => {
    const { x, y } = separableTokens(48, 6, 4);
    const m = model();
    const every = new ModelCheckpoint({ path: join(dir, 'epoch-{epoch:02}') });
    const best = new ModelCheckpoint({
      path: join(dir, 'best'),
      monitor: 'loss',
      mode: 'max',
      saveBestOnly: true,
    });
    let afterFirst: Record<string, number[]> = {};
    await m.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      verbose: 0,
      seed: 1,
      callbacks: [
        every,
        best,
        {
          onEpochEnd: async (e) => {
            if (e === 0) afterFirst = await weightsOf(m);
          },
        },
      ],
    });
    expect(every.saved).toEqual(['epoch-01', 'epoch-02', 'epoch-03'].map((name) => join(dir, name)));
    expect(best.saved).toEqual([join(dir, 'best')]);
    const last = await Sequential.load(join(dir, 'epoch-03'));
    expect(await weightsOf(last)).toEqual(await weightsOf(m));
    const first = await Sequential.load(join(dir, 'best'));
    expect(await weightsOf(first)).toEqual(afterFirst);
    tf.dispose([last, first, m].flatMap((model) => model.trainableWeights()));
  });

  it('rejects a path that names a quantity the logs lack, and unknown options', async () => {
    expect(() => new ModelCheckpoint({ path: 'x', save_best_only: true } as never)).toThrow(
      'did you mean "saveBestOnly"?',
    );
    const m = model();
    const { x, y } = separableTokens(8, 6, 1);
    await expect(
      m.fit(x, y, { verbose: 0, callbacks: [new ModelCheckpoint({ path: join(dir, '{val_acc}') })] }),
    ).rejects.toThrow(
      'ModelCheckpoint: path "' +
        join(dir, '{val_acc}') +
        "\" names 'val_acc', which is not in the epoch logs",
    );
    m.dispose();
  });
});

describe('fit progress', () => {
  it('verbose 2 writes one Keras-style line per epoch; verbose 0 nothing', async () => {
    const { x, y } = separableTokens(40, 6, 5);
    const m = model();
    const lines: string[] = [];
    await m.fit(x, y, {
      epochs: 2,
      batchSize: 16,
      validationSplit: 0.2,
      verbose: 2,
      log: (l) => lines.push(l),
      seed: 1,
    });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^Epoch 2\/2 - \d+s - \d+ms\/step - loss: \d\.\d{4} - acc: \d\.\d{4} - val_loss: \d\.\d{4} - val_acc: \d\.\d{4}$/,
    );
    const silent: string[] = [];
    await m.fit(x, y, { epochs: 1, verbose: 0, log: (l) => silent.push(l) });
    expect(silent).toEqual([]);
    m.dispose();
  });

  it('verbose 1 without a terminal writes progress lines with the running means, then the epoch line', async () => {
    const lines: string[] = [];
    const progress = (await createFitProgress({ verbose: 1, log: (l) => lines.push(l), lineIntervalMs: 0 }))!;
    progress.epochBegin(0, 3, 4);
    progress.batchEnd(1, progress.wantsLogs() ? { loss: 0.5, acc: 0.75 } : null);
    progress.batchEnd(2, null);
    progress.epochEnd(0, { loss: 0.25, acc: 1 }, 2);
    expect(lines[0]).toBe('Epoch 1/3');
    expect(lines[1]).toMatch(/^1\/4 - ETA: \d+s - loss: 0\.5000 - acc: 0\.7500$/);
    expect(lines[2]).toBe('4/4 - 2s - 500ms/step - loss: 0.2500 - acc: 1.0000');
    expect(lines).toHaveLength(3);
  });

  it('verbose 1 on a terminal draws a cli-progress bar with ETA and metrics', () => {
    let text = '';
    const stream = Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          text += String(chunk);
          done();
        },
      }),
      {
        isTTY: true,
        columns: 120,
        cursorTo: () => true,
        clearLine: () => true,
        moveCursor: () => true,
      },
    );
    const bar = new TerminalProgressBar(cliProgress, stream);
    bar.epochBegin(0, 1, 10);
    bar.batchEnd(5, { loss: 0.4 });
    bar.epochEnd(0, { loss: 0.3 }, 1);
    expect(text).toContain('Epoch 1/1\n');
    expect(text).toMatch(/5\/10 \[=+\.+\] - ETA: \S+ - loss: 0\.4000/);
    expect(text).toContain('10/10 - 1s - 100ms/step - loss: 0.3000\n');
  });

  it('writes to stderr by default, never stdout', async () => {
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { x, y } = separableTokens(16, 6, 6);
      const m = model();
      await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 2 });
      m.dispose();
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/^Epoch 1\/1 - /);
      expect(out).not.toHaveBeenCalled();
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('calls onBatchBegin and onBatchEnd per batch', async () => {
    const { x, y } = separableTokens(40, 6, 7);
    const m = model();
    const calls: string[] = [];
    await m.fit(x, y, {
      epochs: 1,
      batchSize: 16,
      verbose: 0,
      callbacks: {
        onBatchBegin: (b) => {
          calls.push(`begin ${b}`);
        },
        onBatchEnd: (b, l) => {
          calls.push(`end ${b} ${l.size}`);
        },
      },
    });
    expect(calls).toEqual(['begin 0', 'end 0 16', 'begin 1', 'end 1 16', 'begin 2', 'end 2 8']);
    m.dispose();
  });
});

describe('fit and NaN', () => {
  it('rejects targets that are not finite, naming the sample', async () => {
    const m = model();
    await expect(
      m.fit(
        [
          [1, 2],
          [3, 4],
        ],
        [0, Number.NaN],
        { verbose: 0 },
      ),
    ).rejects.toThrow(
      'fit: y has a value that is not a finite number in sample 1 (flat index 1); targets must be finite',
    );
    m.dispose();
  });

  it('stops with an error once the loss is NaN (TerminateOnNaN), unless turned off', async () => {
    const { x, y } = separableTokens(32, 6, 8);
    const m = new Sequential([
      new Embedding({ inputDim: 9, outputDim: 4, seed: 1 }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 1, seed: 2 }),
    ]);
    m.compile({ optimizer: 'sgd', loss: (t, p) => tf.log(tf.sub(tf.sum(tf.mul(t, p), -1), 1e9)) });
    await expect(m.fit(x, y, { epochs: 3, verbose: 0 })).rejects.toThrow(
      /^fit: the training loss became NaN in epoch 1 \(within its first 32 samples\); .* or pass terminateOnNaN: false$/,
    );
    const history = await m.fit(x, y, { epochs: 2, verbose: 0, terminateOnNaN: false });
    expect(history.history.loss).toEqual([Number.NaN, Number.NaN]);
    expect(() => m.fit(x, y, { terminateOnNaN: 1 } as never)).rejects.toThrow(
      'fit: options.terminateOnNaN must be a boolean, got 1',
    );
    m.dispose();
  });
});
