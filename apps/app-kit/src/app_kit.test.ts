import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import {
  Dense,
  Dropout,
  EarlyStopping,
  Embedding,
  KerasAdam,
  Sequential,
  SimpleRNN,
} from '@rnnkit/rnn-layers';
import { afterAll, describe, expect, it } from 'vitest';

import {
  UsageError,
  addCommonOptions,
  confusionMatrixSpec,
  integerArgument,
  loadCheckpoint,
  openModelDirectory,
  renderChart,
  runProgram,
  saveCheckpoint,
  trainingCurvesSpec,
  writeModelDirectory,
} from './index.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'app-kit-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function tinyModel(): Sequential {
  const model = new Sequential([
    new Embedding({ inputDim: 5, outputDim: 2, seed: 1 }),
    new SimpleRNN({ hiddenSize: 2, seed: 2 }),
    new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
  ]);
  model.build([null, 3]);
  return model;
}

describe('runProgram', () => {
  const program = (action: (o: Record<string, unknown>) => void) => {
    const p = new Command('tool');
    addCommonOptions(p.command('run').option('--epochs <n>', 'epochs', integerArgument(1), 1)).action((o) =>
      action(o),
    );
    return p;
  };
  it('maps ok, usage errors, commander errors and failures to 0, 2, 2, 1', async () => {
    const err: string[] = [];
    const write = (t: string) => {
      err.push(t);
    };
    expect(
      await runProgram(
        program(() => {}),
        ['run', '--epochs', '3'],
        write,
      ),
    ).toBe(0);
    expect(
      await runProgram(
        program(() => {
          throw new UsageError('bad file x.csv');
        }),
        ['run'],
        write,
      ),
    ).toBe(2);
    expect(err.join('')).toContain('bad file x.csv');
    expect(
      await runProgram(
        program(() => {}),
        ['run', '--bogus'],
        write,
      ),
    ).toBe(2);
    expect(err.join('')).toContain("unknown option '--bogus'");
    expect(
      await runProgram(
        program(() => {}),
        ['run', '--epochs', '0'],
        write,
      ),
    ).toBe(2);
    expect(err.join('')).toContain('expected a whole number >= 1');
    expect(
      await runProgram(
        program(() => {
          throw new Error('boom');
        }),
        ['run'],
        write,
      ),
    ).toBe(1);
    expect(
      await runProgram(
        program(() => {}),
        ['run', '--help'],
        () => {},
      ),
    ).toBe(0);
  });
});

