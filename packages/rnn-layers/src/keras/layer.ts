import type * as tf from '@tensorflow/tfjs-core';
import { optionKeys } from '@rnnkit/tensor-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

import type { RealSteps } from './real_steps.js';

/** A shape with the batch dimension (and possibly others) unknown, as Keras writes it: `[null, 500]`. */
export type Shape = Array<number | null>;

/** JSON-safe layer configuration: `{className, config}` is enough to rebuild the layer (weights apart). */
export interface LayerConfig {
  className: string;
  config: Record<string, unknown>;
}

export interface ApplyOptions {
  /** Training mode (dropout on). Default false. */
  training?: boolean;
  /**
   * Which time steps are real (1) or padding (0), `[batch, time]`, from an `Embedding` with
   * `maskZero`. Layers that support masking use it; the container passes it on.
   */
  mask?: tf.Tensor;
  /**
   * The mask's real steps per row, on the host, when the container knows them (it cuts batches on
   * the host). Recurrent layers prefer them: reading a device mask back is not possible
   * synchronously on webgpu.
   */
  realSteps?: RealSteps;
}

export const APPLY_OPTIONS = optionKeys<ApplyOptions>({ training: true, mask: true, realSteps: true });

/**
 * The contract between `Sequential` and a layer. Layers are built lazily from the first input
 * shape (Keras's `build`), own their `tf.Variable`s and name them for saving.
 */
export interface Layer {
  /** Unique within a model; `Sequential` assigns one (`dense`, `dense_1`, …) when empty. */
  name: string;
  readonly className: string;
  readonly built: boolean;
  /** dtype the layer wants as model input when it is the first layer (`int32` for Embedding). */
  readonly inputDtype: 'float32' | 'int32';
  /** Creates the variables for inputs of this shape (idempotent for the same feature size). */
  build(inputShape: Shape): void;
  computeOutputShape(inputShape: Shape): Shape;
  apply(x: tf.Tensor, options?: ApplyOptions): tf.Tensor;
  /** The mask the next layer sees, or null (the default: masks stop here). */
  computeMask?(x: tf.Tensor, mask: tf.Tensor | null): tf.Tensor | null;
  /** Weights by short name (`kernel`, `bias`, `weight_ih_l0`…), in a stable order. */
  namedWeights(): Array<[string, tf.Variable]>;
  /** Where the layer's training-time random stream stands (dropout masks), for checkpoints; absent when it draws none. */
  randomState?(): number[];
  /** Continues the stream from `randomState()` output (a resumed run then draws the same masks). */
  setRandomState?(state: readonly number[]): void;
  /** Replaces every weight from `weights` (same names and shapes as `namedWeights`); builds if needed. */
  setWeights(weights: Record<string, tf.Tensor>): void;
  getConfig(): LayerConfig;
  dispose(): void;
}

/** Keras-style snake_case of a class name: `SimpleRNN` → `simple_rnn`, `GlobalAveragePooling1D` → `global_average_pooling1d`. */
export function snakeCase(className: string): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Throws unless `value` is a positive integer; the message names `what`. */
export function checkPositiveInteger(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new Error(`${what} must be a positive integer, got ${previewValue(value)}`);
  }
  return value;
}

export function checkSeed(what: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new Error(`${what} must be a safe integer, got ${previewValue(value)}`);
  }
  return value;
}

/** A fresh random seed for layers built without one (like Keras and PyTorch, unseeded is random). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

let variableCounter = 0;

/** tfjs variable names are global; this makes each layer's weights unique (`dense_3/kernel#12`). */
export function uniqueVariableName(layerName: string, weightName: string): string {
  variableCounter += 1;
  return `${layerName || 'layer'}/${weightName}#${variableCounter}`;
}

/**
 * Checks a replacement weight against the current one; errors name the weight and both shapes.
 */
export function checkWeightShape(
  owner: string,
  name: string,
  expected: readonly number[],
  got: tf.Tensor | undefined,
): tf.Tensor {
  if (got === undefined)
    throw new Error(`${owner}.setWeights: missing weight '${name}' (shape [${expected.join(', ')}])`);
  if (got.shape.length !== expected.length || got.shape.some((d, i) => d !== expected[i])) {
    throw new Error(
      `${owner}.setWeights: weight '${name}' has shape [${got.shape.join(', ')}], expected [${expected.join(', ')}]`,
    );
  }
  return got;
}

export function checkNoExtraWeights(
  owner: string,
  weights: Record<string, tf.Tensor>,
  known: readonly string[],
): void {
  const extra = Object.keys(weights).filter((k) => !known.includes(k));
  if (extra.length > 0) {
    throw new Error(
      `${owner}.setWeights: unexpected weight(s) ${extra.map((k) => `'${k}'`).join(', ')}; expected ${known.map((k) => `'${k}'`).join(', ')}`,
    );
  }
}
