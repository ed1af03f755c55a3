import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { readmeExamples } from './readme_examples.js';

// Every TypeScript/JavaScript block of every README runs as written, as a newcomer would paste it into a
// file: in a folder inside the repository, so `@rnnkit/*` resolve to the workspace packages.
const root = fileURLToPath(new URL('../..', import.meta.url));
const workDir = join(root, 'tools/package-checks/.examples');
const readmes = [
  'README.md',
  'packages/tensor-core/README.md',
  'packages/rnn-layers/README.md',
  'packages/rnn-layers/src/keras/README.md',
  'packages/tokenizers/README.md',
  'packages/audio-features/README.md',
  'packages/datasets/README.md',
  'packages/seq2seq/README.md',
].map((file) => join(root, file));

mkdirSync(workDir, { recursive: true });
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const examples = readmes.flatMap((file) => {
  try {
    return readmeExamples(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
});

describe('README examples', () => {
  it('finds the examples (a broken glob or parser must not pass as "nothing to run")', () => {
    expect(examples.filter((e) => !e.notRunnable).length).toBeGreaterThanOrEqual(15);
    for (const file of readmes.slice(0, 7))
      expect(
        examples.some((e) => e.file === file),
        relative(root, file),
      ).toBe(true);
  });

  for (const example of examples) {
    const where = `${relative(root, example.file)}:${example.line}`;
    if (example.notRunnable) {
      it(`${where} is marked not runnable with a reason`, () =>
        expect(example.notRunnable!.length).toBeGreaterThan(10));
      continue;
    }
    it(`${where} runs`, () => {
      const file = join(
        workDir,
        `${where.replace(/[/:.]/g, '_')}.${example.language === 'ts' ? 'mts' : 'mjs'}`,
      );
      writeFileSync(file, example.code);
      const run = spawnSync(process.execPath, ['--import', 'tsx', file], {
        cwd: workDir,
        encoding: 'utf8',
        // The Keras example trains 10 epochs (~2 min alone on 2 cores): room for a CI machine running two suites.
        timeout: 420_000,
      });
      expect(run.status, `${where} failed:\n${run.stderr.slice(-3000)}`).toBe(0);
    });
  }
});
