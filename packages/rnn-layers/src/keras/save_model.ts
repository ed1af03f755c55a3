import { fromArtifacts, checkSequentialConfig, toArtifacts } from './model_artifacts.js';
import type { Sequential } from './sequential.js';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';

/**
 * Writes `dir/config.json` and `dir/model.safetensors` (Node only). Each file is written to a
 * temporary name and renamed, so a crash never leaves a half-written file under the real name;
 * the weights go first and the config last, so a config always describes complete weights.
 */
export async function saveModel(model: Sequential, dir: string): Promise<void> {
  if (typeof dir !== 'string' || dir === '') throw new Error(`saveModel: dir must be a directory path, got ${JSON.stringify(dir)}`);
  const { mkdir, rename, writeFile, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const artifacts = await toArtifacts(model);
  await mkdir(dir, { recursive: true });
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  const files: Array<[string, Uint8Array | string]> = [
    [WEIGHTS_FILE, artifacts.weights],
    [CONFIG_FILE, `${JSON.stringify(artifacts.config, null, 2)}\n`],
  ];
  for (const [name, data] of files) {
    const target = join(dir, name);
    try {
      await writeFile(target + suffix, data);
      await rename(target + suffix, target);
    } catch (error) {
      await rm(target + suffix, { force: true });
      throw error;
    }
  }
}

/** Reads a model written by `saveModel` (Node only). */
export async function loadModel(dir: string): Promise<Sequential> {
  if (typeof dir !== 'string' || dir === '') throw new Error(`loadModel: dir must be a directory path, got ${JSON.stringify(dir)}`);
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(`loadModel: cannot read ${join(dir, name)} (${code === 'ENOENT' ? 'no such file; was the model saved with saveModel?' : (error as Error).message})`);
    }
  };
  const configText = (await read(CONFIG_FILE)).toString('utf8');
  let config: unknown;
  try {
    config = JSON.parse(configText);
  } catch (error) {
    throw new Error(`loadModel: ${join(dir, CONFIG_FILE)} is not valid JSON (${(error as Error).message})`);
  }
  checkSequentialConfig(config);
  const weights = await read(WEIGHTS_FILE);
  return fromArtifacts({ config: config as never, weights: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength) });
}
