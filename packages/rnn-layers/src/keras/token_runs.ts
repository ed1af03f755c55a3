import * as tf from '@tensorflow/tfjs-core';

// Keras masking for the recurrent layers. A mask from `Embedding({maskZero: true})` marks each row's
// run of tokens, with padding before it (Keras's default `padding='pre'`), after it, or both. Keras
// skips masked steps, carrying the state; for a run of tokens that is the same as starting the
// recurrence at the run's first token and stopping after its last. The fused kernels take per-row
// `lengths` counted from step 0 (PyTorch's packed sequences), so a run that starts later is rotated
// to the front first, and the outputs are rotated back. Masked steps' outputs are zeros, as with cuDNN.

/** Each row's run of tokens: where it starts and how long it is. */
export interface TokenRuns {
  starts: Int32Array;
  lengths: Int32Array;
}

/** Why rows of token ids (0 = padding), `[rows, cols]`, have no single run of tokens each, or null. */
export function tokenRunProblem(values: ArrayLike<number>, [rows, cols]: [number, number]): string | null {
  for (let r = 0; r < rows; r++) {
    let state: 'before' | 'tokens' | 'after' = 'before';
    for (let c = 0; c < cols; c++) {
      const pad = values[r * cols + c] === 0;
      if (state === 'before' && !pad) state = 'tokens';
      else if (state === 'tokens' && pad) state = 'after';
      else if (state === 'after' && !pad) {
        return `[${r}][${c}] is a token after padding inside the sequence; with maskZero, pad before or after each sequence (padding 'pre' or 'post'), not inside it`;
      }
    }
    if (state === 'before') return `[${r}] is all padding (0); with maskZero, keep at least one token per sequence`;
  }
  return null;
}

/**
 * The runs of rows `[rows, cols]` of token ids or mask values (0 = padding). Check them with
 * tokenRunProblem first: a row without tokens gets length 0, one with a hole ends at the hole.
 */
export function tokenRuns(values: ArrayLike<number>, [rows, cols]: [number, number]): TokenRuns {
  const starts = new Int32Array(rows);
  const lengths = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let c = 0;
    while (c < cols && values[row + c] === 0) c++;
    if (c === cols) continue; // no token: start 0, length 0
    starts[r] = c;
    while (c < cols && values[row + c] !== 0) c++;
    lengths[r] = c - starts[r]!;
  }
  return { starts, lengths };
}

/** Whether some run starts after step 0 (otherwise `lengths` alone describe the batch). */
export function hasLeadingPadding(runs: Pick<TokenRuns, 'starts'>): boolean {
  return runs.starts.some((s) => s > 0);
}

/**
 * Rotates each row of `[batch, time, features]` by its own number of steps: step t of row b comes
 * from step (t + shifts[b]) mod time. A permutation, so its gradient is the inverse rotation (a
 * gather, not the scatter-add of tf.gather's gradient, which tfjs-backend-wasm lacks).
 */
function rotateSteps(x: tf.Tensor, shifts: Int32Array): tf.Tensor {
  const [batch, time, features] = x.shape as [number, number, number];
  const from = (sign: number) => {
    const source = new Int32Array(batch * time);
    for (let b = 0; b < batch; b++) {
      const shift = ((sign * shifts[b]!) % time + time) % time;
      for (let t = 0; t < time; t++) source[b * time + t] = b * time + ((t + shift) % time);
    }
    return source;
  };
  const gatherSteps = (v: tf.Tensor, source: Int32Array) => tf.tidy(() =>
    tf.reshape(tf.gather(tf.reshape(v, [batch * time, features]), tf.tensor1d(source, 'int32')), [batch, time, features]));
  const rotate = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: gatherSteps(args[0] as tf.Tensor, from(1)),
    gradFunc: (dy: tf.Tensor) => gatherSteps(dy, from(-1)),
  })) as (v: tf.Tensor) => tf.Tensor;
  return rotate(x);
}

/** `[batch, time, features]` with each row's run of tokens rotated to step 0 (the padding after it). */
export function runsToFront(x: tf.Tensor, starts: Int32Array): tf.Tensor {
  return rotateSteps(x, starts);
}

/**
 * The inverse, for the recurrence's outputs `[batch, time, units]`: each run back at its place. The
 * fused recurrences leave zeros past each length, so the masked steps come out as zeros.
 */
export function runsToPlace(y: tf.Tensor, starts: Int32Array): tf.Tensor {
  return rotateSteps(y, starts.map((s) => -s));
}
