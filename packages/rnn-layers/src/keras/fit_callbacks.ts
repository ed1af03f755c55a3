import type { EpochLogs } from './fit_progress.js';
import { previewValue } from '@rnnkit/tensor-core/internal';
import type { Sequential } from './sequential.js';

/**
 * Hooks `fit` calls, Keras's `Callback` methods in camelCase. Each may be async; `fit` awaits it.
 * `setModel` comes first, with the model being trained (Keras's `set_model`).
 */
export interface FitCallbacks {
  setModel?(model: Sequential): void;
  onTrainBegin?(): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onBatchBegin?(batch: number): void | Promise<void>;
  /** `size` is the batch's sample count. Losses are read once per epoch, so they are not in these logs. */
  onBatchEnd?(batch: number, logs: { size: number }): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs): void | Promise<void>;
  onTrainEnd?(logs: EpochLogs): void | Promise<void>;
}

export type MonitorMode = 'auto' | 'min' | 'max';

/** Keras's 'auto' mode: accuracy-like quantities improve upwards, everything else downwards. */
export function resolveMonitorMode(fn: string, mode: unknown, monitor: string): 'min' | 'max' {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max')
    throw new Error(`${fn}: mode must be 'auto', 'min' or 'max', got ${previewValue(mode)}`);
  if (mode !== 'auto') return mode;
  return /acc|auc|precision|recall|f1/i.test(monitor) ? 'max' : 'min';
}

/** The monitored value of an epoch, or an error that lists what the logs have. */
export function monitoredValue(fn: string, monitor: string, logs: EpochLogs): number {
  const value = logs[monitor];
  if (value === undefined) {
    const hint = monitor.startsWith('val_') ? '; give fit a validationSplit or validationData' : '';
    throw new Error(
      `${fn}: monitor '${monitor}' is not in the epoch logs (they have ${Object.keys(logs)
        .map((k) => `'${k}'`)
        .join(', ')})${hint}`,
    );
  }
  return value;
}

export function isImprovement(mode: 'min' | 'max', value: number, best: number, minDelta: number): boolean {
  return mode === 'min' ? value < best - minDelta : value > best + minDelta;
}
