import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { booleanOption, previewValue } from '@rnnkit/tensor-core/internal';

import {
  isImprovement,
  monitoredValue,
  resolveMonitorMode,
  type FitCallbacks,
  type MonitorMode,
} from './fit_callbacks.js';
import type { EpochLogs } from './fit_progress.js';
import type { Sequential } from './sequential.js';

export interface EarlyStoppingOptions {
  /** Quantity to watch; default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement; default 0. */
  minDelta?: number;
  /** Epochs without improvement before training stops; default 0. */
  patience?: number;
  /** 'min', 'max', or 'auto' (max for accuracy-like names); default 'auto'. */
  mode?: MonitorMode;
  /** Training stops unless the monitored value beats this within `patience` epochs. */
  baseline?: number;
  /** Put back the weights of the best epoch when training ends; default false (as Keras). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (a warm-up); default 0. */
  startFromEpoch?: number;
}

const EARLY_STOPPING_OPTIONS = optionKeys<EarlyStoppingOptions>({
  monitor: true,
  minDelta: true,
  patience: true,
  mode: true,
  baseline: true,
  restoreBestWeights: true,
  startFromEpoch: true,
});

/** The counters a checkpoint keeps to continue early stopping after a restart (JSON-safe). */
export interface EarlyStoppingState {
  wait: number;
  /** The best monitored value so far; null before the first watched epoch. */
  best: number | null;
  bestEpoch: number;
  lastEpoch: number;
}

function nonNegative(name: string, value: unknown, integer: boolean): number {
  if (
    typeof value !== 'number' ||
    !(value >= 0) ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value))
  ) {
    throw new Error(
      `EarlyStopping: ${name} must be a non-negative ${integer ? 'integer' : 'number'}, got ${previewValue(value)}`,
    );
  }
  return value;
}

/**
 * Keras's `EarlyStopping`: stops `fit` once `monitor` has not improved for `patience` epochs. With
 * `restoreBestWeights` the best epoch's weights are put back when training ends, also when it ran to
 * its last epoch (Keras restores only when it stopped early, which surprises people).
 */
export class EarlyStopping implements FitCallbacks {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** The epoch `fit` stopped after (0-based), or -1 if it ran to the end. */
  stoppedEpoch = -1;
  /** The best epoch so far (0-based), or -1. */
  bestEpoch = -1;
  best = Number.NaN;
  private model: Sequential | null = null;
  private wait = 0;
  private lastEpoch = -1;
  private bestWeights: Map<string, tf.Tensor> | null = null;
  private resumed: { state: EarlyStoppingState; bestWeights: Map<string, tf.Tensor> | null } | null = null;

  constructor(given?: EarlyStoppingOptions) {
    const options = checkOptions('EarlyStopping', given, EARLY_STOPPING_OPTIONS);
    this.monitor = options.monitor ?? 'val_loss';
    if (typeof this.monitor !== 'string' || this.monitor === '')
      throw new Error(
        `EarlyStopping: monitor must be a log name such as 'val_loss', got ${previewValue(this.monitor)}`,
      );
    this.minDelta = Math.abs(nonNegative('minDelta', options.minDelta ?? 0, false));
    this.patience = nonNegative('patience', options.patience ?? 0, true);
    this.startFromEpoch = nonNegative('startFromEpoch', options.startFromEpoch ?? 0, true);
    this.mode = resolveMonitorMode('EarlyStopping', options.mode ?? 'auto', this.monitor);
    if (options.baseline !== undefined && !Number.isFinite(options.baseline))
      throw new Error(
        `EarlyStopping: baseline must be a finite number, got ${previewValue(options.baseline)}`,
      );
    this.baseline = options.baseline;
    this.restoreBestWeights = booleanOption(
      'EarlyStopping',
      'restoreBestWeights',
      options.restoreBestWeights,
      false,
    );
  }

  setModel(model: Sequential): void {
    this.model = model;
  }

  /** Counters after the last epoch, for a checkpoint (the best weights: `bestWeightsSnapshot`). */
  state(): EarlyStoppingState {
    return {
      wait: this.wait,
      best: Number.isFinite(this.best) ? this.best : null,
      bestEpoch: this.bestEpoch,
      lastEpoch: this.lastEpoch,
    };
  }

  /** The kept best weights by model weight name (owned by this callback; clone to keep), or null. */
  bestWeightsSnapshot(): Record<string, tf.Tensor> | null {
    return this.bestWeights ? Object.fromEntries(this.bestWeights) : null;
  }

  /**
   * Makes the next `fit` (resumed with `initialEpoch`) continue from a checkpoint's `state()` and best
   * weights instead of starting over; the weights are copied.
   */
  resumeFrom(state: EarlyStoppingState, bestWeights?: Record<string, tf.Tensor> | null): void {
    const counts = [state?.wait, state?.bestEpoch, state?.lastEpoch];
    if (
      !counts.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= -1) ||
      !(state.best === null || Number.isFinite(state.best))
    ) {
      throw new Error(
        `EarlyStopping.resumeFrom: state must be what state() returned, got ${previewValue(state)}`,
      );
    }
    this.dropResumed();
    this.resumed = {
      state: { ...state },
      bestWeights: bestWeights
        ? new Map(Object.entries(bestWeights).map(([k, t]) => [k, tf.keep(tf.clone(t))]))
        : null,
    };
  }

  onTrainBegin(): void {
    if (this.resumed) {
      const { state, bestWeights } = this.resumed;
      this.resumed = null;
      this.dropBestWeights();
      this.wait = state.wait;
      this.stoppedEpoch = -1;
      this.bestEpoch = state.bestEpoch;
      this.lastEpoch = state.lastEpoch;
      this.best = state.best ?? this.baseline ?? (this.mode === 'min' ? Infinity : -Infinity);
      this.bestWeights = bestWeights;
      return;
    }
    this.wait = 0;
    this.stoppedEpoch = -1;
    this.bestEpoch = -1;
    this.lastEpoch = -1;
    this.best = this.baseline ?? (this.mode === 'min' ? Infinity : -Infinity);
    this.dropBestWeights();
  }

  onEpochEnd(epoch: number, logs: EpochLogs): void {
    this.lastEpoch = epoch;
    const value = monitoredValue('EarlyStopping', this.monitor, logs);
    if (epoch < this.startFromEpoch) return;
    this.wait++;
    if (isImprovement(this.mode, value, this.best, this.minDelta)) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) this.keepBestWeights();
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      if (this.model) this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights && this.model && this.bestEpoch !== this.lastEpoch) {
      for (const [name, variable] of this.model.namedWeights()) {
        const best = this.bestWeights.get(name);
        if (best) variable.assign(best);
      }
    }
    this.dropBestWeights();
  }

  private keepBestWeights(): void {
    if (!this.model) return;
    this.dropBestWeights();
    this.bestWeights = new Map(
      this.model.namedWeights().map(([name, variable]) => [name, tf.keep(tf.clone(variable))]),
    );
  }

  private dropResumed(): void {
    if (this.resumed?.bestWeights) tf.dispose([...this.resumed.bestWeights.values()]);
    this.resumed = null;
  }

  private dropBestWeights(): void {
    if (this.bestWeights) tf.dispose([...this.bestWeights.values()]);
    this.bestWeights = null;
  }
}
