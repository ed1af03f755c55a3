import type * as tf from '@tensorflow/tfjs-core';

export function checkPositiveInt(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${fn}: ${arg} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export function checkPositive(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new Error(`${fn}: ${arg} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

/** Signals are [time] or [batch, time], float32. */
export function checkSignal(fn: string, signal: tf.Tensor): void {
  if (signal == null || typeof signal !== 'object' || !Array.isArray(signal.shape)) {
    throw new Error(`${fn}: signal must be a Tensor1D [time] or Tensor2D [batch, time]`);
  }
  if (signal.rank !== 1 && signal.rank !== 2) {
    throw new Error(
      `${fn}: signal must be a Tensor1D [time] or Tensor2D [batch, time], got shape [${signal.shape.join(', ')}]`,
    );
  }
  if (signal.dtype !== 'float32') throw new Error(`${fn}: signal must be float32, got ${signal.dtype}`);
  const time = signal.shape[signal.rank - 1]!;
  if (time === 0) throw new Error(`${fn}: signal is empty (0 samples)`);
}
