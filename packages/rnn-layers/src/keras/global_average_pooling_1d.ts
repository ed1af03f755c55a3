import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { floatMask } from './float_mask.js';
import { APPLY_OPTIONS, type ApplyOptions, type Layer, type LayerConfig, type Shape } from './layer.js';

/**
 * Keras's GlobalAveragePooling1D: mean over the time axis of `[batch, time, features]`. With a
 * mask (from `Embedding({maskZero: true})`) only the real steps are averaged, as in Keras.
 */
const NAME_ONLY_OPTIONS = optionKeys<{ name?: string }>({ name: true });

export class GlobalAveragePooling1D implements Layer {
  readonly className = 'GlobalAveragePooling1D';
  readonly inputDtype = 'float32';
  readonly built = true;
  name: string;

  constructor(given?: { name?: string }) {
    const options = checkOptions('GlobalAveragePooling1D', given, NAME_ONLY_OPTIONS);
    this.name = options.name ?? '';
  }

  build(inputShape: Shape): void {
    if (inputShape.length !== 3) {
      throw new Error(
        `GlobalAveragePooling1D '${this.name}': input must be [batch, time, features], got shape [${inputShape.join(', ')}]`,
      );
    }
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, inputShape[2] ?? null];
  }

  apply(x: tf.Tensor, given?: ApplyOptions): tf.Tensor {
    const options = checkOptions('GlobalAveragePooling1D.apply', given, APPLY_OPTIONS);
    this.build(x.shape);
    const mask = options.mask;
    if (!mask) return tf.mean(x, 1);
    return tf.tidy(() => {
      const weights = floatMask(mask); // [batch, time]
      const total = tf.sum(tf.mul(x, tf.expandDims(weights, 2)), 1);
      // An all-padding row averages to 0 instead of 0/0 (the 1 filled on the device, not uploaded).
      return tf.div(total, tf.maximum(tf.sum(weights, 1, true), tf.fill([], 1)));
    });
  }

  namedWeights(): Array<[string, tf.Variable]> {
    return [];
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    const extra = Object.keys(weights);
    if (extra.length > 0)
      throw new Error(
        `GlobalAveragePooling1D '${this.name}'.setWeights: it has no weights, got ${extra.map((k) => `'${k}'`).join(', ')}`,
      );
  }

  getConfig(): LayerConfig {
    return { className: this.className, config: { name: this.name } };
  }

  dispose(): void {}
}
