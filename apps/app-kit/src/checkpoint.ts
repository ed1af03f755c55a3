import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import { Sequential, type EarlyStopping, type EarlyStoppingState } from '@rnnkit/rnn-layers';
import {
  readSafetensors,
  recoverDirectory,
  writeDirectoryAtomically,
  writeSafetensors,
} from '@rnnkit/tensor-core';

import { sha256Hex } from './model_directory.js';
import { UsageError } from './usage_error.js';
import { RNNKIT_VERSION } from './version.js';

/** Sub-directory of a model directory that holds the latest checkpoint. */
export const CHECKPOINT_DIR = 'checkpoints';
const STATE_FILE = 'state.json';
const MODEL_FILE = 'model.safetensors';
const OPTIMIZER_FILE = 'optimizer.safetensors';
const BEST_WEIGHTS_FILE = 'best-weights.safetensors';

/** What a checkpoint records besides the weights: the finished epochs, the run's settings, its history so far. */
export interface CheckpointState<T> {
  app: string;
  rnnkitVersion: string;
  /** Epochs finished (the `initialEpoch` to resume at). */
  epoch: number;
  /** The run's settings, so `--resume` repeats it exactly. */
  run: T;
  history: Record<string, number[]>;
}

/** state.json: the app's state plus what restores the run exactly. */
interface StoredState<T> extends CheckpointState<T> {
  network: unknown;
  weightsSha256: string;
  optimizerSlots: string[];
  optimizerSha256: string;
  /** Sequential.randomState(): Dropout streams, so the resumed run draws the same masks. */
  randomState: Record<string, number[]>;
  earlyStopping: { state: EarlyStoppingState; bestWeightsSha256: string | null } | null;
}

/**
 * Writes `dir/checkpoints/` as one atomic directory: the network, the optimizer's slots (getWeights,
 * in order), the layers' random streams, early stopping's counters and best weights, and state.json.
 * A process killed while writing leaves the previous checkpoint intact.
 */
export async function saveCheckpoint<T>(
  dir: string,
  model: Sequential,
  optimizer: tf.Optimizer,
  state: Omit<CheckpointState<T>, 'rnnkitVersion'>,
  extras: { earlyStopping?: EarlyStopping } = {},
): Promise<void> {
  const artifacts = await model.toArtifacts();
  const slots = await optimizer.getWeights();
  const named: Record<string, tf.Tensor> = {};
  slots.forEach((slot, i) => {
    named[`${i}`] = slot.tensor;
  });
  let optimizerBytes: Uint8Array;
  try {
    optimizerBytes = await writeSafetensors(named);
  } finally {
    // getWeights makes a new scalar for the iteration count; the other slots are the optimizer's variables.
    tf.dispose(slots.filter((s) => !(s.tensor instanceof tf.Variable)).map((s) => s.tensor));
  }
  const files: Record<string, Uint8Array | string> = {
    [MODEL_FILE]: artifacts.weights,
    [OPTIMIZER_FILE]: optimizerBytes,
  };
  let earlyStopping: StoredState<T>['earlyStopping'] = null;
  if (extras.earlyStopping) {
    const best = extras.earlyStopping.bestWeightsSnapshot();
    const bestBytes = best ? await writeSafetensors(best) : null;
    if (bestBytes) files[BEST_WEIGHTS_FILE] = bestBytes;
    earlyStopping = {
      state: extras.earlyStopping.state(),
      bestWeightsSha256: bestBytes ? sha256Hex(bestBytes) : null,
    };
  }
  const full: StoredState<T> = {
    ...state,
    rnnkitVersion: RNNKIT_VERSION,
    network: artifacts.config,
    weightsSha256: sha256Hex(artifacts.weights),
    optimizerSlots: slots.map((s) => s.name),
    optimizerSha256: sha256Hex(optimizerBytes),
    randomState: model.randomState(),
    earlyStopping,
  };
  files[STATE_FILE] = `${JSON.stringify(full, null, 2)}\n`;
  await writeDirectoryAtomically(join(dir, CHECKPOINT_DIR), files, { carryOver: false });
}

