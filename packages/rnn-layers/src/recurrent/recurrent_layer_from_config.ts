import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RecurrentLayerConfig } from './recurrent_options.js';
import type { RecurrentLayer } from './recurrent_layer.js';
import { SimpleRNN } from './simple_rnn.js';

/** Rebuilds a layer from getConfig() output (weights are loaded separately with loadStateDict). */
export function recurrentLayerFromConfig(config: RecurrentLayerConfig): RecurrentLayer {
  const { className, inputSize, ...rest } = config;
  const options = { ...rest, inputSize: inputSize ?? undefined };
  switch (className) {
    case 'LSTM':
      return new LSTM(options);
    case 'GRU':
      return new GRU(options);
    case 'SimpleRNN':
      return new SimpleRNN(options);
    default:
      throw new Error(
        `recurrentLayerFromConfig: className must be 'SimpleRNN', 'LSTM' or 'GRU', got '${String(className)}'`,
      );
  }
}
