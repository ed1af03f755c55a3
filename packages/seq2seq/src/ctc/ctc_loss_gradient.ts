import * as tf from '@tensorflow/tfjs-core';

import { CTC_LOSS, CTC_LOSS_GRAD, type CtcLossGradInputs } from './kernel_names.js';

// CTC_LOSS's hand-written gradient (alpha-beta), registered beside the op and shared by every backend
// that has the forward kernel: CTC_LOSS_GRAD gives d loss / d logProbs in one kernel call. The targets
// are labels, not parameters: their gradient is zero.
const ctcLossGradConfig: tf.GradConfig = {
  kernelName: CTC_LOSS,
  inputsToSave: ['logProbs', 'targets'],
  gradFunc: (dy, saved, attrs) => {
    const [logProbs, targets] = saved as [tf.Tensor, tf.Tensor];
    return {
      logProbs: () => {
        const inputs: CtcLossGradInputs<tf.Tensor> = { dy: dy as tf.Tensor, logProbs, targets };
        return tf.engine().runKernel(CTC_LOSS_GRAD, inputs, attrs) as tf.Tensor;
      },
      targets: () => tf.zeros(targets.shape),
    };
  },
};

let registered = false;

/** Registers CTC_LOSS's gradient (idempotent; one registered before is kept). */
export function registerCtcLossGradient(): void {
  if (registered) return;
  if (tf.getGradient(CTC_LOSS) === undefined) tf.registerGradient(ctcLossGradConfig);
  registered = true;
}
