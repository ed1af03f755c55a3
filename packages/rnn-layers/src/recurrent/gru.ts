import type * as tf from '@tensorflow/tfjs-core';

import type { RecurrentForwardOptions, RecurrentLayerOptions } from './recurrent_options.js';
import { RecurrentLayer } from './recurrent_layer.js';

/**
 * torch.nn.GRU: gates r, z, n with the reset gate applied after the recurrent product,
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); parameters [3H, ...].
 */
export class GRU extends RecurrentLayer {
  readonly className = 'GRU' as const;

  constructor(options: RecurrentLayerOptions) {
    super('gru', 'GRU', options);
  }

  override forward(
    x: tf.Tensor,
    options: RecurrentForwardOptions = {},
  ): { output: tf.Tensor; hN: tf.Tensor } {
    const r = super.forward(x, options);
    return { output: r.output, hN: r.hN };
  }
}
