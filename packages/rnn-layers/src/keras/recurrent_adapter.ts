import * as tf from '@tensorflow/tfjs-core';

import type { ApplyOptions, Layer, LayerConfig, Shape } from './layer.js';

/**
 * What `Sequential` needs from the recurrent layers (`SimpleRNN`, `LSTM`, `GRU`): their Keras-style
 * `apply` (batch-first input, `returnSequences`) and their PyTorch-named parameters.
 */
export interface RecurrentLayerLike {
  readonly className: string;
  readonly returnSequences: boolean;
  readonly outputSize: number;
  readonly built: boolean;
  readonly inputSize: number | undefined;
  build(inputSize: number): void;
  apply(x: tf.Tensor, options?: { training?: boolean; lengths?: tf.Tensor | ArrayLike<number> }): tf.Tensor;
  namedParameters(): Array<[string, tf.Variable]>;
  loadStateDict(state: Record<string, tf.Tensor>): void;
  getConfig(): object;
  dispose(): void;
}

export function isRecurrentLayerLike(value: unknown): value is RecurrentLayerLike {
  const v = value as Partial<RecurrentLayerLike> | null;
  return typeof v === 'object' && v !== null && typeof v.namedParameters === 'function'
    && typeof v.loadStateDict === 'function' && typeof v.apply === 'function' && typeof v.build === 'function';
}

/**
 * Lets a recurrent layer sit in a `Sequential`: a mask from `Embedding({maskZero: true})` becomes
 * per-sequence `lengths` (the number of real steps), which is Keras's masking for post-padded
 * sequences (`Sequential` checks the padding is at the end). Weights keep their PyTorch names.
 */
export class RecurrentAdapter implements Layer {
  readonly inputDtype = 'float32';
  name = '';

  constructor(readonly layer: RecurrentLayerLike) {}

  get className(): string {
    return this.layer.className;
  }

  get built(): boolean {
    return this.layer.built;
  }

  build(inputShape: Shape): void {
    const features = inputShape[2];
    if (inputShape.length !== 3 || typeof features !== 'number') {
      throw new Error(`${this.className} '${this.name}': input must be [batch, time, features] with known features, got shape [${inputShape.join(', ')}]`);
    }
    this.layer.build(features);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const batch = inputShape[0] ?? null;
    return this.layer.returnSequences ? [batch, inputShape[1] ?? null, this.layer.outputSize] : [batch, this.layer.outputSize];
  }

  apply(x: tf.Tensor, options: ApplyOptions = {}): tf.Tensor {
    if (x.rank !== 3) {
      throw new Error(`${this.className} '${this.name}': input must be [batch, time, features], got shape [${x.shape.join(', ')}]`);
    }
    if (!options.mask) return this.layer.apply(x, { training: options.training ?? false });
    if (options.lengths) return this.layer.apply(x, { training: options.training ?? false, lengths: options.lengths });
    return tf.tidy(() => {
      const lengths = tf.sum(tf.cast(options.mask!, 'int32'), 1) as tf.Tensor1D;
      return this.layer.apply(x, { training: options.training ?? false, lengths });
    });
  }

  /** The mask goes on only with the sequence it describes. */
  computeMask(_x: tf.Tensor, mask: tf.Tensor | null): tf.Tensor | null {
    return this.layer.returnSequences ? mask : null;
  }

  namedWeights(): Array<[string, tf.Variable]> {
    return this.layer.built ? this.layer.namedParameters() : [];
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    this.layer.loadStateDict(weights);
  }

  getConfig(): LayerConfig {
    return { className: this.className, config: { ...(this.layer.getConfig() as Record<string, unknown>), name: this.name } };
  }

  dispose(): void {
    this.layer.dispose();
  }
}
