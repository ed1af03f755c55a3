import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

/**
 * Anything that turns texts into ids: a plain function, an object with `encode(text)` (CharVocabulary,
 * SentencePieceTokenizer, SentencePieceBpeEncoder) or one with `textsToSequences(texts)` (the word-level
 * Tokenizer, which converts a whole batch at once).
 */
export type TextToIds =
  | ((text: string) => number[])
  | { encode(text: string): number[] }
  | { textsToSequences(texts: readonly string[]): number[][] };

export interface PadBatchOptions {
  /** Row length. Default: the longest sequence (after truncation). */
  maxLength?: number;
  /** Id used for padding. Default 0. */
  padId?: number;
  /** Where padding goes. Default 'post' (the usual choice for masks and packed RNNs, unlike Keras's pad_sequences). */
  padding?: 'pre' | 'post';
  /** Which end is cut from sequences longer than maxLength (the name padSequences uses). Default 'post'. */
  truncating?: 'pre' | 'post';
}

const PAD_BATCH_OPTIONS = optionKeys<PadBatchOptions>({
  maxLength: true,
  padId: true,
  padding: true,
  truncating: true,
});

export interface PaddedBatch {
  /** [batch][maxLength] ids. */
  ids: number[][];
  /** [batch][maxLength], 1 where ids[b][t] is a real token, 0 where it is padding. */
  attentionMask: number[][];
  /** Real tokens per row (after truncation). */
  lengths: number[];
}

export interface EncodedBatch {
  /** int32 [batch, maxLength]. */
  inputIds: tf.Tensor2D;
  /** int32 [batch, maxLength]; 1 for tokens, 0 for padding. */
  attentionMask: tf.Tensor2D;
  /** int32 [batch]. */
  lengths: tf.Tensor1D;
}

/**
 * Pads and truncates id sequences into a rectangle: returns `{ ids, attentionMask, lengths }` as plain
 * arrays (`number[][]`, `number[][]`, `number[]`); `encodeBatch` gives the same as int32 tensors.
 */
export function padBatch(sequences: readonly (readonly number[])[], options?: PadBatchOptions): PaddedBatch {
  return padBatchChecked('padBatch', sequences, checkOptions('padBatch', options, PAD_BATCH_OPTIONS));
}

function padBatchChecked(
  fn: string,
  sequences: readonly (readonly number[])[],
  options: PadBatchOptions,
): PaddedBatch {
  const { maxLength, padId = 0, padding = 'post', truncating = 'post' } = options;
  if (!Array.isArray(sequences))
    throw new TypeError(`${fn}: sequences must be an array of id arrays, got ${typeof sequences}`);
  if (maxLength !== undefined && (!Number.isSafeInteger(maxLength) || maxLength < 1))
    throw new RangeError(`${fn}: maxLength must be a positive integer, got ${maxLength}`);
  if (!Number.isInteger(padId) || padId < -(2 ** 31) || padId >= 2 ** 31)
    throw new RangeError(`${fn}: padId must be an int32, got ${padId}`);
  if (padding !== 'pre' && padding !== 'post')
    throw new RangeError(`${fn}: padding must be 'pre' or 'post', got ${JSON.stringify(padding)}`);
  if (truncating !== 'pre' && truncating !== 'post')
    throw new RangeError(`${fn}: truncating must be 'pre' or 'post', got ${JSON.stringify(truncating)}`);
  const kept = sequences.map((s, i) => {
    if (!Array.isArray(s))
      throw new TypeError(`${fn}: sequences[${i}] must be an array of ids, got ${typeof s}`);
    s.forEach((id, j) => {
      if (!Number.isInteger(id) || id < -(2 ** 31) || id >= 2 ** 31)
        throw new RangeError(`${fn}: sequences[${i}][${j}] = ${id} is not an int32 id`);
    });
    if (maxLength === undefined || s.length <= maxLength) return s;
    return truncating === 'post' ? s.slice(0, maxLength) : s.slice(s.length - maxLength);
  });
  const width = maxLength ?? kept.reduce((m, s) => Math.max(m, s.length), 0);
  const ids: number[][] = [];
  const attentionMask: number[][] = [];
  for (const s of kept) {
    const pad = width - s.length;
    const fill = new Array<number>(pad).fill(padId);
    const ones = new Array<number>(s.length).fill(1);
    const zeros = new Array<number>(pad).fill(0);
    ids.push(padding === 'post' ? [...s, ...fill] : [...fill, ...s]);
    attentionMask.push(padding === 'post' ? [...ones, ...zeros] : [...zeros, ...ones]);
  }
  return { ids, attentionMask, lengths: kept.map((s) => s.length) };
}

/**
 * Encodes texts with any tokenizer of this package (or a function) and returns int32 tensors: padded
 * ids, attention mask and lengths. The caller disposes them.
 */
export function encodeBatch(
  texts: readonly string[],
  encoder: TextToIds,
  options?: PadBatchOptions,
): EncodedBatch {
  const checked = checkOptions('encodeBatch', options, PAD_BATCH_OPTIONS);
  if (!Array.isArray(texts))
    throw new TypeError(`encodeBatch: texts must be an array of strings, got ${typeof texts}`);
  const { ids, attentionMask, lengths } = padBatchChecked('encodeBatch', encodeAll(texts, encoder), checked);
  const [first] = ids;
  const width = first !== undefined ? first.length : (checked.maxLength ?? 0);
  const flat = (rows: number[][]): Int32Array => {
    const out = new Int32Array(rows.length * width);
    rows.forEach((r, i) => out.set(r, i * width));
    return out;
  };
  return {
    inputIds: tf.tensor2d(flat(ids), [texts.length, width], 'int32'),
    attentionMask: tf.tensor2d(flat(attentionMask), [texts.length, width], 'int32'),
    lengths: tf.tensor1d(Int32Array.from(lengths), 'int32'),
  };
}

function encodeAll(texts: readonly string[], encoder: TextToIds): number[][] {
  if (typeof encoder === 'function') return texts.map((t) => encoder(t));
  if (encoder !== null && typeof encoder === 'object') {
    if ('encode' in encoder && typeof encoder.encode === 'function')
      return texts.map((t) => encoder.encode(t));
    if ('textsToSequences' in encoder && typeof encoder.textsToSequences === 'function')
      return encoder.textsToSequences(texts);
  }
  throw new TypeError(
    'encodeBatch: encoder must be a function, an object with an encode(text) method (CharVocabulary, SentencePieceTokenizer, SentencePieceBpeEncoder) or one with textsToSequences(texts) (Tokenizer)',
  );
}
