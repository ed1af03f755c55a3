import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '@tensorflow/tfjs-core/dist/tensor_types.js';

import { KERAS_ADAM_UPDATE } from '../ops/kernel_names.js';
import { runKernel } from '../ops/kernel_config.js';
import { registerRnnLayersKernels } from '../ops/register_rnn_layers_kernels.js';

/**
 * Adam with Keras's update rule: variable −= lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε).
 * tfjs-core's AdamOptimizer (like PyTorch) adds ε to the bias-corrected √v̂ instead, which differs
 * for small gradients; this one reproduces Keras. The step size is computed on the host. Where the
 * backend has KERAS_ADAM_UPDATE (webgpu) a variable's step is that one kernel, else tfjs-core ops.
 */
export class KerasAdam extends tf.Optimizer {
  static get className(): string {
    return 'KerasAdam';
  }

  // Slots by position, as tfjs's optimizers keep them: pass gradients in the same order every step.
  private slots: Array<{ m: tf.Variable; v: tf.Variable }> = [];

  constructor(
    readonly learningRate = 0.001,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-7,
  ) {
    super();
    for (const [what, value, lo, hi] of [
      ['learningRate', learningRate, 0, Infinity],
      ['beta1', beta1, 0, 1],
      ['beta2', beta2, 0, 1],
      ['epsilon', epsilon, 0, Infinity],
    ] as const) {
      if (typeof value !== 'number' || !(value >= lo && value < hi))
        throw new Error(`KerasAdam: ${what} must be in [${lo}, ${hi}), got ${value}`);
    }
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: Array<[string, tf.Tensor | undefined]> = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor])
      : Object.entries(variableGradients);
    const t = this.iterations + 1;
    const alpha = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    registerRnnLayersKernels();
    const fused = tf.getKernel(KERAS_ADAM_UPDATE, tf.getBackend()) !== undefined;
    const attrs = { beta1: this.beta1, beta2: this.beta2, alpha, epsilon: this.epsilon };
    tf.tidy(() => {
      entries.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name];
        if (!value) throw new Error(`KerasAdam.applyGradients: no variable named '${name}'`);
        const { m, v } = (this.slots[i] ??= {
          m: tf.variable(tf.zerosLike(value), false),
          v: tf.variable(tf.zerosLike(value), false),
        });
        if (gradient == null) return;
        if (fused) {
          const [newValue, newM, newV] = runKernel(KERAS_ADAM_UPDATE, { value, gradient, m, v }, attrs);
          if (newValue === undefined || newM === undefined || newV === undefined)
            throw new Error(`KerasAdam.applyGradients: ${KERAS_ADAM_UPDATE} must return [value, m, v]`);
          m.assign(newM);
          v.assign(newV);
          value.assign(newValue);
          return;
        }
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2)));
        value.assign(tf.sub(value, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(v), this.epsilon))));
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    tf.dispose(this.slots.flatMap((s) => [s.m, s.v]));
    this.slots = [];
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [
      await this.saveIterations(),
      ...this.slots.map((s, i) => ({ name: `m${i}`, tensor: s.m })),
      ...this.slots.map((s, i) => ({ name: `v${i}`, tensor: s.v })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const count = rest.length / 2;
    this.dispose();
    for (let i = 0; i < count; i++) {
      const [m, v] = [rest[i], rest[count + i]];
      if (m === undefined || v === undefined)
        throw new Error(
          `KerasAdam.setWeights: expected the iteration count, then m0..mN and v0..vN, got ${rest.length} slot weights`,
        );
      this.slots.push({ m: tf.variable(m.tensor, false), v: tf.variable(v.tensor, false) });
    }
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
