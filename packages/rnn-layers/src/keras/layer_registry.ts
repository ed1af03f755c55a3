import { Dense, type DenseOptions } from './dense.js';
import { previewValue } from '@rnnkit/tensor-core/internal';
import { Dropout, type DropoutOptions } from './dropout.js';
import { Embedding, type EmbeddingOptions } from './embedding.js';
import { GlobalAveragePooling1D } from './global_average_pooling_1d.js';
import type { Layer, LayerConfig } from './layer.js';
import { recurrentLayerFromConfig } from '../recurrent/recurrent_layer_from_config.js';
import type { RecurrentLayerConfig } from '../recurrent/recurrent_options.js';
import type { RecurrentLayerLike } from './recurrent_adapter.js';

/** Rebuilds a layer (without weights) from its `getConfig().config`. */
export type LayerFactory = (config: Record<string, unknown>) => Layer | RecurrentLayerLike;

const factories = new Map<string, LayerFactory>([
  ['Dense', (c) => new Dense(c as unknown as DenseOptions)],
  ['Dropout', (c) => new Dropout(c as unknown as DropoutOptions)],
  ['Embedding', (c) => new Embedding(c as unknown as EmbeddingOptions)],
  ['GlobalAveragePooling1D', (c) => new GlobalAveragePooling1D(c as { name?: string })],
  ...(['SimpleRNN', 'LSTM', 'GRU'] as const).map((className): [string, LayerFactory] => [
    className,
    (c) => {
      // `name` belongs to the Sequential's adapter, not to the layer's options.
      const { name: _name, ...options } = c;
      return recurrentLayerFromConfig({ ...(options as unknown as RecurrentLayerConfig), className });
    },
  ]),
]);

/** Makes a custom layer class loadable by `Sequential.fromArtifacts` (like Keras's custom_objects). */
export function registerLayerClass(className: string, factory: LayerFactory): void {
  if (typeof className !== 'string' || className === '')
    throw new Error('registerLayerClass: className must be a non-empty string');
  if (typeof factory !== 'function')
    throw new Error(`registerLayerClass: factory for '${className}' must be a function`);
  factories.set(className, factory);
}

export function layerFromConfig(layerConfig: LayerConfig, where: string): Layer | RecurrentLayerLike {
  if (
    layerConfig === null ||
    typeof layerConfig !== 'object' ||
    typeof layerConfig.className !== 'string' ||
    layerConfig.config === null ||
    typeof layerConfig.config !== 'object'
  ) {
    throw new Error(`${where} must be {className: string, config: object}, got ${previewValue(layerConfig)}`);
  }
  const factory = factories.get(layerConfig.className);
  if (!factory) {
    throw new Error(
      `${where}.className '${layerConfig.className}' is not a known layer; known: ${[...factories.keys()].join(', ')} (register others with registerLayerClass)`,
    );
  }
  return factory(layerConfig.config);
}
