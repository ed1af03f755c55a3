import type * as tf from '@tensorflow/tfjs-core';

import { checkOptions } from '@rnnkit/tensor-core';

import {
  recurrentBareValueHint,
  SIMPLE_RNN_OPTIONS,
  type RecurrentForwardOptions,
  type RecurrentLayerConfig,
  type SimpleRNNOptions,
} from './recurrent_options.js';
import { RecurrentLayer } from './recurrent_layer.js';

/** torch.nn.RNN (Elman): h' = nonlinearity(W_ih x + b_ih + W_hh h + b_hh), nonlinearity 'tanh' or 'relu'. */
export class SimpleRNN extends RecurrentLayer {
  readonly className = 'SimpleRNN' as const;
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(given: SimpleRNNOptions) {
    if (given === undefined)
      throw new TypeError('SimpleRNN: options are required, e.g. new SimpleRNN({ hiddenSize: 32 })');
    const options = checkOptions('SimpleRNN', given, SIMPLE_RNN_OPTIONS, {
      bareValueHint: recurrentBareValueHint('SimpleRNN'),
    });
    const nonlinearity = options.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new Error(`SimpleRNN: nonlinearity must be 'tanh' or 'relu', got '${String(nonlinearity)}'`);
    }
    super(nonlinearity === 'relu' ? 'rnn_relu' : 'rnn_tanh', 'SimpleRNN', options, SIMPLE_RNN_OPTIONS);
    this.nonlinearity = nonlinearity;
  }

  override forward(x: tf.Tensor, options?: RecurrentForwardOptions): { output: tf.Tensor; hN: tf.Tensor } {
    const r = super.forward(x, options);
    return { output: r.output, hN: r.hN };
  }

  override getConfig(): RecurrentLayerConfig {
    return { ...super.getConfig(), nonlinearity: this.nonlinearity };
  }
}
