import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { fuzzParser } from '@rnnkit/tensor-core/testing/fuzz';
import { kerasImdbFromArrays } from '../text/keras_imdb.js';
import { readZip } from '../zip/read_zip.js';
import { readNpy, type NpyArray } from './read_npy.js';
import { readNpz } from './read_npz.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url)));

/** Typed arrays become plain arrays (bigints as strings) so results compare with isDeepStrictEqual. */
const plain = (a: NpyArray) => ({
  ...a,
  data: Array.from(a.data as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? `${v}n` : v)),
});

function npy(descr: string, shape: string, data: Uint8Array): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const header = dict.padEnd(64 - 10 - 1, ' ') + '\n';
  return new Uint8Array([
    0x93,
    ...Buffer.from('NUMPY'),
    1,
    0,
    header.length,
    0,
    ...Buffer.from(header, 'latin1'),
    ...data,
  ]);
}

const members = [...readZip(fixture('numpy_dtypes.npz'), 'numpy_dtypes.npz', 'test').values()];
const imdb = readNpz(fixture('keras_imdb_small.npz'), 'keras_imdb_small.npz');
const pickled = readZip(fixture('keras_imdb_small.npz'), 'keras_imdb_small.npz', 'test').get('x_train.npy')!;
const pickledPy2 = readZip(fixture('keras_imdb_py2.npz'), 'keras_imdb_py2.npz', 'test').get('x_train.npy')!;

describe('readNpy / readNpz / the Keras imdb pickle path under seeded mutation', () => {
  it('readNpy: every header field checked, no garbage values, no RangeError from DataView', () => {
    expect(members).toHaveLength(8); // the arrays tools/fixtures/datasets.py saves in numpy_dtypes.npz
    const tally = fuzzParser({
      name: 'readNpy',
      bases: [
        npy('<i4', '(3, 4)', new Uint8Array(new Int32Array(12).map((_, i) => i * 7 - 20).buffer)),
        npy('<f8', '(5,)', new Uint8Array(new Float64Array([0.5, -1, 2, 1e300, 3]).buffer)),
        ...members,
      ],
      parse: (bytes) => readNpy(bytes, 'fuzz.npy'),
      project: plain,
      errorPattern: /^readNpy: fuzz\.npy[ :]/,
      fields: [6, 8, 10],
      seed: 1,
      ciRuns: 400,
    });
    expect(tally.otherExamples).toEqual([]);
  });

  it('readNpz: sizes checked before allocating, CRC-32 verified, no entry silently dropped', () => {
    const bases = [
      fixture('numpy_dtypes.npz'),
      fixture('keras_imdb_small.npz'),
      fixture('keras_imdb_py2.npz'),
    ];
    const tally = fuzzParser({
      name: 'readNpz',
      bases,
      parse: (bytes) => readNpz(bytes, 'fuzz.npz'),
      project: (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])),
      errorPattern: /^readNpz: fuzz\.npz |^readNpy: fuzz\.npz\//,
      // The end-of-central-directory record's counts, sizes and offset.
      fields: bases.flatMap((b) => [8, 10, 12, 16].map((o) => b.length - 22 + o)),
      seed: 2,
      ciRuns: 300,
    });
    expect(tally.otherExamples).toEqual([]);
    // A zip member is covered by its CRC-32, so no accepted mutation can change an array.
    expect(tally.acceptedChanged).toBe(0);
  });

  it('Keras imdb pickles: a malformed pickle is a readNpy/loadKerasImdb error, never a TypeError from the parser', () => {
    const tally = fuzzParser({
      name: 'keras imdb pickle (readNpy |O + kerasImdbFromArrays)',
      bases: [pickled, pickledPy2],
      parse: (bytes) =>
        kerasImdbFromArrays({ ...imdb, x_train: readNpy(bytes, 'fuzz.npz/x_train.npy') }, 'fuzz.npz'),
      errorPattern: /^(readNpy|loadKerasImdb): fuzz\.npz/,
      fields: [8, 128, 130, 134],
      seed: 3,
      ciRuns: 300,
    });
    expect(tally.otherExamples).toEqual([]);
  });
});
