import * as tf from '@tensorflow/tfjs-core';

// A kernel whose extra outputs are workspace for its gradient (the BPTT's gates and cell states)
// should not be outputs on the tape: when the gradient of an op is computed, tfjs-core fills every
// output nobody used with zeros ON THE HOST (a typed array the size of the output, which the GPU
// backend then uploads). For a recurrence at batch 64, time 200, hidden 512 that was ~180 MB per
// training step. Here the kernel runs inside an op, as tf.customGrad does, which returns only the
// public outputs and saves the workspace for the gradient (and frees it at once when no gradient is
// being recorded). tf.customGrad itself allows a single output, so this uses the engine's
// runKernelFunc, which customGrad is built on (tfjs-core 4.x; checked below).

type GradMap = Record<string, () => tf.Tensor>;

interface EngineInternals {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor[];
    backwardsFunc: (dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => GradMap;
    inputs: tf.NamedTensorMap;
  }): tf.Tensor[];
}

function engineInternals(): EngineInternals {
  const engine = tf.engine() as unknown as Partial<EngineInternals>;
  if (typeof engine.runKernelFunc !== 'function') {
    throw new Error("rnnkit: expected tfjs-core 4.x's Engine.runKernelFunc (the base of tf.customGrad)");
  }
  return engine as EngineInternals;
}

export interface OpWithWorkspace {
  /** Shown by tf.profile (must not be a kernel name with a registered gradient: that would be used instead). */
  name: string;
  inputs: tf.NamedTensorMap;
  /** Runs the kernel(s) untaped; returns the public outputs and the tensors the gradient needs. */
  forward(): { outputs: tf.Tensor[]; saved: tf.Tensor[] };
  /** Gradients by input name, from the public outputs' gradients (zeros where unused) and `saved`. */
  gradient(dys: tf.Tensor[], saved: tf.Tensor[]): GradMap;
}

/** Runs `op` as one differentiable op with `op.forward().outputs` as its outputs. */
export function runOpWithWorkspace(op: OpWithWorkspace): tf.Tensor[] {
  const engine = engineInternals();
  // The engine names a custom op after the active scope.
  return tf.tidy(op.name, () =>
    engine.runKernelFunc({
      inputs: op.inputs,
      forwardFunc: (_backend, save) => {
        const { outputs, saved } = op.forward();
        save(saved);
        return outputs;
      },
      backwardsFunc: (dys, saved) => op.gradient(Array.isArray(dys) ? dys : [dys], saved),
    }),
  );
}
