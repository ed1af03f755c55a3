import * as tf from '@tensorflow/tfjs-core';

import { previewValue } from '../options/preview_value.js';
import { SeededRandom } from './seeded_random.js';

/** A seed, or a generator to draw from (so successive parameters get successive values). */
export type RandomSource = number | SeededRandom;

function toRandom(source: RandomSource): SeededRandom {
  return typeof source === 'number' ? new SeededRandom(source) : source;
}

function checkShape(fn: string, shape: readonly number[]): number {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${fn}: shape must be an array of non-negative integers, got ${previewValue(shape)}`);
  }
  return shape.reduce((a, b) => a * b, 1);
}

/** Fan-in and fan-out as PyTorch computes them (dim 1 is fan-in, dim 0 fan-out, times receptive field). */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  const [outDim, inDim, ...receptiveDims] = shape;
  if (outDim === undefined || inDim === undefined) {
    throw new Error(`computeFans: shape needs at least 2 dimensions, got ${previewValue(shape)}`);
  }
  const receptive = receptiveDims.reduce((a, b) => a * b, 1);
  return { fanIn: inDim * receptive, fanOut: outDim * receptive };
}

/** Uniform on [low, high), drawn on the host from a seeded stream. */
export function randomUniform(shape: number[], low: number, high: number, random: RandomSource): tf.Tensor {
  const size = checkShape('randomUniform', shape);
  if (!(high >= low)) throw new Error(`randomUniform: high (${high}) must be >= low (${low})`);
  const rng = toRandom(random);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = low + (high - low) * rng.nextFloat();
  return tf.tensor(values, shape, 'float32');
}

/** Normal with the given mean and standard deviation. */
export function randomNormal(shape: number[], mean: number, std: number, random: RandomSource): tf.Tensor {
  const size = checkShape('randomNormal', shape);
  if (!(std >= 0)) throw new Error(`randomNormal: std must be >= 0, got ${std}`);
  const rng = toRandom(random);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = mean + std * rng.nextNormal();
  return tf.tensor(values, shape, 'float32');
}

/** Xavier/Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)). */
export function glorotUniform(shape: number[], random: RandomSource, gain = 1): tf.Tensor {
  const { fanIn, fanOut } = computeFans(shape);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return randomUniform(shape, -a, a, random);
}

/**
 * A (semi-)orthogonal matrix as torch.nn.init.orthogonal_ makes it: QR of a normal matrix, with the
 * signs of R's diagonal folded into Q so the result is uniformly distributed. Dimensions past the
 * first are flattened.
 */
export function orthogonal(shape: number[], random: RandomSource, gain = 1): tf.Tensor {
  const [rows, ...colDims] = shape;
  if (rows === undefined || colDims.length === 0) {
    throw new Error(`orthogonal: shape needs at least 2 dimensions, got ${previewValue(shape)}`);
  }
  const cols = colDims.reduce((a, b) => a * b, 1);
  const rng = toRandom(random);
  // Work on the tall orientation (m >= n): Q is m x n with orthonormal columns.
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const a = new Float64Array(m * n); // column-major: column j at a[j*m ...]
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const value = rng.nextNormal();
      if (rows >= cols) a[j * m + i] = value;
      else a[i * m + j] = value; // transpose
    }
  }
  // Modified Gram-Schmidt in float64. It yields R with a positive diagonal, which is what torch
  // gets by multiplying Householder QR's Q by sign(diag(R)).
  for (let j = 0; j < n; j++) {
    const cj = a.subarray(j * m, (j + 1) * m);
    for (let k = 0; k < j; k++) {
      const ck = a.subarray(k * m, (k + 1) * m);
      let dot = 0;
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- i < m, the columns' length
      for (let i = 0; i < m; i++) dot += ck[i]! * cj[i]!;
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- i < m, the columns' length
      for (let i = 0; i < m; i++) cj[i]! -= dot * ck[i]!;
    }
    let norm = 0;
    for (const v of cj) norm += v * v;
    norm = Math.sqrt(norm);
    if (norm === 0) throw new Error('orthogonal: drew a rank-deficient matrix; use another seed');
    cj.set(cj.map((v) => v / norm));
  }
  const values = new Float32Array(rows * cols);
  if (rows >= cols) {
    // a is the rows x cols result in column-major order: a[j*m + i] is entry (i, j).
    a.forEach((v, k) => {
      values[(k % m) * cols + Math.floor(k / m)] = gain * v;
    });
  } else {
    // a holds the transpose in column-major order, which is the result in row-major order.
    a.forEach((v, k) => {
      values[k] = gain * v;
    });
  }
  return tf.tensor(values, shape, 'float32');
}
