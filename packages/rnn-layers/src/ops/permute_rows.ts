import * as tf from '@tensorflow/tfjs-core';

import { gatherRows } from './gather_rows.js';

/**
 * The rows of a 2-D `x` [n, width] in another order, with the inverse order as its gradient: both
 * directions are row gathers (gatherRows), never the scatter-add of tf.gather's gradient, which
 * tfjs-backend-wasm lacks. `makeIndices` gives an int32 [2, n]: row 0 says where each output row
 * comes from, row 1 the inverse; `inverse` swaps the two. It runs inside the op, so its tensor is
 * made once (a host array: one upload) and kept for the gradient.
 */
export function permuteRows(x: tf.Tensor, makeIndices: () => tf.Tensor, inverse = false): tf.Tensor {
  const n = x.shape[0]!;
  const [forward, backward] = inverse ? [1, 0] : [0, 1];
  const gatherBy = (v: tf.Tensor, indices: tf.Tensor, row: number) =>
    tf.tidy(() => gatherRows(v, tf.reshape(tf.slice(indices, [row, 0], [1, n]), [n])));
  const permute = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const indices = makeIndices();
    (args[1] as tf.GradSaveFunc)([indices]);
    return {
      value: gatherBy(args[0] as tf.Tensor, indices, forward),
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => gatherBy(dy, saved!, backward),
    };
  }) as (v: tf.Tensor) => tf.Tensor;
  return permute(x);
}
