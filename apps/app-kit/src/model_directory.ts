import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { Sequential } from '@rnnkit/rnn-layers';
import { readSafetensorsHeader, recoverDirectory, writeDirectoryAtomically } from '@rnnkit/tensor-core';

import { UsageError } from './usage_error.js';
import { RNNKIT_VERSION } from './version.js';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'weights.safetensors';

/** What every app's config.json starts with; the app's own settings follow. */
export interface ModelDirectoryHeader {
  /** Which app wrote the directory ('rnnkit-classify', …): loading checks it. */
  app: string;
  rnnkitVersion: string;
  createdAt: string;
  /** The network (Sequential config) and the SHA-256 of weights.safetensors. */
  network: { config: unknown; weightsSha256: string };
}

export type ModelDirectoryConfig<T> = ModelDirectoryHeader & T;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Model config and weights as files of a model directory (config.json's `network` and weights.safetensors). */
export async function modelFiles(
  model: Sequential,
): Promise<{ network: ModelDirectoryHeader['network']; weights: Uint8Array }> {
  const artifacts = await model.toArtifacts();
  return {
    network: { config: artifacts.config, weightsSha256: sha256Hex(artifacts.weights) },
    weights: artifacts.weights,
  };
}

/**
 * Writes a whole model directory in one atomic step: config.json (app kind, rnnkit version, the
 * network and the app's settings), weights.safetensors and `files` (tokenizer, metrics, charts…).
 * Entries not named (checkpoints/) are kept.
 */
export async function writeModelDirectory<T extends object>(
  dir: string,
  app: string,
  model: Sequential,
  settings: T,
  files: Record<string, Uint8Array | string> = {},
): Promise<ModelDirectoryConfig<T>> {
  const { network, weights } = await modelFiles(model);
  const config = {
    app,
    rnnkitVersion: RNNKIT_VERSION,
    createdAt: new Date().toISOString(),
    network,
    ...settings,
  } as ModelDirectoryConfig<T>;
  await writeDirectoryAtomically(dir, {
    ...files,
    [WEIGHTS_FILE]: weights,
    [CONFIG_FILE]: `${JSON.stringify(config, null, 2)}\n`,
  });
  return config;
}

/** An opened model directory: its config and a reader for its other files. */
export interface ModelDirectory<T> {
  dir: string;
  config: ModelDirectoryConfig<T>;
  readText(name: string): Promise<string>;
  readBytes(name: string): Promise<Uint8Array>;
  /** Rebuilds the network from config.json + weights.safetensors (checked against the recorded hash). */
  loadNetwork(): Promise<Sequential>;
}

/**
 * Opens a model directory written by `app`, naming what is wrong with a bad one (no such directory,
 * no config.json, written by another app, truncated or mismatched weights) as a UsageError.
 */
export async function openModelDirectory<T>(dir: string, app: string): Promise<ModelDirectory<T>> {
  await recoverDirectory(dir);
  const info = await stat(dir).catch(() => null);
  if (!info) throw new UsageError(`--model ${dir}: no such directory`);
  if (!info.isDirectory()) throw new UsageError(`--model ${dir}: not a directory`);
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await readFile(join(dir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        `--model ${dir}: cannot read ${name} (${code === 'ENOENT' ? `missing; is this a model directory written by ${app} train?` : (error as Error).message})`,
      );
    }
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse((await read(CONFIG_FILE)).toString('utf8'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--model ${dir}: ${CONFIG_FILE} is not valid JSON (${(error as Error).message})`);
  }
  const config = parsed as Partial<ModelDirectoryHeader> | null;
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new UsageError(`--model ${dir}: ${CONFIG_FILE} must hold a JSON object`);
  if (config.app !== app) {
    const other =
      typeof config.app === 'string'
        ? `was written by ${config.app}, not ${app}`
        : `has no "app" field: it was not written by an rnnkit app (expected ${app})`;
    throw new UsageError(`--model ${dir}: ${CONFIG_FILE} ${other}`);
  }
  if (
    !config.network ||
    typeof config.network !== 'object' ||
    typeof config.network.weightsSha256 !== 'string'
  ) {
    throw new UsageError(`--model ${dir}: ${CONFIG_FILE} has no "network" with "weightsSha256"`);
  }
  const network = config.network;
  return {
    dir,
    config: config as ModelDirectoryConfig<T>,
    readText: async (name) => (await read(name)).toString('utf8'),
    readBytes: async (name) => {
      const file = await read(name);
      return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
    },
    loadNetwork: async () => {
      const file = await read(WEIGHTS_FILE);
      const weights = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
      try {
        readSafetensorsHeader(weights);
      } catch (error) {
        throw new UsageError(`--model ${dir}: ${WEIGHTS_FILE} is damaged (${(error as Error).message})`);
      }
      const actual = sha256Hex(weights);
      if (actual !== network.weightsSha256) {
        throw new UsageError(
          `--model ${dir}: ${WEIGHTS_FILE} (${weights.byteLength} bytes, SHA-256 ${actual.slice(0, 12)}…) does not match ${CONFIG_FILE} (SHA-256 ${network.weightsSha256.slice(0, 12)}…): truncated, damaged or from another save`,
        );
      }
      try {
        return Sequential.fromArtifacts({ config: network.config as never, weights });
      } catch (error) {
        throw new UsageError(`--model ${dir}: cannot rebuild the network (${(error as Error).message})`);
      }
    },
  };
}
