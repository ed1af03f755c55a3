import * as tf from '@tensorflow/tfjs-core';

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
 * Permutes the steps of each row of `[batch, time, features]`: step t of row b comes from step
 * `order[b * time + t]`, or, `inverse`, goes to it. The gradient is the opposite permutation: a
 * gather, not the scatter-add of tf.gather's gradient, which tfjs-backend-wasm lacks.
 */
function permuteSteps(x: tf.Tensor, order: Int32Array, inverse: boolean): tf.Tensor {
  const [batch, time, features] = x.shape as [number, number, number];
  if (order.length !== batch * time) {
    throw new Error(`real steps: order has ${order.length} entries for ${batch} rows of ${time} steps`);
  }
  // Flat source rows of [batch * time, features]: forward gathers through `order`, back through its inverse.
  const through = new Int32Array(order.length);
  const against = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const row = i - (i % time);
    through[i] = row + order[i]!;
    against[row + order[i]!] = i;
  }
  const [forward, backward] = inverse ? [against, through] : [through, against];
  const gatherSteps = (v: tf.Tensor, source: Int32Array) => tf.tidy(() =>
    tf.reshape(tf.gather(tf.reshape(v, [batch * time, features]), tf.tensor1d(source, 'int32')), [batch, time, features]));
  const permute = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: gatherSteps(args[0] as tf.Tensor, forward),
    gradFunc: (dy: tf.Tensor) => gatherSteps(dy, backward),
  })) as (v: tf.Tensor) => tf.Tensor;
  return permute(x);
}

/** `[batch, time, features]` with each row's real steps first, in order (`RealSteps.order`). */
export function realStepsFirst(x: tf.Tensor, order: Int32Array): tf.Tensor {
  return permuteSteps(x, order, false);
}

/**
 * The inverse, for the recurrence's outputs `[batch, time, units]`: each step's output back at its
 * own step. The fused recurrences leave zeros past each length, so masked steps come out as zeros.
 */
export function realStepsToPlace(y: tf.Tensor, order: Int32Array): tf.Tensor {
  return permuteSteps(y, order, true);
}
