/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads typed arrays at indices bounded by the shapes checked just before */
// The decoders' inputs, read to the host and checked once: log-probabilities as a tf.Tensor or a typed
// array with its shape, one length per utterance, and a check that the values are log-softmax output.
import * as tf from '@tensorflow/tfjs-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

/** Log-probabilities already on the host: `data` is row-major with shape `shape` ([T, N, C], or [t, C] for a chunk). */
export interface CtcLogProbsArray {
  data: Float32Array | Float64Array;
  shape: readonly number[];
}

/** Log-softmax output: a float32 tf.Tensor or a host array with its shape. */
export type CtcDecoderLogProbs = tf.Tensor | CtcLogProbsArray;

/** One length (frames) per utterance; `undefined` means every utterance has all T frames. */
export type CtcDecoderLengths = readonly number[] | Int32Array | tf.Tensor1D;

/** Log-probabilities on the host with their shape. */
export interface HostLogProbs {
  data: Float32Array | Float64Array;
  shape: number[];
}

/** How many leading frames of each utterance are checked to be log-softmax rows (cheap, and catches logits or probabilities). */
export const CHECKED_FRAMES = 3;

/** How far a row's probabilities may sum from 1 (float32 log-softmax is within 1e-6; this allows rounded or fp16 posteriors). */
const ROW_SUM_TOLERANCE = 0.01;

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * The tensor's values, synchronously: the decoders run on the host. A backend that cannot read its
 * device memory synchronously (webgpu in Node) gets an error saying what to pass instead.
 */
function readSync(fn: string, name: string, value: tf.Tensor): tf.TypedArray {
  try {
    return value.dataSync();
  } catch (error) {
    throw new Error(
      `${fn}: ${name} cannot be read synchronously on the ${tf.getBackend()} backend (${(error as Error).message}); ` +
        `pass { data: await ${name}.data(), shape: ${name}.shape } instead`,
      { cause: error },
    );
  }
}

/**
 * Reads `value` (a float32 tf.Tensor or `{ data, shape }`) of the given rank to the host; `layout` names
 * the dimensions for messages, e.g. '[T, N, C]'.
 */
export function readLogProbs(
  fn: string,
  name: string,
  value: unknown,
  rank: number,
  layout: string,
): HostLogProbs {
  if (value instanceof tf.Tensor) {
    if (value.rank !== rank)
      throw new Error(`${fn}: ${name} must be ${rank}-D ${layout}, got shape ${fmt(value.shape)}`);
    if (value.dtype !== 'float32') throw new Error(`${fn}: ${name} must be float32, got ${value.dtype}`);
    return { data: readSync(fn, name, value) as Float32Array, shape: [...value.shape] };
  }
  if (value !== null && typeof value === 'object' && 'data' in value && 'shape' in value) {
    const { data, shape } = value as { data: unknown; shape: unknown };
    if (!(data instanceof Float32Array || data instanceof Float64Array))
      throw new TypeError(
        `${fn}: ${name}.data must be a Float32Array or Float64Array, got ${previewValue(data)}`,
      );
    if (
      !Array.isArray(shape) ||
      shape.length !== rank ||
      !shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0)
    )
      throw new Error(
        `${fn}: ${name}.shape must be ${rank} non-negative integers ${layout}, got ${previewValue(shape)}`,
      );
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (size !== data.length)
      throw new Error(
        `${fn}: ${name}.shape ${fmt(shape as number[])} holds ${size} values, but ${name}.data has ${data.length}`,
      );
    return { data, shape: [...(shape as number[])] };
  }
  throw new TypeError(
    `${fn}: ${name} must be a float32 tf.Tensor ${layout} or { data: Float32Array, shape }, got ${previewValue(value)}`,
  );
}

