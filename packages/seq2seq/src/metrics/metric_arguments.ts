import { previewValue } from '@rnnkit/tensor-core/internal';

// Argument checks shared by the metrics: every error names the function, the argument (with its index)
// and what was received, so a wrong shape fails loudly instead of scoring garbage.

/** A non-empty array of strings; `name` is how the argument is called in messages. */
export function stringList(fn: string, name: string, value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`${fn}: ${name} must be an array of strings, got ${previewValue(value)}`);
  }
  if (value.length === 0) {
    throw new RangeError(`${fn}: ${name} is empty; expected at least one string`);
  }
  value.forEach((item: unknown, i) => {
    if (typeof item !== 'string') {
      throw new TypeError(`${fn}: ${name}[${i}] must be a string, got ${previewValue(item)}`);
    }
  });
  return value as string[];
}

/** One string, or a non-empty array of them (then returned as is). */
export function stringOrList(fn: string, name: string, value: unknown): string[] {
  return typeof value === 'string' ? [value] : stringList(fn, name, value);
}

export function stringArgument(fn: string, name: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new TypeError(`${fn}: ${name} must be a string, got ${previewValue(value)}`);
  }
  return value;
}

/**
 * Reference streams as sacreBLEU takes them: `references[k][i]` is the k-th reference of hypothesis i.
 * The common slip, one reference string per hypothesis, gets a message that says how to wrap it.
 */
export function referenceStreams(fn: string, value: unknown, hypothesisCount: number): string[][] {
  if (!Array.isArray(value)) {
    throw new TypeError(
      `${fn}: references must be an array of reference streams (string[][], one array per reference, like sacreBLEU's refs), got ${previewValue(value)}`,
    );
  }
  if (value.length === 0) {
    throw new RangeError(`${fn}: references is empty; expected at least one reference stream (string[][])`);
  }
  if (value.every((item: unknown) => typeof item === 'string')) {
    throw new TypeError(
      `${fn}: references must be an array of reference streams (string[][]), got an array of ${value.length} strings; for one reference per hypothesis pass [references]`,
    );
  }
  return value.map((stream: unknown, k) => {
    const strings = stringList(fn, `references[${k}]`, stream);
    if (strings.length !== hypothesisCount) {
      throw new RangeError(
        `${fn}: references[${k}] has ${strings.length} segments but hypotheses has ${hypothesisCount}; every reference stream needs one segment per hypothesis`,
      );
    }
    return strings;
  });
}

/** An integer option in [min, max]; `undefined` gives `fallback`. */
export function integerOption(
  fn: string,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${fn}: ${name} must be an integer ${range}, got ${previewValue(value)}`);
  }
  return value;
}

/** One of a fixed set of strings; `undefined` gives `fallback`. */
export function choiceOption<T extends string>(
  fn: string,
  name: string,
  value: unknown,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new RangeError(
      `${fn}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${previewValue(value)}`,
    );
  }
  return value as T;
}
