import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonl } from '../io/read_jsonl.js';
import { readLines } from '../io/read_lines.js';
import { paddingWaste } from '@rnnkit/tensor-core';
import { prefetch, streamBatches } from './stream_batches.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnkit-datasets-stream-'));
const corpus = join(dir, 'corpus.jsonl');
const N = 2000;
writeFileSync(
  corpus,
  Array.from({ length: N }, (_, i) =>
    JSON.stringify({ id: i, tokens: Array.from({ length: 1 + ((i * 37) % 97) }, () => i % 10) }),
  ).join('\n') + '\n',
);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const examples = () =>
  (async function* () {
    for await (const { value } of readJsonl(corpus)) yield value as { id: number; tokens: number[] };
  })();

describe('streamBatches', () => {
  it('streams a file into length-bucketed batches holding every example once', async () => {
    const batches = await collect(
      streamBatches(examples(), { batchSize: 32, bufferSize: 512, length: (x) => x.tokens.length, seed: 3 }),
    );
    const seen = batches
      .flat()
      .map((x) => x.id)
      .sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(batches.slice(0, -1).every((b) => b.length === 32)).toBe(true);
    const lengths = batches.flat().map((x) => x.tokens.length);
    let k = 0;
    const indexBatches = batches.map((b) => b.map(() => k++));
    const plain = await collect(streamBatches(examples(), { batchSize: 32, bufferSize: 512, seed: 3 }));
    let j = 0;
    const plainLengths = plain.flat().map((x) => x.tokens.length);
    const plainBatches = plain.map((b) => b.map(() => j++));
    expect(paddingWaste(lengths, indexBatches).waste).toBeLessThan(
      paddingWaste(plainLengths, plainBatches).waste / 4,
    );
  });

  it('is reproducible for a seed and honours dropRemainder', async () => {
    const run = (seed: number) =>
      collect(streamBatches(examples(), { batchSize: 30, bufferSize: 300, seed, dropRemainder: true }));
    const a = await run(1);
    expect((await run(1)).map((b) => b.map((x) => x.id))).toEqual(a.map((b) => b.map((x) => x.id)));
    expect((await run(2)).map((b) => b.map((x) => x.id))).not.toEqual(a.map((b) => b.map((x) => x.id)));
    expect(a.every((b) => b.length === 30)).toBe(true);
    expect(a.length).toBe(Math.floor(N / 30));
  });

  it('keeps file order when shuffle is off', async () => {
    const batches = await collect(streamBatches([1, 2, 3, 4, 5], { batchSize: 2, shuffle: false }));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('prefetch', () => {
  it('reads ahead of the consumer but yields in order', async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 10; i++) {
        produced++;
        yield i;
      }
    }
    const seenAhead: number[] = [];
    const out: number[] = [];
    for await (const x of prefetch(source(), 3)) {
      await new Promise((r) => setTimeout(r, 1));
      seenAhead.push(produced - x - 1);
      out.push(x);
    }
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...seenAhead)).toBeGreaterThanOrEqual(2);
  });

  it('surfaces an error at the item where it happened and closes the source on early exit', async () => {
    async function* failing() {
      yield 1;
      throw new Error('disk gone');
    }
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const x of prefetch(failing(), 2)) got.push(x);
      })(),
    ).rejects.toThrow('disk gone');
    expect(got).toEqual([1]);

    let closed = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const x of prefetch(endless(), 4)) if (x === 5) break;
    expect(closed).toBe(true);
  });
});

describe('readLines / readJsonl', () => {
  it('numbers lines, strips a BOM and CRLF, and names file and line for bad JSON', async () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, '\ufeff{"a":1}\r\n\r\n{"a":2}\r\n{oops\r\n');
    const lines = await collect(readLines(path));
    expect(lines.map((l) => l.text)).toEqual(['{"a":1}', '', '{"a":2}', '{oops']);
    const read: number[] = [];
    await expect(
      (async () => {
        for await (const r of readJsonl(path)) read.push(r.lineNumber);
      })(),
    ).rejects.toThrow(new RegExp(`${path.replace(/[.]/g, '\\.')}:4: invalid JSON`));
    expect(read).toEqual([1, 3]);
    await expect(collect(readLines(join(dir, 'missing.txt')))).rejects.toThrow(
      /readLines: file not found or not readable: .*missing\.txt/,
    );
  });
});
