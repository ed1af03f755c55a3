import * as tf from '@tensorflow/tfjs-core';
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from '@rnnkit/tensor-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

import type { Layer, LayerConfig, Shape } from './layer.js';
import { layerFromConfig } from './layer_registry.js';
import type { LossName } from './losses.js';
import type { MetricName } from './metrics.js';
import type { OptimizerName } from '../optimizers/resolve_optimizer.js';
import type { RecurrentLayerLike } from './recurrent_adapter.js';

// Internal: the public API is `model.toArtifacts()` / `Sequential.fromArtifacts()` (and `save` / `load`).
// This module knows models only through the two interfaces below, so it does not import `Sequential`.

export const MODEL_FORMAT = 'rnnkit-sequential';
export const MODEL_FORMAT_VERSION = 1;

/** The JSON half of a saved model. */
export interface SequentialConfig {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  name: string;
  inputShape: Shape | null;
  layers: LayerConfig[];
  /** Named optimizer/loss from `compile`, re-applied on load (optimizer state is not saved). */
  compile: { optimizer: OptimizerName; loss: LossName; metrics: MetricName[]; clipNorm?: number } | null;
  /** Every weight's name and shape, so a mismatched weights file is caught before anything is built. */
  weights: Record<string, number[]>;
}

/** A whole model as plain data: a JSON config and safetensors bytes (browser-friendly: no file system). */
export interface ModelArtifacts {
  config: SequentialConfig;
  weights: Uint8Array;
}

/** What serialising reads from a model (`Sequential` has all of it). */
export interface ArtifactsSource {
  readonly built: boolean;
  readonly name: string;
  readonly inputShape: Shape | null;
  readonly layers: readonly Layer[];
  namedWeights(): Array<[string, tf.Variable]>;
  compileConfig(): SequentialConfig['compile'];
}

/** What rebuilding needs of the model that `create` makes from the layers. */
export interface RestoredModel {
  readonly layers: readonly Layer[];
  build(inputShape: Shape): void;
  compile(options: NonNullable<SequentialConfig['compile']>): void;
  dispose(): void;
}

/** Serialises a built model: config JSON + weights named `${layer}.${weight}` in safetensors. */
export async function modelToArtifacts(model: ArtifactsSource): Promise<ModelArtifacts> {
  if (!model.built)
    throw new Error('toArtifacts: the model is not built yet; call build(inputShape), fit or predict first');
  const named = model.namedWeights();
  const tensors: Record<string, tf.Tensor> = {};
  const shapes: Record<string, number[]> = {};
  for (const [name, v] of named) {
    tensors[name] = v;
    shapes[name] = [...v.shape];
  }
  const config: SequentialConfig = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    name: model.name,
    inputShape: model.inputShape,
    layers: model.layers.map((l) => l.getConfig()),
    compile: model.compileConfig(),
    weights: shapes,
  };
  const weights = await writeSafetensors(tensors, { metadata: { format: MODEL_FORMAT } });
  return { config, weights };
}

function fail(message: string): never {
  throw new Error(`Sequential.fromArtifacts: ${message}`);
}

const isDimension = (d: unknown): boolean => Number.isSafeInteger(d) && (d as number) >= 0;

