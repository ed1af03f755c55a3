import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@rnnkit/tensor-core';
import { afterAll, describe, expect, it } from 'vitest';

import { Sequential } from './sequential.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { GlobalAveragePooling1D } from './global_average_pooling_1d.js';

// A saver in a process of its own writes models A and B in turn into one directory and is killed at
// seeded moments; after every kill the directory must load as exactly A or exactly B.
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const KILLS = 50;

// ~2 MB of weights, so that a save lasts long enough for kills to land inside it.
const modelSource = `
import { Sequential, Dense, Embedding, GlobalAveragePooling1D } from '@rnnkit/rnn-layers';
export function makeModel(seed) {
  const model = new Sequential([new Embedding({ inputDim: 4000, outputDim: 128, seed }), new GlobalAveragePooling1D(), new Dense({ units: 2, seed: seed + 1 })]);
  model.build([null, 4]);
  return model;
}`;

function makeModel(seed: number): Sequential {
  const model = new Sequential([
    new Embedding({ inputDim: 4000, outputDim: 128, seed }),
    new GlobalAveragePooling1D(),
    new Dense({ units: 2, seed: seed + 1 }),
  ]);
  model.build([null, 4]);
  return model;
}

async function fingerprint(model: Sequential): Promise<string> {
  const parts = await Promise.all(
    model.namedWeights().map(
      async ([name, v]) =>
        `${name}:${Array.from(await v.data())
          .slice(0, 64)
          .join(',')}:${(await tf.sum(v).data())[0]}`,
    ),
  );
  return parts.join('|');
}

describe('Sequential.save under SIGKILL', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`leaves the complete old or the complete new model at ${KILLS} seeded kill points`, async () => {
    dir = await mkdtemp(join(tmpdir(), 'rnnkit-kill-'));
    const target = join(dir, 'model');
    const a = makeModel(1);
    const b = makeModel(2);
    const expected = new Map([
      [await fingerprint(a), 'A'],
      [await fingerprint(b), 'B'],
    ]);
    expect(expected.size).toBe(2);
    await a.save(target);
    const saver = `${modelSource}
const models = [makeModel(1), makeModel(2)];
process.stdout.write('ready\\n');
for (let i = 0; ; i++) await models[i % 2].save(process.argv[1]);`;
    const rng = new SeededRandom(2026);
    const seen = { A: 0, B: 0 };
    for (let k = 0; k < KILLS; k++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', saver, target], {
        cwd: packageDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += String(d);
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`saver exited with ${code} before saving: ${stderr}`)));
      });
      // Each save of this model takes ~15-40 ms here: kill points spread over a few saves.
      await new Promise((resolve) => setTimeout(resolve, rng.nextFloat() * 120));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const loaded = await Sequential.load(target);
      const which = expected.get(await fingerprint(loaded));
      loaded.dispose();
      expect(which, `kill ${k}: the directory holds neither model`).toBeDefined();
      seen[which as 'A' | 'B']++;
    }
    // The kills must have caught the saver writing both models, or the test proves little.
    expect(seen.A).toBeGreaterThan(0);
    expect(seen.B).toBeGreaterThan(0);
    // Nothing is left beside the model once it has been loaded (recovery tidies abandoned copies).
    expect((await readdir(dir)).sort()).toEqual(['model']);
    expect((await readdir(target)).sort()).toEqual(['config.json', 'model.safetensors']);
    a.dispose();
    b.dispose();
  }, 180_000);

  it('refuses weights and a config from different saves', async () => {
    const base = await mkdtemp(join(tmpdir(), 'rnnkit-mixed-'));
    try {
      const one = makeModel(3);
      const two = makeModel(4);
      await one.save(join(base, 'one'));
      await two.save(join(base, 'two'));
      const { copyFile } = await import('node:fs/promises');
      await copyFile(join(base, 'two', 'model.safetensors'), join(base, 'one', 'model.safetensors'));
      await expect(Sequential.load(join(base, 'one'))).rejects.toThrow(
        /model\.safetensors does not belong to .*config\.json \(SHA-256 [0-9a-f]{16}…, the config expects [0-9a-f]{16}…\)/,
      );
      one.dispose();
      two.dispose();
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it('keeps other files of the directory across saves', async () => {
    const base = await mkdtemp(join(tmpdir(), 'rnnkit-keep-'));
    try {
      const { mkdir, writeFile, readFile } = await import('node:fs/promises');
      const model = makeModel(5);
      await model.save(join(base, 'm'));
      await mkdir(join(base, 'm', 'checkpoints'));
      await writeFile(join(base, 'm', 'checkpoints', 'note.txt'), 'kept');
      await model.save(join(base, 'm'));
      expect(await readFile(join(base, 'm', 'checkpoints', 'note.txt'), 'utf8')).toBe('kept');
      expect((await readdir(join(base, 'm'))).sort()).toEqual([
        'checkpoints',
        'config.json',
        'model.safetensors',
      ]);
      model.dispose();
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
