import * as tf from '@tensorflow/tfjs-core';

import { permuteRows } from '../ops/permute_rows.js';

// Keras masking for the recurrent layers. A mask from `Embedding({maskZero: true})` marks each row's
// real steps (tokens) and its padding, which may come before the tokens (Keras's default
// `padding='pre'`), after them, or between them. Keras skips masked steps, carrying the state, which
// is the same as running the recurrence over the row's tokens alone, in order. The fused kernels take
// per-row `lengths` counted from step 0 (PyTorch's packed sequences), so each row whose tokens do not
// already come first is reordered, tokens first, and the outputs are put back at their own steps.
// Masked steps' outputs are zeros, as with cuDNN.

/** Each row's real (unmasked) steps, as the fused recurrences take them. */
export interface RealSteps {
  /** How many real steps each row has. */
  lengths: Int32Array;
  /**
   * Per row, the step each position of the reordered sequence comes from, `[rows * cols]`: the real
   * steps first, in their order, then the padding. Null when every row's real steps come first already.
   */
  order: Int32Array | null;
}

/** Why rows of token ids or mask values (0 = padding), `[rows, cols]`, cannot be run, or null. */
export function realStepsProblem(values: ArrayLike<number>, [rows, cols]: [number, number]): string | null {
  for (let r = 0; r < rows; r++) {
    let real = false;
    for (let c = 0; c < cols && !real; c++) real = values[r * cols + c] !== 0;
    if (!real) return `[${r}] is all padding (0); with maskZero, keep at least one token per sequence`;
  }
  return null;
}

/** The real steps of rows `[rows, cols]` of token ids or mask values (0 = padding). */
export function realSteps(values: ArrayLike<number>, [rows, cols]: [number, number]): RealSteps {
  if (values.length !== rows * cols) {
    throw new Error(
      `realSteps: values has ${values.length} entries, expected rows · cols = ${rows} · ${cols} = ${rows * cols}`,
    );
  }
  const lengths = new Int32Array(rows);
  const order = new Int32Array(rows * cols);
  let reordered = false;
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let next = row;
    for (let c = 0; c < cols; c++) if (values[row + c] !== 0) order[next++] = c;
    const length = next - row;
    for (let c = 0; c < cols; c++) if (values[row + c] === 0) order[next++] = c;
    lengths[r] = length;
    // Ascending distinct steps are 0..length-1 exactly when the last one is length-1.
    if (length > 0 && order[row + length - 1] !== length - 1) reordered = true;
  }
  return { lengths, order: reordered ? order : null };
}

/**
 * The real steps of a mask `[rows, cols]` (0 = padding) computed on the device, for where it cannot
 * be read back synchronously (webgpu): `lengths` `[rows]` and `order` `[rows, cols]`, both int32,
 * with every row in order (rows already in order come back unchanged).
 */
export function realStepsOnDevice(mask: tf.Tensor): { lengths: tf.Tensor1D; order: tf.Tensor2D } {
  return tf.tidy(() => {
    const [, cols] = mask.shape as [number, number];
    const real = tf.cast(tf.notEqual(mask, 0), 'float32');
    // Sorting by real·cols + (cols − 1 − t), largest first, puts the real steps first, each group in
    // step order; the keys are distinct and exact in float32.
    const keys = tf.add(tf.mul(real, cols), tf.range(cols - 1, -1, -1, 'float32'));
    return {
      lengths: tf.cast(tf.sum(real, 1), 'int32') as tf.Tensor1D,
      order: tf.topk(keys, cols).indices as tf.Tensor2D,
    };
  });
}

/**
 * Flat indices into `[batch * time]` as one int32 tensor `[2, batch * time]`: row 0 gathers the steps
 * through `order`, row 1 gathers them back. One tensor, so a host order is one upload.
 */
function stepIndices(order: Int32Array | tf.Tensor, batch: number, time: number): tf.Tensor2D {
  if (order instanceof tf.Tensor) {
    if (order.shape.length !== 2 || order.shape[0] !== batch || order.shape[1] !== time) {
      throw new Error(
        `real steps: order has shape [${order.shape.join(', ')}], expected [${batch}, ${time}]`,
      );
    }
    return tf.tidy(() => {
      const rowStarts = tf.reshape(tf.range(0, batch * time, time, 'int32'), [batch, 1]);
      // The inverse permutation: the positions sorted by the step they take, smallest first.
      const inverse = tf.topk(tf.neg(tf.cast(order, 'float32')), time).indices;
      return tf.reshape(tf.stack([tf.add(tf.cast(order, 'int32'), rowStarts), tf.add(inverse, rowStarts)]), [
        2,
        batch * time,
      ]);
    });
  }
  const n = batch * time;
  if (order.length !== n) {
    throw new Error(`real steps: order has ${order.length} entries for ${batch} rows of ${time} steps`);
  }
  const indices = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- i < n === order.length, checked above
    const source = i - (i % time) + order[i]!;
    indices[i] = source;
    indices[n + source] = i;
  }
  return tf.tensor2d(indices, [2, n], 'int32');
}

/**
 * Permutes the steps of each row of `[batch, time, features]`: step t of row b comes from step
 * `order[b][t]` or, `inverse`, goes to it; the gradient is the opposite permutation.
 */
function permuteSteps(x: tf.Tensor, order: Int32Array | tf.Tensor, inverse: boolean): tf.Tensor {
  const [batch, time, features] = x.shape as [number, number, number];
  return tf.tidy(() =>
    tf.reshape(
      permuteRows(tf.reshape(x, [batch * time, features]), () => stepIndices(order, batch, time), inverse),
      [batch, time, features],
    ),
  );
}

/** `[batch, time, features]` with each row's real steps first, in order (`RealSteps.order`, host or device). */
export function realStepsFirst(x: tf.Tensor, order: Int32Array | tf.Tensor): tf.Tensor {
  return permuteSteps(x, order, false);
}

/**
 * The inverse, for the recurrence's outputs `[batch, time, units]`: each step's output back at its
 * own step. The fused recurrences leave zeros past each length, so masked steps come out as zeros.
 */
export function realStepsToPlace(y: tf.Tensor, order: Int32Array | tf.Tensor): tf.Tensor {
  return permuteSteps(y, order, true);
}
