import type * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

import { seededDropout } from '../ops/dropout.js';
import {
  APPLY_OPTIONS,
  checkSeed,
  randomSeed,
  type ApplyOptions,
  type Layer,
  type LayerConfig,
  type Shape,
} from './layer.js';

export interface DropoutOptions {
  /** Fraction of the inputs zeroed in training, in [0, 1). */
  rate: number;
  /** Seed of the masks (a new mask at every call); default random. */
  seed?: number;
  name?: string;
}

/**
 * Keras's Dropout: in training, each input is zeroed with probability `rate` and the others are
 * scaled by 1 / (1 − rate); in inference it passes its input through. The mask is drawn on the device
 * where the backend has the kernel (webgpu) and is the same on every backend for a seed. Masks from
 * `Embedding({maskZero: true})` pass through, as in Keras.
 */
const DROPOUT_OPTIONS = optionKeys<DropoutOptions>({ rate: true, seed: true, name: true });

export class Dropout implements Layer {
  readonly className = 'Dropout';
  readonly inputDtype = 'float32';
  readonly built = true;
  name: string;
  readonly rate: number;
  readonly seed: number;
  private readonly random: SeededRandom;

  constructor(given: DropoutOptions) {
    if (given === undefined)
      throw new TypeError('Dropout: options are required, e.g. new Dropout({ rate: 0.5 })');
    const options = checkOptions('Dropout', given, DROPOUT_OPTIONS, {
      bareValueHint: (v) => (typeof v === 'number' ? `new Dropout({ rate: ${v} })` : undefined),
    });
    const rate = options.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new Error(`Dropout: options.rate must be a number in [0, 1), got ${previewValue(rate)}`);
    }
    this.rate = rate;
    this.seed = checkSeed('Dropout: options.seed', options.seed) ?? randomSeed();
    this.random = new SeededRandom(this.seed);
    this.name = options.name ?? '';
  }

  build(_inputShape: Shape): void {}

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  apply(x: tf.Tensor, given?: ApplyOptions): tf.Tensor {
    const options = checkOptions('Dropout.apply', given, APPLY_OPTIONS);
    if (!options.training || this.rate === 0) return x;
    return seededDropout(x, this.rate, this.random.nextUint32());
  }

  computeMask(_x: tf.Tensor, mask: tf.Tensor | null): tf.Tensor | null {
    return mask;
  }

  namedWeights(): Array<[string, tf.Variable]> {
    return [];
  }

  randomState(): number[] {
    return this.random.getState();
  }

  setRandomState(state: readonly number[]): void {
    this.random.setState(state);
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    const extra = Object.keys(weights);
    if (extra.length > 0)
      throw new Error(
        `Dropout '${this.name}'.setWeights: it has no weights, got ${extra.map((k) => `'${k}'`).join(', ')}`,
      );
  }

  getConfig(): LayerConfig {
    return { className: this.className, config: { name: this.name, rate: this.rate, seed: this.seed } };
  }

  dispose(): void {}
}
