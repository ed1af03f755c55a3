import { readFile } from 'node:fs/promises';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { NumpyRandomState } from '../numpy/numpy_random_state.js';
import { npyToNumbers, type NpyArray } from '../numpy/read_npy.js';
import { readNpz } from '../numpy/read_npz.js';
import { checkIntegerOption } from '../options/option_values.js';

export interface KerasImdbOptions {
  /** Keep the `numWords` most frequent words (ids below numWords after offsetting); others become oovChar. Default: all (see note). */
  numWords?: number | null;
  /** Ids below this become oovChar (Keras compares the offset ids, so with skipTop > 1 startChar is replaced too). Default 0. */
  skipTop?: number;
  /** Drop sequences whose length (start char included) is >= maxLength, as Keras's `maxlen` does. Default: keep all. */
  maxLength?: number | null;
  /** Seed of the numpy RandomState shuffle. Default 113. */
  seed?: number;
  /** Prepended to every sequence; null for none. Default 1. */
  startChar?: number | null;
  /** Replaces filtered words; null drops them instead. Default 2. */
  oovChar?: number | null;
  /** Added to every stored word index. Default 3. */
  indexFrom?: number;
}

const KERAS_IMDB_OPTIONS = optionKeys<KerasImdbOptions>({
  numWords: true,
  skipTop: true,
  maxLength: true,
  seed: true,
  startChar: true,
  oovChar: true,
  indexFrom: true,
});

export interface KerasImdbSplit {
  x: number[][];
  y: number[];
}

export interface KerasImdbData {
  train: KerasImdbSplit;
  test: KerasImdbSplit;
}

/**
 * Loads Keras's `imdb.npz` with `keras.datasets.imdb.load_data` semantics, step for step: the same
 * numpy RandomState(seed) shuffle of train then test, start char and index offset, `maxLength`
 * (Keras's `maxlen`) filtering (strictly shorter sequences kept), then `numWords`/`skipTop` replacement by oovChar.
 * Note Keras's quirk, kept for parity: without numWords the limit is the largest id, which is
 * therefore itself replaced by oovChar.
 */
export async function loadKerasImdb(
  pathOrBytes: string | Uint8Array,
  options?: KerasImdbOptions,
): Promise<KerasImdbData> {
  checkOptions('loadKerasImdb', options, KERAS_IMDB_OPTIONS);
  const name = typeof pathOrBytes === 'string' ? pathOrBytes : 'imdb.npz';
  const bytes = typeof pathOrBytes === 'string' ? await readBytes(pathOrBytes, 'loadKerasImdb') : pathOrBytes;
  const arrays = readNpz(bytes, name);
  return kerasImdbFromArrays(arrays, name, options);
}

export function kerasImdbFromArrays(
  arrays: Record<string, NpyArray>,
  name: string,
  kerasOptions?: KerasImdbOptions,
): KerasImdbData {
  const options = checkOptions('kerasImdbFromArrays', kerasOptions, KERAS_IMDB_OPTIONS);
  const fn = 'loadKerasImdb';
  // null means "not set" for these, as None does in Keras.
  const nullable = (key: 'numWords' | 'maxLength' | 'startChar' | 'oovChar', min: number) =>
    options[key] === null ? null : checkIntegerOption(fn, `options.${key}`, options[key], min, 2 ** 31 - 1);
  nullable('numWords', 0);
  nullable('maxLength', 1);
  nullable('startChar', 0);
  nullable('oovChar', 0);
  checkIntegerOption(fn, 'options.skipTop', options.skipTop, 0, 2 ** 31 - 1);
  checkIntegerOption(fn, 'options.indexFrom', options.indexFrom, 0, 2 ** 31 - 1);
  checkIntegerOption(fn, 'options.seed', options.seed, 0, 2 ** 32 - 1);
  const seed = options.seed ?? 113;
  const startChar = options.startChar === undefined ? 1 : options.startChar;
  const oovChar = options.oovChar === undefined ? 2 : options.oovChar;
  const indexFrom = options.indexFrom ?? 3;
  const skipTop = options.skipTop ?? 0;
  for (const key of ['x_train', 'y_train', 'x_test', 'y_test']) {
    if (!arrays[key]) {
      throw new Error(
        `loadKerasImdb: ${name} has no '${key}' array (found: ${Object.keys(arrays).join(', ') || 'none'})`,
      );
    }
  }
  const rng = new NumpyRandomState(seed);
  const load = (split: 'train' | 'test') => {
    const xArray = arrays[`x_${split}`];
    const yArray = arrays[`y_${split}`];
    if (!xArray || !yArray) throw new Error(`loadKerasImdb: ${name} has no x_${split} or y_${split} array`);
    const x = sequencesOf(xArray, `${name}/x_${split}.npy`);
    const y = npyToNumbers(yArray, `${name}/y_${split}.npy`);
    if (x.length !== y.length) {
      throw new Error(
        `loadKerasImdb: ${name} has ${x.length} x_${split} sequences but ${y.length} y_${split} labels`,
      );
    }
    const order = rng.shuffle(Array.from({ length: x.length }, (_, i) => i));
    return { x: pickAll(x, order), y: pickAll(y, order) };
  };
  const train = load('train');
  const test = load('test');

  const offset = (xs: number[][]) =>
    xs.map((seq) => {
      const shifted = startChar !== null || indexFrom ? seq.map((w) => w + indexFrom) : seq.slice();
      return startChar !== null ? [startChar, ...shifted] : shifted;
    });
  let xTrain = offset(train.x);
  let xTest = offset(test.x);
  let yTrain = train.y;
  let yTest = test.y;

  if (options.maxLength !== undefined && options.maxLength !== null) {
    const maxlen = options.maxLength;
    const keep = (xs: number[][], ys: number[]) => {
      const kept = xs.flatMap((seq, i) => (seq.length < maxlen ? [i] : []));
      return { xs: pickAll(xs, kept), ys: pickAll(ys, kept) };
    };
    const a = keep(xTrain, yTrain);
    const b = keep(xTest, yTest);
    if (a.xs.length === 0 || b.xs.length === 0) {
      throw new Error(
        `loadKerasImdb: after keeping sequences shorter than maxLength = ${maxlen}, no sequence was left; increase maxLength`,
      );
    }
    [xTrain, yTrain, xTest, yTest] = [a.xs, a.ys, b.xs, b.ys];
  }

  let numWords = options.numWords ?? 0;
  if (!numWords) {
    for (const seq of [...xTrain, ...xTest]) for (const w of seq) numWords = Math.max(numWords, w);
  }
  const limit = (xs: number[][]) =>
    xs.map((seq) =>
      oovChar !== null
        ? seq.map((w) => (skipTop <= w && w < numWords ? w : oovChar))
        : seq.filter((w) => skipTop <= w && w < numWords),
    );
  return { train: { x: limit(xTrain), y: yTrain }, test: { x: limit(xTest), y: yTest } };
}

