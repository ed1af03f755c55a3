import { closest, distance } from 'fastest-levenshtein';

import { previewValue } from './preview_value.js';

/**
 * Every key of an options type, each set to `true`. Written as an object literal, TypeScript rejects a
 * missing key and an extra one, so the run-time list cannot drift from the type.
 */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true };

/** The allowed keys of one options object, made once per function by `optionKeys`. */
export interface OptionSchema {
  readonly keys: readonly string[];
}

/** Builds the schema `checkOptions` uses from a complete key list of `T` (see `OptionKeys`). */
export function optionKeys<T>(keys: OptionKeys<T>): OptionSchema {
  return { keys: Object.freeze(Object.keys(keys)) };
}

/**
 * Names users bring from Keras, PyTorch or Python that rnnkit spells otherwise. A suggestion is only made
 * when its target is one of the function's own options.
 */
const FOREIGN_NAMES: Readonly<Record<string, readonly string[]>> = {
  units: ['hiddenSize', 'units'],
  hidden_size: ['hiddenSize'],
  maxlen: ['maxLength', 'maxLen'],
  max_len: ['maxLength'],
  lr: ['learningRate', 'lr'],
  learning_rate: ['learningRate', 'lr'],
  nb_epoch: ['epochs'],
  num_epochs: ['epochs'],
  n_fft: ['nFft'],
  hop_length: ['hopLength'],
  win_length: ['winLength'],
  n_mels: ['nMels'],
  n_mfcc: ['nMfcc'],
  sample_rate: ['sampleRate'],
  sr: ['sampleRate'],
  padvalue: ['value'],
  pad_value: ['value'],
};

function snakeToCamel(key: string): string {
  return key.replace(/[_-]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}

/** The option the user most likely meant by `key`, if any is close enough to say so. */
export function suggestOption(key: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  const foreign = FOREIGN_NAMES[key.toLowerCase()]?.find((name) => allowed.includes(name));
  if (foreign) return foreign;
  const camel = snakeToCamel(key);
  const sameLetters = allowed.find((name) => name.toLowerCase() === camel.toLowerCase());
  if (sameLetters) return sameLetters;
  // A clipped name ("batch" for "batchSize").
  const extended =
    camel.length >= 4
      ? allowed.find((name) => name.toLowerCase().startsWith(camel.toLowerCase()))
      : undefined;
  if (extended) return extended;
  const lowered = allowed.map((name) => name.toLowerCase());
  const best = closest(camel.toLowerCase(), lowered);
  // A third of the name may be wrong (typos, a missing plural); further than that is another word.
  return distance(best, camel.toLowerCase()) <= Math.max(1, Math.floor(camel.length / 3))
    ? allowed[lowered.indexOf(best)]
    : undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object')
    return `an instance of ${(value as object).constructor?.name ?? 'an unknown class'}`;
  return `a ${typeof value}`;
}

export interface CheckOptionsSettings {
  /** How the argument is named in messages (default `options`). */
  argument?: string;
  /** Said after "got the number 32" when a bare value is passed, e.g. `new SimpleRNN({ hiddenSize: 32 })`. */
  bareValueHint?: (value: unknown) => string | undefined;
}

/**
 * Checks an options argument: `undefined` gives `{}`; anything but a plain object, or an object with a key
 * the function does not take, is a `TypeError` that names the function, the key and the likely intended
 * option (`fit: unknown option "batch_size" — did you mean "batchSize"?`). Plain JavaScript callers
 * would otherwise have a misspelt or Keras-style option silently ignored.
 */
export function checkOptions<T extends object>(
  fn: string,
  options: T | undefined,
  schema: OptionSchema,
  settings: CheckOptionsSettings = {},
): T {
  const argument = settings.argument ?? 'options';
  if (options === undefined) return {} as T;
  const proto: unknown =
    options === null || typeof options !== 'object' ? undefined : Object.getPrototypeOf(options);
  if (proto !== Object.prototype && proto !== null) {
    const hint = settings.bareValueHint?.(options);
    throw new TypeError(
      `${fn}: ${argument} must be an object of named options, got ${describeValue(options)}${hint ? ` — did you mean ${hint}?` : ''}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (schema.keys.includes(key)) continue;
    const suggestion = suggestOption(key, schema.keys);
    const tail = suggestion
      ? ` — did you mean "${suggestion}"?`
      : ` (known options: ${schema.keys.map((name) => `"${name}"`).join(', ')})`;
    throw new TypeError(`${fn}: unknown option "${key}"${tail}`);
  }
  return options;
}

/** An optional boolean option: `undefined` gives `fallback`; anything but true/false is an error (not truthiness). */
export function booleanOption(fn: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`${fn}: ${name} must be true or false, got ${previewValue(value)}`);
  return value;
}
