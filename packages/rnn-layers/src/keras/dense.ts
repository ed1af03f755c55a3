import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform, SeededRandom, checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { booleanOption, previewValue } from '@rnnkit/tensor-core/internal';

import { applyActivation, isActivationName, ACTIVATIONS, type ActivationName } from './activations.js';
import {
  checkNoExtraWeights,
  checkPositiveInteger,
  checkSeed,
  checkWeightShape,
  randomSeed,
  uniqueVariableName,
  APPLY_OPTIONS,
  type ApplyOptions,
  type Layer,
  type LayerConfig,
  type Shape,
} from './layer.js';
import { checkParameterBudget } from './parameter_budget.js';

export interface DenseOptions {
  units: number;
  /** Default 'linear' (none), as in Keras. */
  activation?: ActivationName;
  /** Default true. */
  useBias?: boolean;
  /** Seed for the Glorot-uniform kernel; default random. */
  seed?: number;
  /** Input features; default inferred from the first input. */
  inputDim?: number;
  name?: string;
}

/**
 * Keras's Dense: `activation(x · kernel + bias)` over the last axis, kernel `[inputDim, units]`
 * (Keras layout; PyTorch's nn.Linear stores its transpose). Kernel Glorot-uniform and bias zeros,
 * Keras's defaults, drawn on the host so a seed gives the same weights on every backend.
 */
const DENSE_OPTIONS = optionKeys<DenseOptions>({
  units: true,
  activation: true,
  useBias: true,
  seed: true,
  inputDim: true,
  name: true,
});

export class Dense implements Layer {
  readonly className = 'Dense';
  readonly inputDtype = 'float32';
  name: string;
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly seed: number;
  private kernel: tf.Variable | null = null;
  private bias: tf.Variable | null = null;
  private inputDimValue: number | undefined;

  constructor(given: DenseOptions) {
    if (given === undefined) throw new TypeError('Dense: options are required, e.g. new Dense({ units: 1 })');
    const options = checkOptions('Dense', given, DENSE_OPTIONS, {
      bareValueHint: (v) => (typeof v === 'number' ? `new Dense({ units: ${v} })` : undefined),
    });
    this.units = checkPositiveInteger('Dense: options.units', options.units);
    const activation = options.activation ?? 'linear';
    if (!isActivationName(activation)) {
      throw new Error(
        `Dense: options.activation must be one of ${ACTIVATIONS.join(', ')}, got ${previewValue(activation)}`,
      );
    }
    this.activation = activation;
    this.useBias = booleanOption('Dense', 'options.useBias', options.useBias, true);
    this.seed = checkSeed('Dense: options.seed', options.seed) ?? randomSeed();
    this.name = options.name ?? '';
    if (options.inputDim !== undefined)
      this.build([null, checkPositiveInteger('Dense: options.inputDim', options.inputDim)]);
  }

  get built(): boolean {
    return this.kernel !== null;
  }

  get inputDim(): number | undefined {
    return this.inputDimValue;
  }

  build(inputShape: Shape): void {
    const features = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || typeof features !== 'number') {
      throw new Error(
        `Dense '${this.name}': input shape must be [batch, ..., features] with known features, got [${inputShape.join(', ')}]`,
      );
    }
    if (this.kernel) {
      if (features !== this.inputDimValue) {
        throw new Error(
          `Dense '${this.name}': input has ${features} features, but the layer was built for ${this.inputDimValue}`,
        );
      }
      return;
    }
    this.inputDimValue = features;
    const rng = new SeededRandom(this.seed);
    // Variables outlive tidy; their initial values do not.
    checkParameterBudget(`Dense '${this.name}'`, features * this.units + (this.useBias ? this.units : 0));
    this.kernel = tf.tidy(() =>
      tf.variable(glorotUniform([features, this.units], rng), true, uniqueVariableName(this.name, 'kernel')),
    );
    if (this.useBias)
      this.bias = tf.tidy(() =>
        tf.variable(tf.zeros([this.units]), true, uniqueVariableName(this.name, 'bias')),
      );
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  /** The kernel and the input size it was built for; throws before `build`. */
  private builtKernel(fn: string): { kernel: tf.Variable; inputDim: number } {
    if (this.kernel === null || this.inputDimValue === undefined)
      throw new Error(`Dense '${this.name}'.${fn}: the layer is not built yet`);
    return { kernel: this.kernel, inputDim: this.inputDimValue };
  }

  apply(x: tf.Tensor, options?: ApplyOptions): tf.Tensor {
    checkOptions('Dense.apply', options, APPLY_OPTIONS);
    if (!(x instanceof tf.Tensor)) throw new Error(`Dense '${this.name}': x must be a Tensor`);
    this.build(x.shape);
    // build checked that x's last axis is the kernel's input size.
    const { kernel, inputDim: features } = this.builtKernel('apply');
    return tf.tidy(() => {
      const flat = x.rank === 2 ? x : tf.reshape(x, [-1, features]);
      let y = tf.matMul(flat, kernel);
      if (this.bias) y = tf.add(y, this.bias);
      if (x.rank !== 2) y = tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
      return applyActivation(this.activation, y);
    });
  }

  /** Dense passes the mask through, as Keras's Dense does. */
  computeMask(_x: tf.Tensor, mask: tf.Tensor | null): tf.Tensor | null {
    return mask;
  }

  namedWeights(): Array<[string, tf.Variable]> {
    const out: Array<[string, tf.Variable]> = [];
    if (this.kernel) out.push(['kernel', this.kernel]);
    if (this.bias) out.push(['bias', this.bias]);
    return out;
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    const owner = `Dense '${this.name}'`;
    const names = this.useBias ? ['kernel', 'bias'] : ['kernel'];
    checkNoExtraWeights(owner, weights, names);
    if (!this.built) {
      const kernel = weights.kernel;
      const inputDim = kernel?.shape[0];
      if (kernel === undefined || kernel.rank !== 2 || inputDim === undefined) {
        throw new Error(
          `${owner}.setWeights: 'kernel' must be a [inputDim, ${this.units}] tensor, got ${kernel ? `shape [${kernel.shape.join(', ')}]` : 'nothing'}`,
        );
      }
      this.build([null, inputDim]);
    }
    const built = this.builtKernel('setWeights');
    const kernel = checkWeightShape(owner, 'kernel', [built.inputDim, this.units], weights.kernel);
    const bias = this.useBias ? checkWeightShape(owner, 'bias', [this.units], weights.bias) : null;
    const biasVariable = this.bias;
    if (bias && biasVariable === null) throw new Error(`${owner}.setWeights: the layer has no bias variable`);
    tf.tidy(() => {
      built.kernel.assign(tf.cast(kernel, 'float32'));
      if (bias && biasVariable) biasVariable.assign(tf.cast(bias, 'float32'));
    });
  }

  getConfig(): LayerConfig {
    return {
      className: this.className,
      config: {
        name: this.name,
        units: this.units,
        activation: this.activation,
        useBias: this.useBias,
        seed: this.seed,
        ...(this.inputDimValue !== undefined ? { inputDim: this.inputDimValue } : {}),
      },
    };
  }

  dispose(): void {
    this.kernel?.dispose();
    this.bias?.dispose();
    this.kernel = null;
    this.bias = null;
    this.inputDimValue = undefined;
  }
}
