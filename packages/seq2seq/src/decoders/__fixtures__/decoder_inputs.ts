// Inputs for the decoder tests: seeded random log-softmax frames, frames from hand-written probabilities,
// and an exhaustive CTC labelling distribution to check the beam search against.
import { SeededRandom } from '@rnnkit/tensor-core';

/** Log-softmax of seeded normal logits (times `scale`), [T, N, C] row-major; computed in float64, stored as float32. */
export function randomLogProbs(seed: number, T: number, N: number, C: number, scale = 2): Float32Array {
  const random = new SeededRandom(seed);
  const out = new Float32Array(T * N * C);
  for (let row = 0; row < T * N; row++) {
    const logits = Array.from({ length: C }, () => scale * random.nextNormal());
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
    logits.forEach((v, c) => (out[row * C + c] = v - lse));
  }
  return out;
}

/** Frames [T, C] (one utterance) from rows of unnormalised probabilities: each row is normalised, then logged. */
export function logRows(rows: number[][]): Float32Array {
  const C = rows[0]!.length;
  const out = new Float32Array(rows.length * C);
  rows.forEach((row, t) => {
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((p, c) => (out[t * C + c] = Math.log(p / sum)));
  });
  return out;
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/**
 * ln P(labelling) for every labelling of utterance n, by enumerating all C^length alignments and
 * collapsing each (merge repeats, drop blanks). Keys are the labels joined by ','.
 */
export function labellingLogProbs(
  data: Float32Array,
  shape: [number, number, number],
  n: number,
  length: number,
  blank: number,
): Map<string, number> {
  const [, N, C] = shape;
  const out = new Map<string, number>();
  const path = new Array<number>(length).fill(0);
  for (let index = 0; index < C ** length; index++) {
    let rest = index;
    let logProb = 0;
    for (let t = 0; t < length; t++) {
      path[t] = rest % C;
      rest = Math.floor(rest / C);
      logProb += data[(t * N + n) * C + path[t]!]!;
    }
    const labels: number[] = [];
    path.forEach((c, t) => {
      if (c !== blank && (t === 0 || c !== path[t - 1])) labels.push(c);
    });
    const key = labels.join(',');
    out.set(key, logAdd(out.get(key) ?? -Infinity, logProb));
  }
  return out;
}