export interface LoadedCheckpoint<T> {
  state: CheckpointState<T>;
  model: Sequential;
  /** Puts the saved slots into a fresh optimizer of the same kind (call before fit). */
  restoreOptimizer(optimizer: tf.Optimizer): Promise<void>;
  /** Makes a fresh EarlyStopping continue the saved one (counters and best weights); a no-op if none was saved. */
  restoreEarlyStopping(earlyStopping: EarlyStopping): void;
}

/** Reads `dir/checkpoints/` written by `app`; a missing or damaged checkpoint is a UsageError naming the file. */
export async function loadCheckpoint<T>(dir: string, app: string): Promise<LoadedCheckpoint<T>> {
  const where = join(dir, CHECKPOINT_DIR);
  await recoverDirectory(where);
  if (!(await stat(where).catch(() => null)))
    throw new UsageError(`--resume ${dir}: no checkpoint there (expected ${where}/ written by ${app} train)`);
  const read = async (name: string): Promise<Uint8Array> => {
    try {
      const b = await readFile(join(where, name));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (error) {
      throw new UsageError(
        `--resume ${dir}: cannot read ${join(CHECKPOINT_DIR, name)} (${(error as Error).message})`,
      );
    }
  };
  let state: StoredState<T>;
  try {
    state = JSON.parse(new TextDecoder().decode(await read(STATE_FILE)));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--resume ${dir}: ${join(CHECKPOINT_DIR, STATE_FILE)} is not valid JSON`);
  }
  if (state.app !== app)
    throw new UsageError(`--resume ${dir}: the checkpoint was written by ${String(state.app)}, not ${app}`);
  const weights = await read(MODEL_FILE);
  const optimizerBytes = await read(OPTIMIZER_FILE);
  if (sha256Hex(weights) !== state.weightsSha256)
    throw new UsageError(
      `--resume ${dir}: ${join(CHECKPOINT_DIR, MODEL_FILE)} is damaged (its SHA-256 does not match state.json)`,
    );
  if (sha256Hex(optimizerBytes) !== state.optimizerSha256)
    throw new UsageError(
      `--resume ${dir}: ${join(CHECKPOINT_DIR, OPTIMIZER_FILE)} is damaged (its SHA-256 does not match state.json)`,
    );
  const bestWeightsSha256 = state.earlyStopping?.bestWeightsSha256;
  const bestBytes = bestWeightsSha256 ? await read(BEST_WEIGHTS_FILE) : null;
  if (bestBytes && sha256Hex(bestBytes) !== bestWeightsSha256) {
    throw new UsageError(
      `--resume ${dir}: ${join(CHECKPOINT_DIR, BEST_WEIGHTS_FILE)} is damaged (its SHA-256 does not match state.json)`,
    );
  }
  const model = Sequential.fromArtifacts({ config: state.network as never, weights });
  try {
    model.setRandomState(state.randomState ?? {});
  } catch (error) {
    model.dispose();
    throw new UsageError(
      `--resume ${dir}: ${join(CHECKPOINT_DIR, STATE_FILE)} has a random state that does not fit the network (${(error as Error).message})`,
    );
  }
  return {
    state,
    model,
    restoreEarlyStopping: (earlyStopping) => {
      if (!state.earlyStopping) return;
      const best = bestBytes ? readSafetensors(bestBytes) : null;
      try {
        earlyStopping.resumeFrom(state.earlyStopping.state, best);
      } finally {
        if (best) tf.dispose(Object.values(best));
      }
    },
    restoreOptimizer: async (optimizer) => {
      const tensors = readSafetensors(optimizerBytes);
      const weights = state.optimizerSlots.map((name, i) => {
        const tensor = tensors[`${i}`];
        if (tensor === undefined) {
          tf.dispose(Object.values(tensors));
          throw new UsageError(
            `--resume ${dir}: ${join(CHECKPOINT_DIR, OPTIMIZER_FILE)} has no tensor '${i}' for optimizer slot ${name} (state.json lists ${state.optimizerSlots.length})`,
          );
        }
        return { name, tensor };
      });
      await optimizer.setWeights(weights);
      tf.dispose(Object.values(tensors));
    },
  };
}
