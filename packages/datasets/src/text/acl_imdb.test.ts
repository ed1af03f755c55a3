import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadAclImdb, streamAclImdb } from './acl_imdb.js';

const root = fileURLToPath(new URL('../__fixtures__/aclImdb', import.meta.url));

describe('loadAclImdb', () => {
  it('reads train/test pos/neg in a stable order with labels, ratings and ids', async () => {
    const data = await loadAclImdb(root);
    expect(data.train.map((r) => [r.id, r.label, r.rating])).toEqual([
      ['train/neg/1_1', 0, 1],
      ['train/neg/3_4', 0, 4],
      ['train/pos/0_9', 1, 9],
      ['train/pos/2_10', 1, 10],
      ['train/pos/10_7', 1, 7],
    ]);
    expect(data.test.map((r) => r.id)).toEqual(['test/neg/0_2', 'test/neg/5_3', 'test/pos/0_8']);
    expect(data.train[2]!.text).toBe('A wonderful film.<br /><br />Loved it.');
    expect(data.unsup).toEqual([]);
  });

  it('optionally reads unsup and replaces <br /> tags', async () => {
    const data = await loadAclImdb(root, { includeUnsup: true, replaceBreakTags: true });
    expect(data.unsup).toEqual([
      { id: 'unsup/unsup/0_0', text: 'I watched this on a plane.', label: null, rating: 0 },
    ]);
    expect(data.train[2]!.text).toBe('A wonderful film.  Loved it.');
  });

  it('streams a split file by file', async () => {
    const ids: string[] = [];
    for await (const r of streamAclImdb(root, 'test')) ids.push(r.id);
    expect(ids).toEqual(['test/neg/0_2', 'test/neg/5_3', 'test/pos/0_8']);
  });

  it('names the missing folder and the badly named file', async () => {
    await expect(loadAclImdb('/nonexistent/aclImdb')).rejects.toThrow(
      /loadAclImdb: \/nonexistent\/aclImdb is not a directory/,
    );
    const copy = mkdtempSync(join(tmpdir(), 'rnnkit-aclimdb-'));
    try {
      cpSync(root, copy, { recursive: true });
      rmSync(join(copy, 'test', 'neg'), { recursive: true });
      await expect(loadAclImdb(copy)).rejects.toThrow(
        /folder .*test\/neg not found; expected the Stanford aclImdb layout/,
      );
      cpSync(join(root, 'test', 'neg'), join(copy, 'test', 'neg'), { recursive: true });
      writeFileSync(join(copy, 'train', 'pos', 'review.txt'), 'x');
      await expect(loadAclImdb(copy)).rejects.toThrow(
        /train\/pos\/review\.txt: review file name must be '<n>_<rating>\.txt'/,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