/** Checks the whole config before building anything; errors name the offending field and its value. */
export function checkSequentialConfig(config: unknown): SequentialConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    fail(`config must be an object, got ${previewValue(config)}`);
  const c = config as Partial<Record<keyof SequentialConfig, unknown>>;
  if (c.format !== MODEL_FORMAT)
    fail(
      `config.format must be '${MODEL_FORMAT}', got ${previewValue(c.format)} (is this an rnnkit Sequential model?)`,
    );
  if (c.formatVersion !== MODEL_FORMAT_VERSION)
    fail(
      `config.formatVersion ${previewValue(c.formatVersion)} is not supported; this version reads ${MODEL_FORMAT_VERSION}`,
    );
  if (c.name !== undefined && typeof c.name !== 'string')
    fail(`config.name must be a string, got ${previewValue(c.name)}`);
  if (!Array.isArray(c.layers) || c.layers.length === 0)
    fail(`config.layers must be a non-empty array, got ${previewValue(c.layers)}`);
  c.layers.forEach((layer: unknown, i) => {
    const l = layer as { className?: unknown; config?: unknown } | null;
    if (l === null || typeof l !== 'object' || Array.isArray(l))
      fail(`config.layers[${i}] must be {className, config}, got ${previewValue(layer)}`);
    if (typeof l.className !== 'string')
      fail(`config.layers[${i}].className must be a string, got ${previewValue(l.className)}`);
    if (l.config === null || typeof l.config !== 'object' || Array.isArray(l.config))
      fail(`config.layers[${i}].config must be an object, got ${previewValue(l.config)}`);
  });
  if (c.weights === null || typeof c.weights !== 'object' || Array.isArray(c.weights))
    fail(`config.weights must map weight names to shapes, got ${previewValue(c.weights)}`);
  for (const [name, shape] of Object.entries(c.weights as Record<string, unknown>)) {
    if (!Array.isArray(shape) || !shape.every(isDimension))
      fail(
        `config.weights['${name.slice(0, 80)}'] must be a shape (an array of non-negative integers), got ${previewValue(shape)}`,
      );
  }
  if (
    c.inputShape !== null &&
    !(
      Array.isArray(c.inputShape) &&
      c.inputShape.every((d) => d === null || (isDimension(d) && (d as number) > 0))
    )
  ) {
    fail(
      `config.inputShape must be null or an array of positive integers and nulls, got ${previewValue(c.inputShape)}`,
    );
  }
  if (
    c.compile !== null &&
    c.compile !== undefined &&
    (typeof c.compile !== 'object' || Array.isArray(c.compile))
  )
    fail(`config.compile must be an object or null, got ${previewValue(c.compile)}`);
  return c as SequentialConfig;
}

/**
 * Rebuilds a model from `modelToArtifacts`'s output, with the same predictions; `create` makes the model
 * (a `Sequential`) from the layers the config lists.
 */
export function modelFromArtifacts<M extends RestoredModel>(
  artifacts: ModelArtifacts,
  create: (layers: Array<Layer | RecurrentLayerLike>, options: { name: string }) => M,
): M {
  if (artifacts === null || typeof artifacts !== 'object') fail('artifacts must be {config, weights}');
  const config = checkSequentialConfig(artifacts.config);
  if (!(artifacts.weights instanceof Uint8Array))
    fail('artifacts.weights must be a Uint8Array of safetensors bytes');
  // Compare the file's manifest with the config before touching any tensor.
  let header;
  try {
    header = readSafetensorsHeader(artifacts.weights);
  } catch (error) {
    fail(`artifacts.weights is not a valid safetensors file (${(error as Error).message})`);
  }
  const inFile = new Map(Object.entries(header.tensors).map(([name, entry]) => [name, entry.shape]));
  for (const [name, shape] of Object.entries(config.weights)) {
    const got = inFile.get(name);
    if (!got)
      fail(
        `weight '${name}' (shape [${shape.join(', ')}]) listed in config.weights is missing from the weights file`,
      );
    if (got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
      fail(
        `weight '${name}' has shape [${got.join(', ')}] in the weights file but [${shape.join(', ')}] in config.weights`,
      );
    }
  }
  const extra = [...inFile.keys()].filter((k) => !(k in config.weights));
  if (extra.length > 0) fail(`the weights file has weight(s) the config does not list: ${extra.join(', ')}`);

  // Layers built so far are disposed if a later one fails: a bad config must not leave tensors behind.
  const layers: Array<{ layer: ReturnType<typeof layerFromConfig>; name: string }> = [];
  let model: M;
  try {
    config.layers.forEach((lc, i) => {
      const layer = layerFromConfig(lc, `config.layers[${i}]`);
      layers.push({
        layer,
        name:
          lc !== null && typeof lc === 'object' && typeof lc.config?.name === 'string' ? lc.config.name : '',
      });
    });
    model = create(
      layers.map((l) => l.layer),
      { name: config.name },
    );
  } catch (error) {
    for (const { layer } of layers) layer.dispose();
    throw error;
  }
  const tensors = readSafetensors(artifacts.weights);
  try {
    model.layers.forEach((layer, i) => {
      const name = layers[i]?.name;
      if (name) layer.name = name;
    });
    for (const layer of model.layers) {
      const own: Record<string, tf.Tensor> = {};
      for (const [key, t] of Object.entries(tensors)) {
        if (key.startsWith(`${layer.name}.`)) own[key.slice(layer.name.length + 1)] = t;
      }
      if (Object.keys(own).length > 0) layer.setWeights(own);
    }
    if (config.inputShape) model.build(config.inputShape);
    if (config.compile) model.compile(config.compile);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return model;
}
