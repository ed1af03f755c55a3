/** Plain values: read tensors first with `await t.data()` (synchronous reads fail on webgpu in Node). */
type Numeric = ArrayLike<number> | number;

export interface CloseOptions {
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 0). */
  rtol?: number;
}

function flatten(value: Numeric, what: string): ArrayLike<number> {
  if (typeof value === 'number') return [value];
  if (value && typeof value.length === 'number' && typeof value !== 'string') return value;
  throw new Error(
    `expectArraysClose: ${what} must be an array or a number (read tensors with await t.data())`,
  );
}

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| elementwise (NaN matches only NaN).
 * The error names the worst element, its index and both values.
 */
export function expectArraysClose(actual: Numeric, expected: Numeric, options: CloseOptions = {}): void {
  const { atol = 1e-5, rtol = 0 } = options;
  const a = { values: flatten(actual, 'actual') };
  const e = { values: flatten(expected, 'expected') };
  if (a.values.length !== e.values.length) {
    throw new Error(`expectArraysClose: ${a.values.length} values, expected ${e.values.length}`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i]!;
    const y = e.values[i]!;
    if (Number.isNaN(y) || Number.isNaN(x)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) {
        throw new Error(`expectArraysClose: element ${i} is ${x}, expected ${y}`);
      }
      continue;
    }
    if (x === y) continue; // equal infinities
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (!(excess <= worstExcess)) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    const x = a.values[worst]!;
    const y = e.values[worst]!;
    throw new Error(
      `expectArraysClose: element ${worst} is ${x}, expected ${y} (|diff| = ${Math.abs(x - y)}, atol ${atol}, rtol ${rtol})`,
    );
  }
}
