import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { recoverDirectory, writeDirectoryAtomically } from './atomic_directory.js';

describe('writeDirectoryAtomically', () => {
  let base = '';
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'rnnkit-atomic-'));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('creates, replaces and keeps entries it does not name', async () => {
    const dir = join(base, 'model');
    await writeDirectoryAtomically(dir, { 'a.json': '{"v":1}', 'b.bin': Uint8Array.of(1, 2) });
    await mkdir(join(dir, 'checkpoints'));
    await writeFile(join(dir, 'checkpoints', 'x'), 'x');
    await writeDirectoryAtomically(dir, { 'a.json': '{"v":2}' });
    expect((await readdir(dir)).sort()).toEqual(['a.json', 'b.bin', 'checkpoints']);
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('{"v":2}');
    await writeDirectoryAtomically(dir, { 'a.json': '{"v":3}' }, { carryOver: false });
    expect(await readdir(dir)).toEqual(['a.json']);
    expect(await readdir(base)).toEqual(['model']);
  });

  it('puts back the old directory when a crash left it renamed aside', async () => {
    const dir = join(base, 'model');
    await mkdir(join(base, '.model.previous-1-a'));
    await writeFile(join(base, '.model.previous-1-a', 'a.json'), 'old');
    await mkdir(join(base, '.model.staging-1-a'));
    await writeFile(join(base, '.model.staging-1-a', 'a.json'), 'half-written');
    await recoverDirectory(dir);
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('old');
    expect(await readdir(base)).toEqual(['model']);
  });

  it('moves entries carried into an abandoned staging directory back', async () => {
    const dir = join(base, 'model');
    await mkdir(dir);
    await writeFile(join(dir, 'a.json'), 'old');
    const staging = join(base, '.model.staging-9-z');
    await mkdir(join(staging, 'checkpoints'), { recursive: true });
    await writeFile(join(staging, '.carried-over'), 'checkpoints\nnotes.txt\n');
    await writeFile(join(dir, 'notes.txt'), 'not moved yet');
    await writeDirectoryAtomically(dir, { 'a.json': 'new' });
    expect((await readdir(dir)).sort()).toEqual(['a.json', 'checkpoints', 'notes.txt']);
    expect(await readdir(base)).toEqual(['model']);
  });

  it('rejects file names that leave the directory', async () => {
    await expect(writeDirectoryAtomically(join(base, 'm'), { '../x': 'no' })).rejects.toThrow(
      'file name "../x" must be a plain name inside the directory',
    );
  });
});
