import fc from 'fast-check';

/** One seeded corruption of a file, as a fuzz test applies it. */
export type ByteMutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; length: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'overwrite32'; at: number; value: number };

/**
 * Mutations of a file of `size` bytes: bit flips, truncations, insertions, deletions, and little-endian
 * 32-bit overwrites with boundary values (the shape of a corrupted length field). Needs `fast-check`.
 */
export function byteMutation(size: number): fc.Arbitrary<ByteMutation> {
  const at = fc.integer({ min: 0, max: Math.max(0, size - 1) });
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), length: fc.integer({ min: 0, max: Math.max(0, size - 1) }) }),
    fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('delete' as const), at, count: fc.integer({ min: 1, max: 16 }) }),
    fc.record({
      kind: fc.constant('overwrite32' as const), at,
      value: fc.oneof(fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 0xfffffffe, 0x80000000), fc.integer({ min: 0, max: 0xffffffff })),
    }),
  );
}

/** Applies a mutation to a copy of `bytes`. */
export function applyByteMutation(bytes: Uint8Array, mutation: ByteMutation): Uint8Array {
  switch (mutation.kind) {
    case 'flip': {
      const out = bytes.slice();
      if (out.length > 0) out[mutation.at % out.length]! ^= 1 << mutation.bit;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, mutation.length);
    case 'insert': {
      const at = Math.min(mutation.at, bytes.length);
      return Uint8Array.from([...bytes.subarray(0, at), ...mutation.bytes, ...bytes.subarray(at)]);
    }
    case 'delete':
      return Uint8Array.from([...bytes.subarray(0, mutation.at), ...bytes.subarray(mutation.at + mutation.count)]);
    case 'overwrite32': {
      const out = bytes.slice();
      const at = Math.min(mutation.at, Math.max(0, out.length - 4));
      if (out.length >= 4) new DataView(out.buffer).setUint32(at, mutation.value >>> 0, true);
      return out;
    }
  }
}

/** How many cases a fuzz test runs: `base`, times `RNNKIT_FUZZ_RUNS / 100` when that is set (the long run). */
export function fuzzRuns(base: number): number {
  const long = Number(process.env.RNNKIT_FUZZ_RUNS);
  return Number.isFinite(long) && long > 0 ? Math.max(base, Math.round(long)) : base;
}

/** What a fuzzed parser did with one mutated file. */
export type FuzzOutcome = 'clean error' | 'accepted unchanged' | 'accepted changed' | 'other';

/** Counts outcomes and prints them when the long run is on (for RELIABILITY.md). */
export class FuzzTally {
  readonly counts: Record<FuzzOutcome, number> = { 'clean error': 0, 'accepted unchanged': 0, 'accepted changed': 0, other: 0 };
  readonly others: string[] = [];
  constructor(readonly parser: string) {}
  add(outcome: FuzzOutcome, detail?: string): void {
    this.counts[outcome]++;
    if (outcome === 'other' && detail && this.others.length < 5) this.others.push(detail);
  }
  report(): void {
    if (process.env.RNNKIT_FUZZ_RUNS) console.log(`fuzz ${this.parser}: ${JSON.stringify(this.counts)}${this.others.length ? ` others: ${this.others.join(' | ')}` : ''}`);
  }
}
