import * as tf from '@tensorflow/tfjs-core';

import { RMSPROP_UPDATE } from '../ops/kernel_names.js';
import { runKernel } from '../ops/kernel_config.js';
import { registerRnnLayersKernels } from '../ops/register_rnn_layers_kernels.js';

// tfjs-core's RMSprop (the rule Keras uses: ε inside the square root) with each variable's step as
// ONE kernel where the backend has it (RMSPROP_UPDATE, on webgpu): tfjs-core runs eleven small ops
// per variable and uploads its hyperparameters as new scalar tensors at every step, which on a GPU
// costs more than the update itself. Elsewhere, and for `centered`, tfjs-core's own update runs.
// Slots, saved weights and config are tfjs-core's, so either optimizer restores the other's state.

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The parts of tfjs-core's RMSPropOptimizer this class fills in (TypeScript-private there). */
interface RMSPropState {
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
  accumulatedMeanSquares: Slot[];
  accumulatedMoments: Slot[];
}

export class FusedRMSPropOptimizer extends tf.RMSPropOptimizer {
  override applyGradients(
    variableGradients: tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>,
  ): void {
    const self = this as unknown as RMSPropState;
    registerRnnLayersKernels();
    if (self.centered || tf.getKernel(RMSPROP_UPDATE, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor] as const)
      : Object.entries(variableGradients);
    const attrs = {
      learningRate: self.learningRate,
      decay: self.decay,
      momentum: self.momentum,
      epsilon: self.epsilon,
    };
    entries.forEach(([name, gradient], i) => {
      const value = tf.engine().registeredVariables[name];
      if (!value) throw new Error(`FusedRMSPropOptimizer.applyGradients: no variable named '${name}'`);
      // Slots as tfjs-core names and orders them, created on a variable's first step.
      const meanSquare = (self.accumulatedMeanSquares[i] ??= {
        originalName: `${name}/rms`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      }).variable;
      const moment = (self.accumulatedMoments[i] ??= {
        originalName: `${name}/momentum`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      }).variable;
      if (gradient == null) return;
      tf.tidy(() => {
        const [newValue, newMeanSquare, newMoment] = runKernel(
          RMSPROP_UPDATE,
          { value, gradient, meanSquare, moment },
          attrs,
        );
        if (newValue === undefined || newMeanSquare === undefined || newMoment === undefined)
          throw new Error(
            `FusedRMSPropOptimizer.applyGradients: ${RMSPROP_UPDATE} must return [value, meanSquare, moment]`,
          );
        meanSquare.assign(newMeanSquare);
        moment.assign(newMoment);
        value.assign(newValue);
      });
    });
    this.incrementIterations();
  }
}

/** `tf.train.rmsprop` with fused per-variable steps (see FusedRMSPropOptimizer). */
export function rmsprop(
  learningRate: number,
  decay = 0.9,
  momentum = 0,
  epsilon: number | null = null,
  centered = false,
): FusedRMSPropOptimizer {
  return new FusedRMSPropOptimizer(learningRate, decay, momentum, epsilon ?? undefined, centered);
}
