import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

export interface PadSequencesOptions {
  /** Output length (Keras's maxlen). Default: the longest sequence. */
  maxLength?: number | null;
  /** Where padding goes. Default 'pre' (Keras). */
  padding?: 'pre' | 'post';
  /** Which end is cut from sequences longer than maxLength. Default 'pre' (Keras). */
  truncating?: 'pre' | 'post';
  /** Padding value. Default 0. */
  value?: number;
  /** 'int32' (Keras's default) requires integer values; 'float32' allows any finite number. */
  dtype?: 'int32' | 'float32';
}

const PAD_SEQUENCES_OPTIONS = optionKeys<PadSequencesOptions>({
  maxLength: true,
  padding: true,
  truncating: true,
  value: true,
  dtype: true,
});

/** Keras's `pad_sequences`: every row becomes `maxLength` long; defaults pad and truncate at the front. */
export function padSequences(
  sequences: readonly (readonly number[])[],
  options?: PadSequencesOptions,
): number[][] {
  const {
    maxLength = null,
    padding = 'pre',
    truncating = 'pre',
    value = 0,
    dtype = 'int32',
  } = checkOptions('padSequences', options, PAD_SEQUENCES_OPTIONS);
  if (!Array.isArray(sequences))
    throw new TypeError(`padSequences: sequences must be an array of arrays, got ${typeof sequences}`);
  if (padding !== 'pre' && padding !== 'post')
    throw new RangeError(`padSequences: padding must be 'pre' or 'post', got ${JSON.stringify(padding)}`);
  if (truncating !== 'pre' && truncating !== 'post')
    throw new RangeError(
      `padSequences: truncating must be 'pre' or 'post', got ${JSON.stringify(truncating)}`,
    );
  if (dtype !== 'int32' && dtype !== 'float32')
    throw new RangeError(`padSequences: dtype must be 'int32' or 'float32', got ${JSON.stringify(dtype)}`);
  const checkNumber = (x: unknown, what: string): void => {
    if (typeof x !== 'number' || !Number.isFinite(x) || (dtype === 'int32' && !Number.isInteger(x))) {
      throw new TypeError(
        `padSequences: ${what} must be ${dtype === 'int32' ? 'an integer (dtype int32)' : 'a finite number'}, got ${String(x)}`,
      );
    }
  };
  checkNumber(value, 'value');
  sequences.forEach((s, i) => {
    if (!Array.isArray(s))
      throw new TypeError(`padSequences: sequences[${i}] must be an array, got ${typeof s}`);
    s.forEach((x, j) => checkNumber(x, `sequences[${i}][${j}]`));
  });
  if (maxLength !== null && (!Number.isSafeInteger(maxLength) || maxLength < 1))
    throw new RangeError(`padSequences: maxLength must be a positive integer or null, got ${maxLength}`);
  const length = maxLength ?? sequences.reduce((m, s) => Math.max(m, s.length), 0);
  return sequences.map((s) => {
    const kept =
      s.length <= length ? s : truncating === 'pre' ? s.slice(s.length - length) : s.slice(0, length);
    const pad = new Array<number>(length - kept.length).fill(value);
    return padding === 'pre' ? [...pad, ...kept] : [...kept, ...pad];
  });
}
