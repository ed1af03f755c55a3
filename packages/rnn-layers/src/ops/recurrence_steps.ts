// The step and row bookkeeping of every recurrence kernel, JS (cpu/) and wasm (wasm/) alike: which
// batch rows run at step s given their lengths and the direction, which row of the time-major buffers
// ([time * batch, width]) each reads and writes, and which row holds the state it starts from. A
// kernel supplies its cell's math per row (and its step product) as the hooks of a StepPass.

/** A sequence's shape and, per step, the time position each batch row reads. */
export interface RecurrenceSteps {
  time: number;
  batch: number;
  hidden: number;
  lengths: readonly number[];
  reverse: boolean;
  /** Which time position batch row b reads at step s ([time * batch]), -1 once its sequence has ended. */
  index: Int32Array;
}

/**
 * The steps of a sequence of `time` positions (or `lengths[b]` for batch row b). Reverse runs each
 * sequence backwards within its own length (PyTorch packed-sequence semantics).
 */
export function recurrenceSteps(
  time: number,
  batch: number,
  hidden: number,
  lengths: readonly number[],
  reverse: boolean,
): RecurrenceSteps {
  const index = new Int32Array(time * batch);
  for (let b = 0; b < batch; b++) {
    const len = lengths.length === 0 ? time : lengths[b]!;
    for (let s = 0; s < time; s++) index[s * batch + b] = s >= len ? -1 : reverse ? len - 1 - s : s;
  }
  return { time, batch, hidden, lengths, reverse, index };
}

/**
 * Batch rows [first, end) in buffers that number them from `first` and hold a time position's rows
 * `stride` apart: the whole batch in place (0, batch, batch), or a helper thread's copy of its range
 * (b0, b1, b1 - b0). Row r of batch row b at position p is then p * stride + (b - first).
 */
export interface BatchRows {
  first: number;
  end: number;
  stride: number;
}

export function wholeBatch(d: RecurrenceSteps): BatchRows {
  return { first: 0, end: d.batch, stride: d.batch };
}

/** Whether every row of `rows` runs at step s (and at s - 1, `withPrevious`) and reads one position there. */
export function rowsAligned(d: RecurrenceSteps, s: number, rows: BatchRows, withPrevious = false): boolean {
  const aligned = (t: number): boolean => {
    const base = t * d.batch;
    const position = d.index[base + rows.first]!;
    if (position < 0) return false;
    for (let b = rows.first + 1; b < rows.end; b++) if (d.index[base + b] !== position) return false;
    return true;
  };
  return aligned(s) && (!withPrevious || s === 0 || aligned(s - 1));
}

/** A hook at step s; rows[0, n) are its running batch rows, numbered as the pass's BatchRows number them. */
export type StepHook = (s: number, rows: Int32Array, n: number) => void;

export interface StepPass {
  /** Before the step's rows (a forward step's recurrent product). */
  before?: StepHook;
  /**
   * Running batch row b (its number in the buffers) at step s, the a-th of the step: it reads and
   * writes `row`; its state before the step is at `previous`, -1 at the first step (the initial
   * state). Returns true where it has done the step's remaining rows as well.
   */
  row(b: number, row: number, previous: number, a: number): boolean | void;
  /** After the step's rows (a BPTT step's product). */
  after?: StepHook;
}

/**
 * Runs `pass` over the steps of `d` for `rows` (by default the whole batch in place): forwards up to
 * the last step any row runs, or backwards (BPTT) from the last step, skipping steps no row runs.
 */
export function runSteps(
  d: RecurrenceSteps,
  direction: 'forward' | 'backward',
  pass: StepPass,
  rows: BatchRows = wholeBatch(d),
): void {
  const { time: T, batch: B, index } = d;
  const { first, end, stride } = rows;
  const running = new Int32Array(end - first);
  const forward = direction === 'forward';
  for (let k = 0; k < T; k++) {
    const s = forward ? k : T - 1 - k;
    const base = s * B;
    let n = 0;
    for (let b = first; b < end; b++) if (index[base + b]! >= 0) running[n++] = b - first;
    if (n === 0) {
      if (forward) break; // every sequence has ended
      continue; // none has started yet (backwards)
    }
    pass.before?.(s, running, n);
    for (let a = 0; a < n; a++) {
      const local = running[a]!;
      const b = first + local;
      const row = index[base + b]! * stride + local;
      const previous = s === 0 ? -1 : index[base - B + b]! * stride + local;
      if (pass.row(local, row, previous, a) === true) break;
    }
    pass.after?.(s, running, n);
  }
}
