import * as fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';

// Seeded mutation fuzzing of a parser: start from valid files, apply 1-3 mutations (bit flips,
// truncation, insertion, deletion, a length field overwritten with a boundary value) and classify
// what the parser did. RNNKIT_FUZZ_RUNS=2000 sets the runs of every fuzz test (default: ciRuns).

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'field'; at: number; width: 2 | 4; value: number };

const BOUNDARY = [
  0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe,
  0xffffffff,
];

/** Mutations of a file; `fields` are offsets of known length/size fields, hit more often than chance would. */
export function mutationArb(fields: readonly number[] = []): fc.Arbitrary<Mutation> {
  // Position as a fraction of the length; fc.noBias keeps it spread over the file (fast-check otherwise favours the ends).
  const at = fc.noBias(fc.integer({ min: 0, max: 0xffff })).map((n) => n / 0x10000);
  const fieldAt =
    fields.length > 0
      ? fc.oneof(
          fc.constantFrom(...fields).map((f) => -1 - f),
          at,
        )
      : at;
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({
      kind: fc.constant('insert' as const),
      at,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
    fc.record({ kind: fc.constant('delete' as const), at, count: fc.integer({ min: 1, max: 8 }) }),
    fc.record({
      kind: fc.constant('field' as const),
      at: fieldAt,
      width: fc.constantFrom(2 as const, 4 as const),
      value: fc.oneof(fc.constantFrom(...BOUNDARY), fc.nat(), fc.integer({ min: 0, max: 0xffffffff })),
    }),
  );
}

/** Applies mutations in order; `at` in [0, 1) is a fraction of the current length, a negative `at` is the field offset -1 - at. */
export function applyMutations(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of mutations) {
    const pos = m.at < 0 ? Math.min(-1 - m.at, Math.max(0, b.length - 1)) : Math.floor(m.at * b.length);
    if (m.kind === 'flip') {
      if (b.length > 0) b[pos] = b[pos]! ^ (1 << m.bit);
    } else if (m.kind === 'truncate') b = b.slice(0, pos);
    else if (m.kind === 'insert') b = new Uint8Array([...b.subarray(0, pos), ...m.bytes, ...b.subarray(pos)]);
    else if (m.kind === 'delete') b = new Uint8Array([...b.subarray(0, pos), ...b.subarray(pos + m.count)]);
    else if (pos + m.width <= b.length) {
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      if (m.width === 2) v.setUint16(pos, m.value & 0xffff, true);
      else v.setUint32(pos, m.value >>> 0, true);
    }
  }
  return b;
}

export interface FuzzTally {
  /** Threw an Error whose message named the function/field (matched `errorPattern`). */
  cleanError: number;
  /** Parsed to the same result as the unmutated file (the mutation hit padding, a skipped chunk, or undid itself). */
  acceptedUnchanged: number;
  /** Parsed to a different result: a change the format cannot detect (e.g. a flipped sample value). */
  acceptedChanged: number;
  /** Anything else: a non-Error throw or an error message that does not name the function. Must stay 0. */
  other: number;
  otherExamples: string[];
}

export function fuzzRuns(ciRuns: number): number {
  const env = Number(process.env.RNNKIT_FUZZ_RUNS);
  return Number.isInteger(env) && env > 0 ? env : ciRuns;
}

/**
 * Runs `parse` on mutated copies of `bases` and tallies the outcomes. `project` turns a result into
 * plain data for comparison with the base's result.
 */
export function fuzzParser<T>(options: {
  name: string;
  bases: readonly Uint8Array[];
  parse: (bytes: Uint8Array) => T;
  project?: (result: T) => unknown;
  errorPattern: RegExp;
  fields?: readonly number[];
  seed: number;
  ciRuns: number;
}): FuzzTally {
  const project = options.project ?? ((r: T) => r);
  const expected = options.bases.map((b) => project(options.parse(b)));
  const tally: FuzzTally = {
    cleanError: 0,
    acceptedUnchanged: 0,
    acceptedChanged: 0,
    other: 0,
    otherExamples: [],
  };
  fc.assert(
    fc.property(
      fc.nat({ max: options.bases.length - 1 }),
      fc.array(mutationArb(options.fields), { minLength: 1, maxLength: 3 }),
      (which, mutations) => {
        const bytes = applyMutations(options.bases[which]!, mutations);
        let result: unknown;
        try {
          result = project(options.parse(bytes));
        } catch (error) {
          if (
            error instanceof Error &&
            options.errorPattern.test(error.message) &&
            !/Maximum call stack|is not a function|Cannot read prop|Offset is outside/.test(error.message)
          ) {
            tally.cleanError++;
          } else {
            tally.other++;
            if (tally.otherExamples.length < 5)
              tally.otherExamples.push(
                `${JSON.stringify(mutations)}: ${String(error instanceof Error ? error.message : error)}`,
              );
          }
          return;
        }
        if (isDeepStrictEqual(result, expected[which])) tally.acceptedUnchanged++;
        else tally.acceptedChanged++;
      },
    ),
    { seed: options.seed, numRuns: fuzzRuns(options.ciRuns) },
  );
  if (process.env.RNNKIT_FUZZ_RUNS) {
    const { otherExamples: _otherExamples, ...counts } = tally;
    console.log(
      `FUZZ ${JSON.stringify({ parser: options.name, runs: fuzzRuns(options.ciRuns), ...counts })}`,
    );
  }
  return tally;
}
