import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import { padDenseBatch } from '../batching/pad.js';
import { encodeTexts } from '../text/encode.js';
import { loadKerasImdb } from '../text/keras_imdb.js';
import { crc32 } from '../zip/crc32.js';
import { readNpy } from './read_npy.js';
import { readNpz } from './read_npz.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url)));

function npy(header: string, data: Uint8Array, major = 1): Uint8Array {
  const start = major === 1 ? 10 : 12;
  const padded = header.padEnd(64 - start - 1, ' ') + '\n';
  const len = major === 1 ? [padded.length, 0] : [padded.length, 0, 0, 0];
  return new Uint8Array([
    0x93,
    ...Buffer.from('NUMPY'),
    major,
    0,
    ...len,
    ...Buffer.from(padded, 'latin1'),
    ...data,
  ]);
}
const i4 = new Uint8Array(new Int32Array(12).map((_, i) => i).buffer);

describe('readNpy rejects what numpy never writes', () => {
  it('shape entries must be non-negative integers', () => {
    expect(() =>
      readNpy(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3, 4x), }", i4), 'a.npy'),
    ).toThrow(/a\.npy has header shape = \(3, 4x\): entry 1 is "4x"/);
    expect(() =>
      readNpy(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,-4), }", i4), 'a.npy'),
    ).toThrow(/entry 1 is "-4", expected a non-negative integer/);
    expect(readNpy(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3, 4), }", i4)).shape).toEqual([
      3, 4,
    ]);
  });

  it('a header length off by one is an error, not garbage values', () => {
    const good = npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3, 4), }", i4);
    for (const delta of [-1, 1]) {
      const bad = good.slice();
      bad[8] = bad[8]! + delta;
      expect(() => readNpy(bad, 'off.npy')).toThrow(/readNpy: off\.npy .*header length field = \d+ wrong\?/);
    }
  });

  it('a truncated version 2 file names the file instead of a DataView RangeError', () => {
    const v2 = npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3, 4), }", i4, 2);
    expect(() => readNpy(v2.subarray(0, 11), 'v2.npy')).toThrow(
      /readNpy: v2\.npy is truncated: 11 bytes, a version 2 header needs 12/,
    );
  });

  it('a pickle nested 100,000 deep, or one whose APPEND meets a non-list, is a clear error', () => {
    const deep = new Uint8Array([0x80, 0x02, ...new Array(100_000).fill(0x28), 0x2e]);
    const header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
    expect(() => readNpy(npy(header, deep), 'deep.npy')).toThrow(
      /readNpy: deep\.npy: malformed pickle: MARKs nested deeper than 100/,
    );
    const append = new Uint8Array([0x80, 0x02, 0x4b, 0x01, 0x4b, 0x02, 0x61, 0x2e]); // 1, 2, APPEND, STOP
    expect(() => readNpy(npy(header, append), 'app.npy')).toThrow(
      /readNpy: app\.npy: malformed pickle in its object array/,
    );
  });
});

describe('readNpz checks the zip container', () => {
  const arrays = { a: npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3, 4), }", i4) };
  const stored = zipSync({ 'a.npy': arrays.a }, { level: 0 });
  const eocd = stored.length - 22;
  const cd = new DataView(stored.buffer).getUint32(eocd + 16, true);

  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('a central directory claiming 4,294,967,294 uncompressed bytes is an error before any allocation', () => {
    const deflated = zipSync({ 'a.npy': arrays.a }, { level: 6 });
    const c = new DataView(deflated.buffer).getUint32(deflated.length - 22 + 16, true);
    new DataView(deflated.buffer).setUint32(c + 24, 4294967294, true);
    expect(() => readNpz(deflated, 'big.npz')).toThrow(
      /readNpz: big\.npz .*uncompressed size = 4294967294 is more than deflate can produce/,
    );
  });

  it('verifies CRC-32, entry counts and name lengths', () => {
    const flipped = stored.slice();
    flipped[30 + 5 + 70] = flipped[30 + 5 + 70]! ^ 1; // a data byte of the stored member
    expect(() => readNpz(flipped, 'crc.npz')).toThrow(
      /member "a\.npy": CRC-32 is 0x[0-9a-f]{8}, the central directory says/,
    );
    const noCount = stored.slice();
    new DataView(noCount.buffer).setUint16(eocd + 8, 0, true);
    new DataView(noCount.buffer).setUint16(eocd + 10, 0, true);
    expect(() => readNpz(noCount, 'zero.npz')).toThrow(
      /zero\.npz .*central directory holds \d+ bytes after its 0 entries/,
    );
    const badName = stored.slice();
    new DataView(badName.buffer).setUint16(cd + 28, 4, true);
    expect(() => readNpz(badName, 'name.npz')).toThrow(/name\.npz is not a readable zip archive/);
  });
});

describe('loadKerasImdb and the batching helpers check their options', () => {
  it('numWords and the other counts must be integers in range', async () => {
    const bytes = fixture('keras_imdb_small.npz');
    await expect(loadKerasImdb(bytes, { numWords: -5 })).rejects.toThrow(
      /loadKerasImdb: options\.numWords must be an integer in \[0, 2147483647\], got -5/,
    );
    await expect(loadKerasImdb(bytes, { skipTop: 1.5 })).rejects.toThrow(
      /options\.skipTop must be an integer/,
    );
    await expect(loadKerasImdb(bytes, { maxLength: 0 })).rejects.toThrow(
      /options\.maxLength must be an integer in \[1,/,
    );
  });

  it('padDenseBatch rejects NaN and non-integers for int32 instead of writing 0', () => {
    expect(() => padDenseBatch([[1, Number.NaN, 3]])).toThrow(
      /padDenseBatch: sequences\[0\]\[1\] must be an int32 integer \(dtype int32\), got NaN/,
    );
    expect(() => padDenseBatch([[1, 2.5]])).toThrow(/sequences\[0\]\[1\]/);
    expect(() => padDenseBatch([[1, Number.POSITIVE_INFINITY]], { dtype: 'float32' })).toThrow(
      /a finite number \(dtype float32\), got Infinity/,
    );
  });

  it('encodeTexts: maxLength -1 is an error, not "drop the last id"', () => {
    const encode = () => [1, 2, 3];
    expect(() => encodeTexts([{ text: 'x', label: 0 }], encode, { maxLength: -1 })).toThrow(
      /encodeTexts: options\.maxLength must be an integer >= 0, got -1/,
    );
    expect(encodeTexts([{ text: 'x', label: 0 }], encode, { maxLength: 2 })[0]!.ids).toEqual(
      new Int32Array([1, 2]),
    );
  });
});