/** Reads one length per utterance (N of them), each an integer in [0, T]. */
export function readLengths(fn: string, value: unknown, N: number, T: number): number[] {
  if (value === undefined) return new Array<number>(N).fill(T);
  let values: ArrayLike<number>;
  if (value instanceof tf.Tensor) {
    if (value.rank !== 1 || value.dtype !== 'int32')
      throw new Error(
        `${fn}: inputLengths must be a 1-D int32 tensor [N], got a ${value.rank}-D ${value.dtype} tensor of shape ${fmt(value.shape)}`,
      );
    values = readSync(fn, 'inputLengths', value);
  } else if (Array.isArray(value) || value instanceof Int32Array) {
    values = value as ArrayLike<number>;
  } else {
    throw new TypeError(
      `${fn}: inputLengths must be a number[], an Int32Array or a 1-D int32 tensor, got ${previewValue(value)}`,
    );
  }
  if (values.length !== N)
    throw new Error(
      `${fn}: inputLengths has ${values.length} entries, expected one per utterance: N = logProbs.shape[1] = ${N}`,
    );
  const out = Array.from(values);
  out.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`${fn}: inputLengths[${i}] = ${previewValue(v)} must be a non-negative integer`);
    if (v > T) throw new Error(`${fn}: inputLengths[${i}] = ${v} exceeds T = logProbs.shape[0] = ${T}`);
  });
  return out;
}

/** Checks the `blank` option's type (its range needs C). */
export function blankOption(fn: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new Error(`${fn}: blank must be a non-negative integer class id, got ${previewValue(value)}`);
  return value;
}

/** Checks `blank` against the class count C. */
export function checkBlank(fn: string, blank: number, C: number, source: string): void {
  if (blank >= C)
    throw new Error(`${fn}: blank must be an integer in [0, C) = [0, ${C}) (C = ${source}), got ${blank}`);
}

/**
 * Throws unless the row of C values at `offset` sums to 1 in probability space. Decoding logits or
 * probabilities does not fail by itself: it returns a plausible-looking wrong transcript, so this is an
 * error rather than a warning. `where` names the row, e.g. 'row t=0 of utterance 2'.
 */
export function checkLogSoftmaxRow(
  fn: string,
  name: string,
  data: Float32Array | Float64Array,
  offset: number,
  C: number,
  where: string,
): void {
  let sum = 0;
  for (let c = 0; c < C; c++) sum += Math.exp(data[offset + c]!);
  if (Math.abs(sum - 1) <= ROW_SUM_TOLERANCE) return;
  const shown = Number.isFinite(sum) ? Number(sum.toPrecision(3)) : sum;
  throw new Error(
    `${fn}: ${name} must be log-softmax output (natural-log probabilities); ${where} sums to ${shown} in probability space, expected 1 (apply tf.logSoftmax to logits, tf.log to probabilities)`,
  );
}

/** Largest value accepted as a log-probability (float32 log-softmax can round a certain class to just above 0). */
const MAX_LOG_PROB = 1e-4;

/**
 * Throws unless every value of the row of C values at `offset` is a log-probability (<= 0, not NaN):
 * catches NaN, logits and probabilities in frames beyond the first ones that checkLogSoftmaxRow sums.
 * `row` names it, e.g. 'logProbs[7][2]'.
 */
export function checkLogProbRow(
  fn: string,
  data: Float32Array | Float64Array,
  offset: number,
  C: number,
  row: string,
): void {
  for (let c = 0; c < C; c++) {
    const v = data[offset + c]!;
    if (!(v <= MAX_LOG_PROB))
      throw new Error(
        `${fn}: ${row}[${c}] = ${v} is not a log-probability (expected <= 0); pass log-softmax output`,
      );
  }
}

/**
 * Checks the frames of a [T, N, C] batch within each utterance's length: the first CHECKED_FRAMES rows
 * sum to 1 in probability space, and every value is a log-probability. Runs before any decoding, so a
 * bad input gives an error and no partial result.
 */
export function checkDecoderRows(
  fn: string,
  data: Float32Array | Float64Array,
  N: number,
  C: number,
  lengths: readonly number[],
): void {
  for (let n = 0; n < N; n++)
    for (let t = 0; t < Math.min(lengths[n]!, CHECKED_FRAMES); t++)
      checkLogSoftmaxRow(fn, 'logProbs', data, (t * N + n) * C, C, `row t=${t} of utterance ${n}`);
  for (let n = 0; n < N; n++)
    for (let t = 0; t < lengths[n]!; t++)
      checkLogProbRow(fn, data, (t * N + n) * C, C, `logProbs[${t}][${n}]`);
}
