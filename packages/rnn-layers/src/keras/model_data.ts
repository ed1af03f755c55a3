import * as tf from '@tensorflow/tfjs-core';
import { previewValue } from '@rnnkit/tensor-core';

import { realSteps, type RealSteps } from './real_steps.js';

/**
 * Nested number arrays → tensor, checking they are rectangular and numeric. tf.tensor does not
 * check: a ragged array silently gets a wrong shape and fails later in some kernel.
 */
export function arrayToTensor(data: unknown, dtype: 'float32' | 'int32', where: string): tf.Tensor {
  if (ArrayBuffer.isView(data)) return tf.tensor(data as Float32Array | Int32Array, undefined, dtype);
  if (!Array.isArray(data)) throw new Error(`${where} must be a Tensor or an array of numbers, got ${Object.prototype.toString.call(data)}`);
  const shape: number[] = [];
  for (let level: unknown = data; Array.isArray(level); level = level[0]) shape.push(level.length);
  const values: number[] = [];
  const walk = (node: unknown, depth: number, path: string) => {
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new Error(`${where}${path} must be a number, got ${previewValue(node)}`);
      values.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new Error(`${where} must be a rectangular array: ${where}${path} has ${Array.isArray(node) ? `length ${node.length}` : 'no elements'}, expected length ${shape[depth]}`);
    }
    node.forEach((child, i) => walk(child, depth + 1, `${path}[${i}]`));
  };
  walk(data, 0, '');
  return tf.tensor(values, shape, dtype);
}

/**
 * Samples kept on the host and uploaded one batch at a time, as Keras feeds NumPy arrays. Batching
 * on the host also avoids gathering int32 rows on the device (tfjs-webgpu 4.22 miscompiles some
 * int32 kernels).
 */
export class HostSamples {
  readonly count: number;
  private readonly rowSize: number;

  private constructor(
    private readonly values: Float32Array | Int32Array,
    readonly shape: number[],
    readonly dtype: 'float32' | 'int32',
  ) {
    this.count = shape[0]!;
    this.rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  }

  static async from(tensor: tf.Tensor, dtype: 'float32' | 'int32'): Promise<HostSamples> {
    const data = await tensor.data();
    const values = dtype === 'int32' ? Int32Array.from(data as ArrayLike<number>) : Float32Array.from(data as ArrayLike<number>);
    return new HostSamples(values, [...tensor.shape], dtype);
  }

  /** A tensor of the rows `indices`, in that order. */
  /** The flat index of the first value that is NaN or infinite, or -1. */
  firstNonFinite(): number {
    return this.values.findIndex((v) => !Number.isFinite(v));
  }

  rows(indices: readonly number[]): tf.Tensor {
    const out = this.dtype === 'int32' ? new Int32Array(indices.length * this.rowSize) : new Float32Array(indices.length * this.rowSize);
    indices.forEach((row, i) => out.set(this.values.subarray(row * this.rowSize, (row + 1) * this.rowSize), i * this.rowSize));
    return tf.tensor(out, [indices.length, ...this.shape.slice(1)], this.dtype);
  }

  /** For `[n, time]` token ids with padding 0: the real steps of the rows `indices`. */
  realSteps(indices: readonly number[]): RealSteps {
    const picked = new Int32Array(indices.length * this.rowSize);
    indices.forEach((row, i) => picked.set(this.values.subarray(row * this.rowSize, (row + 1) * this.rowSize), i * this.rowSize));
    return realSteps(picked, [indices.length, this.rowSize]);
  }

  /** A tensor of rows [start, start + size). */
  range(start: number, size: number): tf.Tensor {
    return tf.tensor(this.values.slice(start * this.rowSize, (start + size) * this.rowSize), [size, ...this.shape.slice(1)], this.dtype);
  }

  /** The samples [start, start + size) as their own set. */
  split(start: number, size: number): HostSamples {
    return new HostSamples(this.values.subarray(start * this.rowSize, (start + size) * this.rowSize), [size, ...this.shape.slice(1)], this.dtype);
  }
}
