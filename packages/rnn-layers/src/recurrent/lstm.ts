import type * as tf from '@tensorflow/tfjs-core';

import type { RecurrentForwardOptions, RecurrentLayerOptions } from './recurrent_options.js';
import { RecurrentLayer } from './recurrent_layer.js';

/** torch.nn.LSTM: gates i, f, g, o; parameters weight_ih_l{k} [4H, in], weight_hh_l{k} [4H, H], biases [4H]. */
export class LSTM extends RecurrentLayer {
  readonly className = 'LSTM' as const;

  constructor(options: RecurrentLayerOptions) {
    super('lstm', 'LSTM', options);
  }

  override forward(
    x: tf.Tensor,
    options: RecurrentForwardOptions = {},
  ): { output: tf.Tensor; hN: tf.Tensor; cN: tf.Tensor } {
    const r = super.forward(x, options);
    if (r.cN === undefined) throw new Error('LSTM.forward: the recurrence returned no cN');
    return { output: r.output, hN: r.hN, cN: r.cN };
  }
}
