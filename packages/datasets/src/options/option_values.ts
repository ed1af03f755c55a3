// Option values are type-checked, not truthiness-checked: `numWords: -5` or `shuffle: 'no'` would
// otherwise be read as something the caller did not mean.

/** Throws unless `value` is undefined or an integer in [min, max]; returns it. */
export function checkIntegerOption(
  fn: string,
  name: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(
      `${fn}: ${name} must be an integer ${range}, got ${typeof value === 'number' ? value : (JSON.stringify(value) ?? String(value))}`,
    );
  }
  return value;
}

/** Throws unless `value` is undefined or a boolean; returns it. */
export function checkBooleanOption(fn: string, name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${fn}: ${name} must be a boolean, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}