describe('model directory', () => {
  it('round-trips and names what is wrong with a bad directory', async () => {
    const dir = join(await tempDir(), 'model');
    const model = tinyModel();
    await writeModelDirectory(dir, 'rnnkit-test', model, { labels: ['a', 'b'] }, { 'notes.txt': 'hi' });
    const opened = await openModelDirectory<{ labels: string[] }>(dir, 'rnnkit-test');
    expect(opened.config.labels).toEqual(['a', 'b']);
    expect(opened.config.rnnkitVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(await opened.readText('notes.txt')).toBe('hi');
    expect(Array.from(await opened.readBytes('notes.txt'))).toEqual([104, 105]);
    const loaded = await opened.loadNetwork();
    expect(Array.from(await (await loaded.predict([[1, 2, 3]])).data())).toEqual(
      Array.from(await (await model.predict([[1, 2, 3]])).data()),
    );
    await expect(openModelDirectory(dir, 'rnnkit-other')).rejects.toThrow(
      /written by rnnkit-test, not rnnkit-other/,
    );
    await expect(openModelDirectory(join(dir, 'nope'), 'rnnkit-test')).rejects.toThrow(/no such directory/);
    await truncate(join(dir, 'weights.safetensors'), 40);
    await expect((await openModelDirectory(dir, 'rnnkit-test')).loadNetwork()).rejects.toThrow(UsageError);
    await writeFile(join(dir, 'config.json'), '{"app": ');
    await expect(openModelDirectory(dir, 'rnnkit-test')).rejects.toThrow(/config.json is not valid JSON/);
  });
});

describe('checkpoints', () => {
  it('restore the network and the optimizer slots', async () => {
    const dir = await tempDir();
    const model = tinyModel();
    const optimizer = new KerasAdam(0.01);
    model.compile({ optimizer, loss: 'binary_crossentropy' });
    await model.fit(
      [
        [1, 2, 3],
        [3, 4, 1],
      ],
      [0, 1],
      { epochs: 2, verbose: 0, seed: 1 },
    );
    await saveCheckpoint(dir, model, optimizer, {
      app: 'rnnkit-test',
      epoch: 2,
      run: { lr: 0.01 },
      history: { loss: [1, 0.5] },
    });
    const loaded = await loadCheckpoint<{ lr: number }>(dir, 'rnnkit-test');
    expect(loaded.state.epoch).toBe(2);
    expect(loaded.state.run.lr).toBe(0.01);
    const restored = new KerasAdam(0.01);
    await loaded.restoreOptimizer(restored);
    expect(restored.iterations).toBe(optimizer.iterations);
    const a = await optimizer.getWeights();
    const b = await restored.getWeights();
    for (let i = 1; i < a.length; i++)
      expect(Array.from(await b[i]!.tensor.data())).toEqual(Array.from(await a[i]!.tensor.data()));
    await expect(loadCheckpoint(dir, 'rnnkit-other')).rejects.toThrow(/written by rnnkit-test/);
  });

  it('keep the Dropout streams and early stopping (counters and best weights), and leak no tensor', async () => {
    const dir = await tempDir();
    const model = new Sequential([
      new Embedding({ inputDim: 5, outputDim: 2, seed: 1 }),
      new SimpleRNN({ hiddenSize: 2, seed: 2 }),
      new Dropout({ rate: 0.5, seed: 4 }),
      new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
    ]);
    const optimizer = new KerasAdam(0.01);
    model.compile({ optimizer, loss: 'binary_crossentropy' });
    const stopping = new EarlyStopping({ monitor: 'loss', patience: 5, restoreBestWeights: true });
    let saved = -1;
    let randomAtSave: Record<string, number[]> = {};
    await model.fit(
      [
        [1, 2, 3],
        [3, 4, 1],
        [2, 2, 1],
      ],
      [0, 1, 0],
      {
        epochs: 3,
        verbose: 0,
        seed: 1,
        batchSize: 1,
        callbacks: [
          stopping,
          {
            onEpochEnd: async (epoch) => {
              if (epoch !== 1) return;
              const before = tf.memory().numTensors;
              await saveCheckpoint(
                dir,
                model,
                optimizer,
                { app: 'rnnkit-test', epoch: 2, run: {}, history: {} },
                { earlyStopping: stopping },
              );
              saved = tf.memory().numTensors - before;
              randomAtSave = model.randomState();
            },
          },
        ],
      },
    );
    expect(saved).toBe(0);
    const loaded = await loadCheckpoint(dir, 'rnnkit-test');
    expect(loaded.model.randomState()).toEqual(randomAtSave);
    expect(loaded.model.randomState()).not.toEqual(model.randomState());
    expect(Object.keys(loaded.model.randomState())).toContain('dropout');
    const resumed = new EarlyStopping({ monitor: 'loss', patience: 5, restoreBestWeights: true });
    loaded.restoreEarlyStopping(resumed);
    resumed.onTrainBegin();
    expect(resumed.state().lastEpoch).toBe(1);
    expect(resumed.bestWeightsSnapshot()).not.toBeNull();
    resumed.onTrainEnd();
    loaded.model.dispose();
    await writeFile(join(dir, 'checkpoints', 'best-weights.safetensors'), 'damaged');
    await expect(loadCheckpoint(dir, 'rnnkit-test')).rejects.toThrow(/best-weights.safetensors is damaged/);
    model.dispose();
    optimizer.dispose();
  });
});

describe('charts', () => {
  it('render training curves and a confusion matrix as SVG and PNG', async () => {
    const curves = await renderChart(
      trainingCurvesSpec({ loss: [0.7, 0.5], val_loss: [0.72, 0.6], acc: [0.5, 0.8], val_acc: [0.5, 0.7] }),
    );
    expect(curves.svg).toMatch(/^<svg/);
    expect(curves.svg).toContain('validation');
    expect(Array.from(curves.png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    const cm = await renderChart(
      confusionMatrixSpec(
        [
          [50, 2],
          [3, 40],
        ],
        ['ham', 'spam'],
      ),
    );
    expect(cm.svg).toContain('spam');
    expect(cm.png.byteLength).toBeGreaterThan(1000);
  });
});
