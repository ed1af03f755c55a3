import * as tf from '@tensorflow/tfjs-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

export interface ClippedGradients<T> {
  /** The gradients scaled by min(1, maxNorm / globalNorm); new tensors the caller owns. */
  grads: T;
  /** ‖all gradients‖₂ before clipping (a scalar tensor the caller owns). */
  globalNorm: tf.Scalar;
}

/**
 * Scales gradients so their joint L2 norm is at most `maxNorm`, like tf.clip_by_global_norm
 * (and torch.nn.utils.clip_grad_norm_, which adds 1e-6 to the norm; the difference is below float32
 * noise for norms far from 0). Accepts an array or a name → gradient map.
 * Stays on the device: no host read, so it costs no GPU sync.
 */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): ClippedGradients<tf.Tensor[]>;
export function clipByGlobalNorm(
  grads: tf.NamedTensorMap,
  maxNorm: number,
): ClippedGradients<tf.NamedTensorMap>;
export function clipByGlobalNorm(
  grads: tf.Tensor[] | tf.NamedTensorMap,
  maxNorm: number,
): ClippedGradients<tf.Tensor[] | tf.NamedTensorMap> {
  if (typeof maxNorm !== 'number' || !(maxNorm > 0) || !Number.isFinite(maxNorm)) {
    throw new Error(`clipByGlobalNorm: maxNorm must be a positive finite number, got ${maxNorm}`);
  }
  if (grads === null || typeof grads !== 'object') {
    throw new Error('clipByGlobalNorm: grads must be an array of Tensors or an object of name -> Tensor');
  }
  const entries: Array<[string, tf.Tensor]> = Array.isArray(grads)
    ? grads.map((g, i) => [String(i), g])
    : Object.entries(grads);
  for (const [key, g] of entries) {
    if (!(g instanceof tf.Tensor))
      throw new Error(
        `clipByGlobalNorm: grads[${previewValue(Array.isArray(grads) ? Number(key) : key)}] is not a Tensor`,
      );
  }
  if (entries.length === 0) throw new Error('clipByGlobalNorm: grads is empty');
  return tf.tidy(() => {
    const squares = entries.map(([, g]) => tf.sum(tf.square(g)));
    const [only, ...others] = squares;
    const globalNorm = tf.sqrt(
      only !== undefined && others.length === 0 ? only : tf.addN(squares),
    ) as tf.Scalar;
    // scale = maxNorm / max(norm, maxNorm): 1 when under the limit, and no 0/0 for zero gradients.
    const scale = tf.div(maxNorm, tf.maximum(globalNorm, maxNorm));
    if (Array.isArray(grads)) return { grads: entries.map(([, g]) => tf.mul(g, scale)), globalNorm };
    const map: tf.NamedTensorMap = {};
    for (const [name, g] of entries) map[name] = tf.mul(g, scale);
    return { grads: map, globalNorm };
  });
}
