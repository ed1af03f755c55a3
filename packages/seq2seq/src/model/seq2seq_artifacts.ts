import * as tf from '@tensorflow/tfjs-core';
import {
  readSafetensors,
  readSafetensorsHeader,
  recoverDirectory,
  writeDirectoryAtomically,
  writeSafetensors,
} from '@rnnkit/tensor-core';
import { previewValue, sha256Hex } from '@rnnkit/tensor-core/internal';

import type { Seq2SeqConfig, Seq2SeqOptions } from './seq2seq.js';

// Internal: the public API is `model.toArtifacts()` / `Seq2Seq.fromArtifacts()` and `save` / `load`.
// This module sees the model only through the interfaces below, so it does not import `Seq2Seq` (no cycle).

export const SEQ2SEQ_FORMAT = 'rnnkit-seq2seq';
export const SEQ2SEQ_FORMAT_VERSION = 1;
export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'weights.safetensors';

/** The JSON half of a saved Seq2Seq: `getConfig()` plus the format and every weight's shape. */
export interface Seq2SeqArtifactsConfig extends Seq2SeqConfig {
  format: typeof SEQ2SEQ_FORMAT;
  formatVersion: number;
  /** Weight names (the state dict's) and shapes, so a mismatched file is caught before anything is built. */
  weights: Record<string, number[]>;
}

/** A whole Seq2Seq as plain data: config JSON and safetensors bytes (no file system needed). */
export interface Seq2SeqArtifacts {
  config: Seq2SeqArtifactsConfig;
  weights: Uint8Array;
}

interface ArtifactsSource {
  namedParameters(): Array<[string, tf.Variable]>;
  getConfig(): Seq2SeqConfig;
}

interface RestoredModel {
  namedParameters(): Array<[string, tf.Variable]>;
  loadStateDict(state: Record<string, tf.Tensor>): void;
  dispose(): void;
}

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export async function seq2seqToArtifacts(model: ArtifactsSource): Promise<Seq2SeqArtifacts> {
  const tensors: Record<string, tf.Tensor> = {};
  const shapes: Record<string, number[]> = {};
  for (const [name, v] of model.namedParameters()) {
    tensors[name] = v;
    shapes[name] = [...v.shape];
  }
  const config: Seq2SeqArtifactsConfig = {
    format: SEQ2SEQ_FORMAT,
    formatVersion: SEQ2SEQ_FORMAT_VERSION,
    ...model.getConfig(),
    weights: shapes,
  };
  const weights = await writeSafetensors(tensors, { metadata: { format: SEQ2SEQ_FORMAT } });
  return { config, weights };
}

function fail(message: string): never {
  throw new Error(`Seq2Seq.fromArtifacts: ${message}`);
}

/** Checks the config's envelope (format, version, parts, weight shapes); the parts' options are checked by building. */
export function checkSeq2SeqConfig(config: unknown): Seq2SeqArtifactsConfig {
  if (!isObject(config)) fail(`config must be an object, got ${previewValue(config)}`);
  if (config.format !== SEQ2SEQ_FORMAT)
    fail(
      `config.format must be '${SEQ2SEQ_FORMAT}', got ${previewValue(config.format)} (is this an rnnkit Seq2Seq model?)`,
    );
  if (config.formatVersion !== SEQ2SEQ_FORMAT_VERSION)
    fail(
      `config.formatVersion ${previewValue(config.formatVersion)} is not supported; this version reads ${SEQ2SEQ_FORMAT_VERSION}`,
    );
  for (const part of ['encoder', 'decoder'] as const)
    if (!isObject(config[part])) fail(`config.${part} must be an object, got ${previewValue(config[part])}`);
  if (!isObject(config.weights))
    fail(`config.weights must map weight names to shapes, got ${previewValue(config.weights)}`);
  for (const [name, shape] of Object.entries(config.weights))
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0))
      fail(
        `config.weights['${name.slice(0, 80)}'] must be a shape (non-negative integers), got ${previewValue(shape)}`,
      );
  return config as unknown as Seq2SeqArtifactsConfig;
}

