import * as tf from '@tensorflow/tfjs-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

/**
 * Nested number arrays → tensor, checking they are rectangular and numeric. tf.tensor does not
 * check: a ragged array silently gets a wrong shape and fails later in some kernel.
 */
export function arrayToTensor(data: unknown, dtype: 'float32' | 'int32', where: string): tf.Tensor {
  if (ArrayBuffer.isView(data)) return tf.tensor(data as Float32Array | Int32Array, undefined, dtype);
  if (!Array.isArray(data))
    throw new Error(
      `${where} must be a Tensor or an array of numbers, got ${Object.prototype.toString.call(data)}`,
    );
  const shape: number[] = [];
  for (let level: unknown = data; Array.isArray(level); level = level[0]) shape.push(level.length);
  const values: number[] = [];
  const walk = (node: unknown, depth: number, path: string) => {
    if (depth === shape.length) {
      if (typeof node !== 'number')
        throw new Error(`${where}${path} must be a number, got ${previewValue(node)}`);
      values.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new Error(
        `${where} must be a rectangular array: ${where}${path} has ${Array.isArray(node) ? `length ${node.length}` : 'no elements'}, expected length ${shape[depth]}`,
      );
    }
    node.forEach((child, i) => walk(child, depth + 1, `${path}[${i}]`));
  };
  walk(data, 0, '');
  return tf.tensor(values, shape, dtype);
}

/** Steps [start, end) of `[n, time]` samples. */
export interface StepRange {
  start: number;
  end: number;
}

/**
 * Samples kept on the host and uploaded one batch at a time, as Keras feeds NumPy arrays. Batching
 * on the host also avoids gathering int32 rows on the device (tfjs-webgpu 4.22 miscompiles some
 * int32 kernels).
 */
export class HostSamples {
  readonly count: number;
  private readonly rowSize: number;
  private extents: { first: Int32Array; end: Int32Array; lengths: Int32Array } | null = null;

  private constructor(
    private readonly values: Float32Array | Int32Array,
    readonly shape: number[],
    readonly dtype: 'float32' | 'int32',
  ) {
    const count = shape[0];
    if (count === undefined) throw new Error('HostSamples: samples need a leading sample axis, got a scalar');
    this.count = count;
    this.rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  }

  static async from(tensor: tf.Tensor, dtype: 'float32' | 'int32'): Promise<HostSamples> {
    const data = await tensor.data();
    const values =
      dtype === 'int32'
        ? Int32Array.from(data as ArrayLike<number>)
        : Float32Array.from(data as ArrayLike<number>);
    return new HostSamples(values, [...tensor.shape], dtype);
  }

  /** The flat index of the first value that is NaN or infinite, or -1. */
  firstNonFinite(): number {
    return this.values.findIndex((v) => !Number.isFinite(v));
  }

  /** A tensor of the rows `indices`, in that order; of `[n, time]` samples, only the steps in `steps`. */
  rows(indices: readonly number[], steps?: StepRange): tf.Tensor {
    const { values, shape } = this.pickRows(indices, steps);
    return tf.tensor(values, shape, this.dtype);
  }

  /** The values of `rows(indices, steps)` on the host, with their shape. */
  pickRows(
    indices: readonly number[],
    steps?: StepRange,
  ): { values: Float32Array | Int32Array; shape: number[] } {
    const width = steps ? steps.end - steps.start : this.rowSize;
    const offset = steps ? steps.start : 0;
    const values =
      this.dtype === 'int32'
        ? new Int32Array(indices.length * width)
        : new Float32Array(indices.length * width);
    indices.forEach((row, i) =>
      values.set(
        this.values.subarray(row * this.rowSize + offset, row * this.rowSize + offset + width),
        i * width,
      ),
    );
    return { values, shape: steps ? [indices.length, width] : [indices.length, ...this.shape.slice(1)] };
  }

  /**
   * For `[n, time]` token ids with padding 0: each row's first real step, one past its last (0 and 0
   * for a row of padding only) and their difference. Computed once.
   */
  private tokenExtents(): { first: Int32Array; end: Int32Array; lengths: Int32Array } {
    if (this.extents) return this.extents;
    if (this.shape.length !== 2)
      throw new Error(
        `HostSamples.tokenExtents: samples have shape [${this.shape.join(', ')}], expected [n, time]`,
      );
    const first = new Int32Array(this.count);
    const end = new Int32Array(this.count);
    const lengths = new Int32Array(this.count);
    for (let r = 0; r < this.count; r++) {
      const row = this.values.subarray(r * this.rowSize, (r + 1) * this.rowSize);
      let a = 0;
      while (a < row.length && row[a] === 0) a++;
      let b = row.length;
      while (b > a && row[b - 1] === 0) b--;
      const [rowFirst, rowEnd] = a < b ? [a, b] : [0, 0];
      first[r] = rowFirst;
      end[r] = rowEnd;
      lengths[r] = rowEnd - rowFirst;
    }
    this.extents = { first, end, lengths };
    return this.extents;
  }

  /** For `[n, time]` token ids with padding 0: each row's span from its first token to its last (0 for padding only). */
  tokenLengths(): Int32Array {
    return this.tokenExtents().lengths;
  }

  /** The steps of the rows `indices` that hold a token in at least one of them (all steps if none does). */
  tokenSteps(indices: readonly number[]): StepRange {
    const { first, end } = this.tokenExtents();
    let start = this.rowSize;
    let stop = 0;
    for (const r of indices) {
      const [rowFirst, rowEnd] = [first[r], end[r]];
      if (rowFirst === undefined || rowEnd === undefined)
        throw new Error(`HostSamples.tokenSteps: row ${r} is outside [0, ${this.count})`);
      if (rowEnd === 0) continue;
      start = Math.min(start, rowFirst);
      stop = Math.max(stop, rowEnd);
    }
    return stop > start ? { start, end: stop } : { start: 0, end: this.rowSize };
  }

  /** The samples [start, start + size) as their own set. */
  split(start: number, size: number): HostSamples {
    return new HostSamples(
      this.values.subarray(start * this.rowSize, (start + size) * this.rowSize),
      [size, ...this.shape.slice(1)],
      this.dtype,
    );
  }
}
