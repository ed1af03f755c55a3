// Checked access for the benchmarks (noUncheckedIndexedAccess): an index or value that is missing
// is a bug in the benchmark, reported with what was being read instead of a later NaN or TypeError.
import os from 'node:os';

/** xs[i], or an error naming `what` when i is out of range. */
export function at<T>(xs: ArrayLike<T>, i: number, what: string): T {
  const v = xs[i];
  if (v === undefined) throw new Error(`${what}: no element at index ${i} (length ${xs.length})`);
  return v;
}

/** `value`, or an error naming `what` when it is null or undefined. */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}

/** The element at index floor(n / 2) of the sorted values (the upper median for an even count). */
export function upperMedian(values: readonly number[]): number {
  return at(
    [...values].sort((a, b) => a - b),
    values.length >> 1,
    'median of no values',
  );
}

/** The 1-minute load average. */
export function loadavg1(): number {
  return at(os.loadavg(), 0, 'os.loadavg()');
}

/** The median of the values (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  const upper = at(s, m, 'median of no values');
  return s.length % 2 ? upper : (at(s, m - 1, 'median') + upper) / 2;
}