/** Rebuilds a model from `seq2seqToArtifacts`'s output; `create` makes it from `{ encoder, decoder }`. */
export function seq2seqFromArtifacts<M extends RestoredModel>(
  artifacts: Seq2SeqArtifacts,
  create: (options: Seq2SeqOptions) => M,
): M {
  if (!isObject(artifacts)) fail(`artifacts must be { config, weights }, got ${previewValue(artifacts)}`);
  const config = checkSeq2SeqConfig(artifacts.config);
  if (!(artifacts.weights instanceof Uint8Array))
    fail(
      `artifacts.weights must be a Uint8Array of safetensors bytes, got ${previewValue(artifacts.weights)}`,
    );
  // The file's manifest against the config, before any tensor is made.
  let header;
  try {
    header = readSafetensorsHeader(artifacts.weights);
  } catch (error) {
    fail(`artifacts.weights is not a valid safetensors file (${(error as Error).message})`);
  }
  const inFile = new Map(Object.entries(header.tensors).map(([n, e]) => [n, e.shape]));
  for (const [name, shape] of Object.entries(config.weights)) {
    const got = inFile.get(name);
    if (got === undefined)
      fail(
        `weight '${name}' (shape ${fmt(shape)}) listed in config.weights is missing from the weights file`,
      );
    if (!sameShape(got, shape))
      fail(`weight '${name}' has shape ${fmt(got)} in the weights file but ${fmt(shape)} in config.weights`);
  }
  const extra = [...inFile.keys()].filter((k) => !(k in config.weights));
  if (extra.length > 0) fail(`the weights file has weight(s) the config does not list: ${extra.join(', ')}`);

  let model: M;
  try {
    model = create({ encoder: config.encoder, decoder: config.decoder });
  } catch (error) {
    throw new Error(`Seq2Seq.fromArtifacts: config does not describe a model (${(error as Error).message})`, {
      cause: error,
    });
  }
  try {
    // The built model's parameters against the listed weights, so the error names the config, not a state dict.
    const own = new Map(model.namedParameters().map(([n, v]) => [n, v.shape]));
    for (const [name, shape] of own) {
      const listed = config.weights[name];
      if (listed === undefined)
        fail(`config.encoder/decoder build weight '${name}' ${fmt(shape)}, which the weights file lacks`);
      if (!sameShape(listed, shape))
        fail(
          `weight '${name}' is ${fmt(listed)} in the weights file but config.encoder/decoder build ${fmt(shape)}`,
        );
    }
    const unused = Object.keys(config.weights).filter((n) => !own.has(n));
    if (unused.length > 0)
      fail(`the weights file has weight(s) config.encoder/decoder do not build: ${unused.join(', ')}`);
    const tensors = readSafetensors(artifacts.weights);
    try {
      model.loadStateDict(tensors);
    } finally {
      tf.dispose(Object.values(tensors));
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/**
 * Writes `dir/config.json` and `dir/weights.safetensors` (Node only) as one unit, replacing any earlier
 * save atomically; the config records the weights' SHA-256 so files of different saves never load together.
 */
export async function saveSeq2Seq(
  model: { toArtifacts(): Promise<Seq2SeqArtifacts> },
  dir: string,
): Promise<void> {
  if (typeof dir !== 'string' || dir === '')
    throw new Error(`Seq2Seq.save: dir must be a directory path, got ${previewValue(dir)}`);
  const artifacts = await model.toArtifacts();
  const config = { ...artifacts.config, weightsSha256: await sha256Hex(artifacts.weights) };
  await writeDirectoryAtomically(dir, {
    [WEIGHTS_FILE]: artifacts.weights,
    [CONFIG_FILE]: `${JSON.stringify(config, null, 2)}\n`,
  });
}

/** Reads what `saveSeq2Seq` wrote (Node only); `restore` is `Seq2Seq.fromArtifacts`. */
export async function loadSeq2Seq<M>(dir: string, restore: (artifacts: Seq2SeqArtifacts) => M): Promise<M> {
  const fn = 'Seq2Seq.load';
  if (typeof dir !== 'string' || dir === '')
    throw new Error(`${fn}: dir must be a directory path, got ${previewValue(dir)}`);
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  await recoverDirectory(dir);
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        `${fn}: cannot read ${join(dir, name)} (${code === 'ENOENT' ? 'no such file; was the model saved with Seq2Seq.save?' : (error as Error).message})`,
        { cause: error },
      );
    }
  };
  const configPath = join(dir, CONFIG_FILE);
  let config: unknown;
  try {
    config = JSON.parse((await read(CONFIG_FILE)).toString('utf8'));
  } catch (error) {
    if ((error as Error).message.startsWith(fn)) throw error;
    throw new Error(`${fn}: ${configPath} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  named(fn, configPath, () => checkSeq2SeqConfig(config));
  const file = await read(WEIGHTS_FILE);
  const weights = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  const expected = (config as { weightsSha256?: unknown }).weightsSha256;
  if (expected !== undefined) {
    const actual = await sha256Hex(weights);
    if (expected !== actual)
      throw new Error(
        `${fn}: ${join(dir, WEIGHTS_FILE)} does not belong to ${configPath} (SHA-256 ${actual.slice(0, 16)}…, the config expects ${String(expected).slice(0, 16)}…): the files come from different saves or the weights are damaged`,
      );
  }
  const { weightsSha256: _hash, ...rest } = config as Record<string, unknown>;
  return named(fn, dir, () => restore({ config: rest as unknown as Seq2SeqArtifactsConfig, weights }));
}

/** Runs `f`, prefixing an error with the path it concerns (the cause is kept). */
function named<T>(fn: string, path: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    throw new Error(`${fn}: ${path}: ${error.message}`, { cause: error });
  }
}
