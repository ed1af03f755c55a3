import { recoverDirectory, writeDirectoryAtomically } from '@rnnkit/tensor-core';
import { sha256Hex } from '@rnnkit/tensor-core/internal';

import { checkSequentialConfig, type ModelArtifacts } from './model_artifacts.js';

// Internal: the public API is `model.save(dir)` / `Sequential.load(dir)`; this module knows models only as
// artifacts, so it does not import `Sequential`.

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';

/**
 * Writes `dir/config.json` and `dir/model.safetensors` (Node only) as one unit: both go into a new
 * directory that replaces the old one with renames, so a crash at any instant leaves the complete old
 * model or the complete new one; other files in `dir` are kept. The config records the weights' SHA-256,
 * which `loadModel` checks, so a config and weights from different saves never load together.
 */
export async function saveModel(
  model: { toArtifacts(): Promise<ModelArtifacts> },
  dir: string,
): Promise<void> {
  if (typeof dir !== 'string' || dir === '')
    throw new Error(`saveModel: dir must be a directory path, got ${JSON.stringify(dir)}`);
  const artifacts = await model.toArtifacts();
  const config = { ...artifacts.config, weightsSha256: await sha256Hex(artifacts.weights) };
  await writeDirectoryAtomically(dir, {
    [WEIGHTS_FILE]: artifacts.weights,
    [CONFIG_FILE]: `${JSON.stringify(config, null, 2)}\n`,
  });
}

/**
 * Reads a model written by `saveModel` (Node only), after checking the weights against the config's hash;
 * `restore` rebuilds the model from the artifacts (`Sequential.fromArtifacts`).
 */
export async function loadModel<M>(dir: string, restore: (artifacts: ModelArtifacts) => M): Promise<M> {
  if (typeof dir !== 'string' || dir === '')
    throw new Error(`loadModel: dir must be a directory path, got ${JSON.stringify(dir)}`);
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  await recoverDirectory(dir);
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        `loadModel: cannot read ${join(dir, name)} (${code === 'ENOENT' ? 'no such file; was the model saved with saveModel?' : (error as Error).message})`,
        { cause: error },
      );
    }
  };
  const configText = (await read(CONFIG_FILE)).toString('utf8');
  let config: unknown;
  try {
    config = JSON.parse(configText);
  } catch (error) {
    throw new Error(`loadModel: ${join(dir, CONFIG_FILE)} is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  named(() => checkSequentialConfig(config), join(dir, CONFIG_FILE));
  const file = await read(WEIGHTS_FILE);
  const weights = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  const expected = (config as { weightsSha256?: unknown }).weightsSha256;
  if (expected !== undefined) {
    const actual = await sha256Hex(weights);
    if (expected !== actual) {
      throw new Error(
        `loadModel: ${join(dir, WEIGHTS_FILE)} does not belong to ${join(dir, CONFIG_FILE)} (SHA-256 ${actual.slice(0, 16)}…, the config expects ${String(expected).slice(0, 16)}…): the files come from different saves or the weights are damaged`,
      );
    }
  }
  const { weightsSha256: _hash, ...rest } = config as Record<string, unknown>;
  return named(() => restore({ config: rest as never, weights }), dir);
}

/** Runs `fn`, prefixing any error with the path it concerns (the cause is kept). */
function named<T>(fn: () => T, path: string): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    throw new Error(`loadModel: ${path}: ${error.message}`, { cause: error });
  }
}
