import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NumpyRandomState } from './numpy_random_state.js';
import { npyToNumbers, readNpy } from './read_npy.js';
import { readNpz } from './read_npz.js';

const fixture = (name: string) => new URL(`../__fixtures__/${name}`, import.meta.url);

describe('NumpyRandomState', () => {
  const ref = JSON.parse(readFileSync(fixture('numpy_random_state.json'), 'utf8')) as {
    cases: { seed: number; n: number; first: number[]; second: number[] }[];
    big: { seed: number; n: number; head: number[]; tail: number[]; weightedSum: number };
  };

  // it.each over an emptied fixture would collect no tests and pass.
  it('has the 5 seeds tools/fixtures/datasets.py writes', () => {
    expect(ref.cases).toHaveLength(5);
  });

  it.each(ref.cases)(
    'matches np.random.RandomState($seed).shuffle twice over arange($n)',
    ({ seed, n, first, second }) => {
      const rng = new NumpyRandomState(seed);
      expect(rng.shuffle(Array.from({ length: n }, (_, i) => i))).toEqual(first);
      expect(rng.shuffle(Array.from({ length: n }, (_, i) => i))).toEqual(second);
    },
  );

  it('matches the 25,000-element shuffle Keras applies to the IMDB training set', () => {
    const perm = new NumpyRandomState(ref.big.seed).shuffle(Array.from({ length: ref.big.n }, (_, i) => i));
    expect(perm.slice(0, 20)).toEqual(ref.big.head);
    expect(perm.slice(-20)).toEqual(ref.big.tail);
    expect(perm.reduce((s, v, i) => s + i * v, 0)).toBe(ref.big.weightedSum);
  });

  it('rejects seeds numpy rejects', () => {
    expect(() => new NumpyRandomState(-1)).toThrow(/seed must be an integer in \[0, 2\^32 - 1\], got -1/);
  });
});

describe('readNpz / readNpy', () => {
  it('reads every dtype numpy wrote (compressed archive, fortran order, int64, object strings)', () => {
    const expected = JSON.parse(readFileSync(fixture('numpy_dtypes.json'), 'utf8')) as Record<
      string,
      { dtype: string; shape: number[]; fortran: boolean; values: (number | string)[] }
    >;
    const arrays = readNpz(new Uint8Array(readFileSync(fixture('numpy_dtypes.npz'))));
    expect(Object.keys(expected)).toHaveLength(8); // the arrays of dtypes_fixture() in tools/fixtures/datasets.py
    expect(Object.keys(arrays).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, want] of Object.entries(expected)) {
      const got = arrays[key]!;
      expect(got.dtype, key).toBe(want.dtype);
      expect(got.shape, key).toEqual(want.shape);
      expect(got.fortranOrder, key).toBe(want.fortran);
      if (key === 'strings') expect(got.data).toEqual(want.values);
      else if (key === 'f4')
        Array.from(got.data as Float32Array).forEach((v, i) =>
          expect(v).toBeCloseTo(want.values[i] as number, 7),
        );
      else expect(npyToNumbers(got, key)).toEqual(want.values);
    }
  });

  it('names the file when the magic is wrong or the header is cut', () => {
    expect(() => readNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'bad.npy')).toThrow(
      /bad\.npy is not a \.npy file/,
    );
    const npz = readFileSync(fixture('numpy_dtypes.npz'));
    expect(() => readNpz(new Uint8Array(npz.subarray(0, 50)), 'cut.npz')).toThrow(
      /readNpz: cut\.npz is not a readable zip archive/,
    );
  });

  it('refuses pickles that reference anything but numpy object-array globals', () => {
    // Header for a 1-element object array followed by a protocol-2 pickle of os.system('x').
    const header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
    const padded = header.padEnd(117, ' ') + '\n';
    const pickle = [0x80, 0x02, ...Buffer.from('cos\nsystem\n'), 0x58, 1, 0, 0, 0, 0x78, 0x85, 0x52, 0x2e];
    const bytes = new Uint8Array([
      0x93,
      ...Buffer.from('NUMPY'),
      1,
      0,
      padded.length,
      0,
      ...Buffer.from(padded),
      ...pickle,
    ]);
    expect(() => readNpy(bytes, 'evil.npy')).toThrow(
      /evil\.npy is a pickled object array that refers to os\.system/,
    );
  });
});
