/** How a stretch of the reference becomes the hypothesis: jiwer's alignment chunk types. */
export type EditOperation = 'equal' | 'substitute' | 'delete' | 'insert';

/**
 * One run of the same operation, as jiwer's AlignmentChunk: reference tokens [refStart, refEnd) become
 * hypothesis tokens [hypStart, hypEnd). 'delete' has an empty hypothesis range, 'insert' an empty
 * reference range.
 */
export interface AlignmentChunk {
  type: EditOperation;
  refStart: number;
  refEnd: number;
  hypStart: number;
  hypEnd: number;
}

export interface EditAlignment {
  /** Levenshtein distance: substitutions + deletions + insertions. */
  distance: number;
  hits: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  chunks: AlignmentChunk[];
}

/** Above this many cost cells (1 GiB at 4 bytes each) a pair is refused rather than exhausting memory. */
export const MAX_ALIGNMENT_CELLS = 2 ** 28;

type Step = 'equal' | 'substitute' | 'delete' | 'insert';

function pushStep(chunks: AlignmentChunk[], type: Step, i: number, j: number, count = 1): void {
  const refLength = type === 'insert' ? 0 : count;
  const hypLength = type === 'delete' ? 0 : count;
  const last = chunks[chunks.length - 1];
  if (last && last.type === type && last.refEnd === i && last.hypEnd === j) {
    last.refEnd += refLength;
    last.hypEnd += hypLength;
  } else {
    chunks.push({ type, refStart: i, refEnd: i + refLength, hypStart: j, hypEnd: j + hypLength });
  }
}

/**
 * A minimum-cost alignment (unit costs) of `reference` to `hypothesis`, tokens compared with `===`.
 *
 * Several alignments can share the minimum distance yet count substitutions, deletions and insertions
 * differently (`a b` → `b c`: two substitutions, or a deletion and an insertion). This one picks as
 * python-Levenshtein's `editops` does, so its counts equal that reference: common prefix and suffix are
 * matched first, and the path is traced back from the end preferring to continue a run of insertions or
 * deletions, then a match, then a substitution, then a new insertion, then a new deletion.
 * `context` starts the error message of a pair too large to align.
 */
export function editAlignment<T>(
  reference: readonly T[],
  hypothesis: readonly T[],
  context = 'editAlignment',
): EditAlignment {
  const n = reference.length;
  const m = hypothesis.length;
  let prefix = 0;
  while (prefix < n && prefix < m && reference[prefix] === hypothesis[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < n - prefix &&
    suffix < m - prefix &&
    reference[n - 1 - suffix] === hypothesis[m - 1 - suffix]
  ) {
    suffix++;
  }
  const rows = n - prefix - suffix + 1;
  const cols = m - prefix - suffix + 1;
  if (rows * cols > MAX_ALIGNMENT_CELLS) {
    throw new RangeError(
      `${context}: aligning ${n} reference tokens with ${m} hypothesis tokens needs ${rows}×${cols} cost cells, more than ${MAX_ALIGNMENT_CELLS}; split the text into shorter segments`,
    );
  }
  // Costs never exceed max(rows, cols), so 16 bits do for most pairs and halve the memory.
  const cost = Math.max(rows, cols) < 0xffff ? new Uint16Array(rows * cols) : new Uint32Array(rows * cols);
  const at = (i: number, j: number): number => cost[i * cols + j] ?? 0;
  for (let j = 0; j < cols; j++) cost[j] = j;
  for (let i = 1; i < rows; i++) {
    const r = reference[prefix + i - 1];
    const row = i * cols;
    cost[row] = i;
    let left = i;
    for (let j = 1; j < cols; j++) {
      const diagonal = (cost[row - cols + j - 1] ?? 0) + (r === hypothesis[prefix + j - 1] ? 0 : 1);
      const up = (cost[row - cols + j] ?? 0) + 1;
      left = Math.min(diagonal, up, left + 1);
      cost[row + j] = left;
    }
  }

  // Trace back from the end; steps are collected in reverse.
  const steps: Step[] = [];
  let i = rows - 1;
  let j = cols - 1;
  let direction: 'none' | 'insert' | 'delete' = 'none';
  while (i > 0 || j > 0) {
    const here = at(i, j);
    const canInsert = j > 0 && here === at(i, j - 1) + 1;
    const canDelete = i > 0 && here === at(i - 1, j) + 1;
    if (direction === 'insert' && canInsert) {
      steps.push('insert');
      j--;
    } else if (direction === 'delete' && canDelete) {
      steps.push('delete');
      i--;
    } else if (
      i > 0 &&
      j > 0 &&
      here === at(i - 1, j - 1) &&
      reference[prefix + i - 1] === hypothesis[prefix + j - 1]
    ) {
      steps.push('equal');
      i--;
      j--;
      direction = 'none';
    } else if (i > 0 && j > 0 && here === at(i - 1, j - 1) + 1) {
      steps.push('substitute');
      i--;
      j--;
      direction = 'none';
    } else if (direction === 'none' && canInsert) {
      steps.push('insert');
      j--;
      direction = 'insert';
    } else if (direction === 'none' && canDelete) {
      steps.push('delete');
      i--;
      direction = 'delete';
    } else {
      // Unreachable for a consistent cost matrix: a turn from insertions straight to deletions is never
      // the only optimal step (the diagonal is as cheap).
      throw new Error(`${context}: internal error, no optimal step at (${i}, ${j})`);
    }
  }

  const chunks: AlignmentChunk[] = [];
  const counts = { equal: prefix + suffix, substitute: 0, delete: 0, insert: 0 };
  if (prefix > 0) pushStep(chunks, 'equal', 0, 0, prefix);
  let ri = prefix;
  let hi = prefix;
  for (let k = steps.length - 1; k >= 0; k--) {
    const step = steps[k] ?? 'equal';
    counts[step]++;
    pushStep(chunks, step, ri, hi);
    if (step !== 'insert') ri++;
    if (step !== 'delete') hi++;
  }
  if (suffix > 0) pushStep(chunks, 'equal', ri, hi, suffix);
  return {
    distance: counts.substitute + counts.delete + counts.insert,
    hits: counts.equal,
    substitutions: counts.substitute,
    deletions: counts.delete,
    insertions: counts.insert,
    chunks,
  };
}