function sequencesOf(array: NpyArray, name: string): number[][] {
  if (!Array.isArray(array.data)) {
    throw new Error(
      `loadKerasImdb: ${name} has dtype '${array.dtype}', expected an object array of word-id lists`,
    );
  }
  return array.data.map((seq, i) => {
    if (!Array.isArray(seq)) throw new Error(`loadKerasImdb: ${name}[${i}] is not a list of word ids`);
    return seq.map((w, j) => {
      const n = typeof w === 'bigint' ? Number(w) : w;
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        throw new Error(`loadKerasImdb: ${name}[${i}][${j}] = ${String(w)} is not an integer word id`);
      }
      return n;
    });
  });
}

/** Reads `imdb_word_index.json` (word → 1-based frequency rank). */
export async function loadKerasImdbWordIndex(path: string): Promise<Map<string, number>> {
  const text = new TextDecoder().decode(await readBytes(path, 'loadKerasImdbWordIndex'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `loadKerasImdbWordIndex: ${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`loadKerasImdbWordIndex: ${path} must hold a JSON object of word → index`);
  }
  const index = new Map<string, number>();
  for (const [word, value] of Object.entries(parsed)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new Error(
        `loadKerasImdbWordIndex: ${path}: index of '${word}' must be a non-negative integer, got ${JSON.stringify(value)}`,
      );
    }
    index.set(word, value);
  }
  return index;
}

export interface DecodeKerasImdbOptions {
  startChar?: number | null;
  oovChar?: number | null;
  indexFrom?: number;
  /** Written for padding (0), start and out-of-vocabulary ids and unknown ids. Keras's docs use [START] and [OOV]. */
  padToken?: string;
  startToken?: string;
  oovToken?: string;
}

const DECODE_KERAS_IMDB_OPTIONS = optionKeys<DecodeKerasImdbOptions>({
  startChar: true,
  oovChar: true,
  indexFrom: true,
  padToken: true,
  startToken: true,
  oovToken: true,
});

/** Inverts the word index for the same offsets load_data used (id = rank + indexFrom). */
export function invertKerasImdbWordIndex(
  wordIndex: ReadonlyMap<string, number>,
  options?: DecodeKerasImdbOptions,
): Map<number, string> {
  return invertWordIndex(
    wordIndex,
    checkOptions('invertKerasImdbWordIndex', options, DECODE_KERAS_IMDB_OPTIONS),
  );
}

function invertWordIndex(
  wordIndex: ReadonlyMap<string, number>,
  options: DecodeKerasImdbOptions,
): Map<number, string> {
  const indexFrom = options.indexFrom ?? 3;
  const startChar = options.startChar === undefined ? 1 : options.startChar;
  const oovChar = options.oovChar === undefined ? 2 : options.oovChar;
  const inverted = new Map<number, string>();
  for (const [word, rank] of wordIndex) inverted.set(rank + indexFrom, word);
  if (startChar !== null) inverted.set(startChar, options.startToken ?? '[START]');
  if (oovChar !== null) inverted.set(oovChar, options.oovToken ?? '[OOV]');
  return inverted;
}

/** Turns a load_data id sequence back into text (padding ids are skipped). */
export function decodeKerasImdb(
  ids: readonly number[],
  wordIndex: ReadonlyMap<string, number> | ReadonlyMap<number, string>,
  decodeOptions?: DecodeKerasImdbOptions,
): string {
  const options = checkOptions('decodeKerasImdb', decodeOptions, DECODE_KERAS_IMDB_OPTIONS);
  const first = wordIndex.keys().next().value;
  const inverted =
    typeof first === 'string'
      ? invertWordIndex(wordIndex as ReadonlyMap<string, number>, options)
      : (wordIndex as ReadonlyMap<number, string>);
  const words: string[] = [];
  for (const id of ids) {
    if (id === 0 && !inverted.has(0)) {
      if (options.padToken !== undefined) words.push(options.padToken);
      continue;
    }
    words.push(inverted.get(id) ?? options.oovToken ?? '[OOV]');
  }
  return words.join(' ');
}

async function readBytes(path: string, fn: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${fn}: cannot read ${path}${code ? ` (${code})` : ''}`, { cause: err });
  }
}

/** `values[i]` for each of `indices`, which must all be in range. */
function pickAll<V>(values: readonly V[], indices: readonly number[]): V[] {
  return indices.map((i) => {
    const v = values[i];
    if (v === undefined)
      throw new Error(`loadKerasImdb: index ${i} is outside the ${values.length} examples`);
    return v;
  });
}
