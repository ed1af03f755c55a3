import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { booleanOption } from '@rnnkit/tensor-core/internal';

import {
  isImprovement,
  monitoredValue,
  resolveMonitorMode,
  type FitCallbacks,
  type MonitorMode,
} from './fit_callbacks.js';
import type { EpochLogs } from './fit_progress.js';
import type { Sequential } from './sequential.js';

export interface ModelCheckpointOptions {
  /**
   * Model directory to write (Node only). `{epoch}` is replaced by the 1-based epoch number, padded as
   * `{epoch:03}` asks, and `{name}` by a log value, e.g. `checkpoints/epoch-{epoch:02}-{val_loss}`.
   */
  path: string;
  /** Quantity compared with `saveBestOnly`; default 'val_loss'. */
  monitor?: string;
  /** 'min', 'max', or 'auto' (max for accuracy-like names); default 'auto'. */
  mode?: MonitorMode;
  /** Write only when `monitor` improves on the best so far; default false (every epoch). */
  saveBestOnly?: boolean;
}

const MODEL_CHECKPOINT_OPTIONS = optionKeys<ModelCheckpointOptions>({
  path: true,
  monitor: true,
  mode: true,
  saveBestOnly: true,
});

/**
 * Keras's `ModelCheckpoint`: saves the model with `model.save(dir)` at the end of epochs. Each file is written to
 * a temporary name and renamed into place, weights before config, so a crash never leaves a half-written file.
 */
export class ModelCheckpoint implements FitCallbacks {
  readonly path: string;
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly saveBestOnly: boolean;
  /** Directories written, in order. */
  readonly saved: string[] = [];
  best = Number.NaN;
  private model: Sequential | null = null;

  constructor(given: ModelCheckpointOptions) {
    if (given === undefined)
      throw new TypeError(
        "ModelCheckpoint: options are required, e.g. new ModelCheckpoint({ path: 'checkpoints/epoch-{epoch}' })",
      );
    const options = checkOptions('ModelCheckpoint', given, MODEL_CHECKPOINT_OPTIONS);
    if (typeof options.path !== 'string' || options.path === '')
      throw new Error(`ModelCheckpoint: path must be a directory path, got ${JSON.stringify(options.path)}`);
    this.path = options.path;
    this.monitor = options.monitor ?? 'val_loss';
    this.mode = resolveMonitorMode('ModelCheckpoint', options.mode ?? 'auto', this.monitor);
    this.saveBestOnly = booleanOption('ModelCheckpoint', 'saveBestOnly', options.saveBestOnly, false);
  }

  setModel(model: Sequential): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  async onEpochEnd(epoch: number, logs: EpochLogs): Promise<void> {
    if (!this.model) throw new Error('ModelCheckpoint: used outside fit (no model was set)');
    if (this.saveBestOnly) {
      const value = monitoredValue('ModelCheckpoint', this.monitor, logs);
      if (!isImprovement(this.mode, value, this.best, 0)) return;
      this.best = value;
    }
    const dir = this.path.replace(
      /\{([A-Za-z_][\w]*)(?::0?(\d+)d?)?\}/g,
      (_whole, name: string, width: string | undefined) => {
        const value = name === 'epoch' ? epoch + 1 : logs[name];
        if (value === undefined)
          throw new Error(
            `ModelCheckpoint: path ${JSON.stringify(this.path)} names '${name}', which is not in the epoch logs`,
          );
        if (name === 'epoch') return width ? String(value).padStart(Number(width), '0') : String(value);
        return width ? value.toFixed(Number(width)) : value.toFixed(4);
      },
    );
    await this.model.save(dir);
    this.saved.push(dir);
  }
}
