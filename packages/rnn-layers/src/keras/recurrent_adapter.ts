import * as tf from '@tensorflow/tfjs-core';
import { checkOptions } from '@rnnkit/tensor-core';

import { APPLY_OPTIONS, type ApplyOptions, type Layer, type LayerConfig, type Shape } from './layer.js';
import {
  realSteps,
  realStepsFirst,
  realStepsOnDevice,
  realStepsProblem,
  realStepsToPlace,
  type RealSteps,
} from './real_steps.js';

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
  randomState?(): number[];
  setRandomState?(state: readonly number[]): void;
}

export function isRecurrentLayerLike(value: unknown): value is RecurrentLayerLike {
  const v = value as Partial<RecurrentLayerLike> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.namedParameters === 'function' &&
    typeof v.loadStateDict === 'function' &&
    typeof v.apply === 'function' &&
    typeof v.build === 'function'
  );
}

/**
 * Lets a recurrent layer sit in a `Sequential`: a mask from `Embedding({maskZero: true})` becomes
 * each row's real steps (real_steps.ts), with padding before them ('pre', Keras's default), after
 * them or between them. Weights keep their PyTorch names.
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
      throw new Error(
        `${this.className} '${this.name}': input must be [batch, time, features] with known features, got shape [${inputShape.join(', ')}]`,
      );
    }
    this.layer.build(features);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const batch = inputShape[0] ?? null;
    return this.layer.returnSequences
      ? [batch, inputShape[1] ?? null, this.layer.outputSize]
      : [batch, this.layer.outputSize];
  }

  apply(x: tf.Tensor, given?: ApplyOptions): tf.Tensor {
    const options = checkOptions(`${this.className}.apply`, given, APPLY_OPTIONS);
    if (x.rank !== 3) {
      throw new Error(
        `${this.className} '${this.name}': input must be [batch, time, features], got shape [${x.shape.join(', ')}]`,
      );
    }
    const training = options.training ?? false;
    const mask = options.mask;
    if (!mask) return this.layer.apply(x, { training });
    const steps = options.realSteps ?? this.realStepsOfMask(mask);
    return tf.tidy(() => {
      // A mask that cannot be read back synchronously (webgpu) is reordered on the device, and the
      // kernels there read the lengths on the device too.
      const { lengths, order } = steps ?? realStepsOnDevice(mask);
      if (!order) return this.layer.apply(x, { training, lengths });
      const out = this.layer.apply(realStepsFirst(x, order), { training, lengths });
      return this.layer.returnSequences ? realStepsToPlace(out, order) : out;
    });
  }

  /** The mask's real steps read back to the host, or null where that cannot be done synchronously. */
  private realStepsOfMask(mask: tf.Tensor): RealSteps | null {
    let values: ArrayLike<number>;
    try {
      values = mask.dataSync() as ArrayLike<number>;
    } catch {
      return null;
    }
    const shape = mask.shape as [number, number];
    const problem = realStepsProblem(values, shape);
    if (problem) throw new Error(`${this.className} '${this.name}': mask${problem}`);
    return realSteps(values, shape);
  }

  /** The mask goes on only with the sequence it describes. */
  computeMask(_x: tf.Tensor, mask: tf.Tensor | null): tf.Tensor | null {
    return this.layer.returnSequences ? mask : null;
  }

  randomState(): number[] {
    return this.layer.randomState?.() ?? [];
  }

  setRandomState(state: readonly number[]): void {
    if (this.layer.setRandomState) this.layer.setRandomState(state);
  }

  namedWeights(): Array<[string, tf.Variable]> {
    return this.layer.built ? this.layer.namedParameters() : [];
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    this.layer.loadStateDict(weights);
  }

  getConfig(): LayerConfig {
    return {
      className: this.className,
      config: { ...(this.layer.getConfig() as Record<string, unknown>), name: this.name },
    };
  }

  dispose(): void {
    this.layer.dispose();
  }
}
