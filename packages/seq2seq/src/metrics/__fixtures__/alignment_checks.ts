// Test-only: checks of an alignment that hold whichever optimal path it took.
import { expect } from 'vitest';

import type { AlignmentChunk, EditAlignment } from '../edit_alignment.js';

/** python-Levenshtein's editops of an alignment, to compare with the fixture. */
export function toEditops(chunks: readonly AlignmentChunk[]): Array<[string, number, number]> {
  const ops: Array<[string, number, number]> = [];
  for (const c of chunks) {
    if (c.type === 'substitute') for (let k = 0; k < c.refEnd - c.refStart; k++) ops.push(['replace', c.refStart + k, c.hypStart + k]);
    if (c.type === 'delete') for (let k = c.refStart; k < c.refEnd; k++) ops.push(['delete', k, c.hypStart]);
    if (c.type === 'insert') for (let k = c.hypStart; k < c.hypEnd; k++) ops.push(['insert', c.refStart, k]);
  }
  return ops;
}

/**
 * Checks that an alignment is a valid edit script, whatever optimal path it took: the chunks tile both
 * sequences in order, equal chunks match, substitutions differ, and replaying it on the reference gives
 * the hypothesis; its counts agree with its chunks.
 */
export function expectValidAlignment<T>(ref: readonly T[], hyp: readonly T[], a: EditAlignment): void {
  let i = 0;
  let j = 0;
  const rebuilt: T[] = [];
  const counts = { equal: 0, substitute: 0, delete: 0, insert: 0 };
  for (const c of a.chunks) {
    expect(c.refStart).toBe(i);
    expect(c.hypStart).toBe(j);
    const refLen = c.refEnd - c.refStart;
    const hypLen = c.hypEnd - c.hypStart;
    if (c.type === 'equal' || c.type === 'substitute') expect(hypLen).toBe(refLen);
    if (c.type === 'delete') expect(hypLen).toBe(0);
    if (c.type === 'insert') expect(refLen).toBe(0);
    expect(Math.max(refLen, hypLen)).toBeGreaterThan(0);
    for (let k = 0; k < Math.max(refLen, hypLen); k++) {
      if (c.type === 'equal') expect(hyp[c.hypStart + k]).toBe(ref[c.refStart + k]);
      if (c.type === 'substitute') expect(hyp[c.hypStart + k]).not.toBe(ref[c.refStart + k]);
    }
    if (c.type === 'equal') rebuilt.push(...ref.slice(c.refStart, c.refEnd));
    else rebuilt.push(...hyp.slice(c.hypStart, c.hypEnd));
    counts[c.type] += Math.max(refLen, hypLen);
    i = c.refEnd;
    j = c.hypEnd;
  }
  expect([i, j]).toEqual([ref.length, hyp.length]);
  expect(rebuilt).toEqual(hyp);
  expect({ hits: a.hits, substitutions: a.substitutions, deletions: a.deletions, insertions: a.insertions }).toEqual({
    hits: counts.equal,
    substitutions: counts.substitute,
    deletions: counts.delete,
    insertions: counts.insert,
  });
  expect(a.distance).toBe(counts.substitute + counts.delete + counts.insert);
}

