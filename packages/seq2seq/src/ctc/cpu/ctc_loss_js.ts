// CTC (Graves et al. 2006) in log space on the host, float64 throughout: the forward variables alpha,
// the per-sequence negative log-likelihood, and its gradient with respect to the log-probabilities from
// alpha and beta (log-adds and exponentials from log_space_math.ts's tables). The batch is the outer
// loop; all scratch is allocated once per call.
import { expNonPositive, logAdd } from './log_space_math.js';

const NEG = -Infinity;

/** One batch as the kernels see it: host copies of the inputs, checked by the op. */
export interface CtcHostBatch {
  /** [T, N, C] row-major. */
  logProbs: Float32Array;
  T: number;
  N: number;
  C: number;
  /** The targets' values; sequence n's labels are labels[labelOffsets[n] ...][0 .. targetLengths[n]). */
  labels: Int32Array;
  labelOffsets: Int32Array;
  inputLengths: ArrayLike<number>;
  targetLengths: ArrayLike<number>;
  blank: number;
  zeroInfinity: boolean;
}

/** Where each sequence's labels start: row n of a padded [N, S] (stride S), or running sums (1-D, stride 0). */
export function labelOffsets(targetLengths: ArrayLike<number>, stride: number): Int32Array {
  const offsets = new Int32Array(targetLengths.length);
  let sum = 0;
  for (let n = 0; n < offsets.length; n++) {
    offsets[n] = stride > 0 ? n * stride : sum;
    sum += targetLengths[n]!;
  }
  return offsets;
}

/** Scratch for one call, sized for the longest sequence and target. */
class Scratch {
  /** Class id of each extended-label state (blank, l1, blank, l2, ..., blank), two spare states. */
  readonly ext: Int32Array;
  /** skip[s] = 1 where state s may be entered from s - 2 (a label that differs from the one before). */
  readonly skip: Uint8Array;
  readonly alpha: Float64Array;
  /** Two rows of beta, each with two spare -Infinity states so s + 1 and s + 2 need no bounds check. */
  readonly beta: Float64Array;
  /** The gradient of one frame, per class. */
  readonly frame: Float64Array;

  constructor(batch: CtcHostBatch, alphaRows: 'two' | 'all') {
    let maxL = 0;
    let maxT = 0;
    for (let n = 0; n < batch.N; n++) {
      maxL = Math.max(maxL, batch.targetLengths[n]!);
      maxT = Math.max(maxT, batch.inputLengths[n]!);
    }
    const width = 2 * maxL + 1;
    this.ext = new Int32Array(width + 2);
    this.skip = new Uint8Array(width + 2);
    this.alpha = new Float64Array((alphaRows === 'all' ? Math.max(maxT, 1) : 2) * width);
    this.beta = alphaRows === 'all' ? new Float64Array(2 * (width + 2)) : new Float64Array(0);
    this.frame = alphaRows === 'all' ? new Float64Array(batch.C) : new Float64Array(0);
  }

  /** Fills ext and skip for sequence n; returns the number of states W = 2 L + 1. */
  prepare(batch: CtcHostBatch, n: number): number {
    const { labels, blank } = batch;
    const L = batch.targetLengths[n]!;
    const offset = batch.labelOffsets[n]!;
    const W = 2 * L + 1;
    const { ext, skip } = this;
    for (let s = 0; s < W; s++) {
      ext[s] = s & 1 ? labels[offset + (s >> 1)]! : blank;
      skip[s] = s & 1 && s > 1 && labels[offset + (s >> 1)] !== labels[offset + (s >> 1) - 1] ? 1 : 0;
    }
    ext[W] = ext[W + 1] = blank;
    skip[W] = skip[W + 1] = 0;
    return W;
  }
}

// States that can lie on a complete path at frame t of Tn: at most 2 t + 1 (two states per frame from
// the start) and at least W - 2 (Tn - t) (two per frame to the end). Work outside this band is skipped;
// its alphas and betas stay -Infinity.
const bandLow = (W: number, Tn: number, t: number): number => Math.max(0, W - 2 * (Tn - t));
const bandHigh = (W: number, t: number): number => Math.min(W - 1, 2 * t + 1);

/**
 * Alpha of sequence n (log space, emission at t included) into scratch.alpha, one row of W per frame
 * (`keepRows`) or two alternating rows; returns the log-likelihood log p(target | logProbs).
 */
function forwardAlpha(
  batch: CtcHostBatch,
  scratch: Scratch,
  n: number,
  W: number,
  keepRows: boolean,
): number {
  const Tn = batch.inputLengths[n]!;
  if (Tn === 0) return W === 1 ? 0 : NEG; // no frames: only the empty target fits
  const { logProbs: lp, N, C } = batch;
  const { alpha, ext, skip } = scratch;
  alpha.fill(NEG, 0, (keepRows ? Tn : 2) * W);
  const stride = N * C;
  let base = n * C;
  for (let s = bandLow(W, Tn, 0); s <= bandHigh(W, 0); s++) alpha[s] = lp[base + ext[s]!]!;
  let prev = 0;
  for (let t = 1; t < Tn; t++) {
    base += stride;
    const cur = (keepRows ? t : t & 1) * W;
    let s = bandLow(W, Tn, t);
    const hi = bandHigh(W, t);
    // The paths into the blank below s (from s - 2 and s - 1): a skip into label s adds only its own
    // stay to them, so every state costs one log-add.
    let blankSum = s & 1 && s > 1 ? logAdd(alpha[prev + s - 1]!, alpha[prev + s - 2]!) : NEG;
    if (s === 0) {
      alpha[cur] = alpha[prev]! + lp[base + ext[0]!]!;
      s = 1;
    }
    for (; s <= hi; s++) {
      const stay = alpha[prev + s]!;
      if (s & 1) {
        const sum = skip[s] ? logAdd(stay, blankSum) : logAdd(stay, alpha[prev + s - 1]!);
        alpha[cur + s] = sum + lp[base + ext[s]!]!;
      } else {
        blankSum = logAdd(stay, alpha[prev + s - 1]!);
        alpha[cur + s] = blankSum + lp[base + ext[s]!]!;
      }
    }
    prev = cur;
  }
  return W === 1 ? alpha[prev]! : logAdd(alpha[prev + W - 1]!, alpha[prev + W - 2]!);
}

/** The negative log-likelihood of every sequence, [N] (0 for an infinite one under zeroInfinity). */
export function ctcNegLogLikelihood(batch: CtcHostBatch): Float32Array {
  const out = new Float32Array(batch.N);
  const scratch = new Scratch(batch, 'two');
  for (let n = 0; n < batch.N; n++) {
    const W = scratch.prepare(batch, n);
    const logP = forwardAlpha(batch, scratch, n, W, false);
    out[n] = logP === NEG && batch.zeroInfinity ? 0 : 0 - logP; // 0 - logP: +0, not -0, for an empty target
  }
  return out;
}

/**
 * Writes minus the posterior occupancy of each class at each frame of sequence n into `out`
 * [T, N, C] (frames past its input length are left as they are): the sum over the states s of class c
 * of exp(alpha_t(s) + beta_t(s) - logP), beta_t(s) being the log-probability of the frames after t from
 * state s (emission at t excluded). scratch.alpha holds sequence n's alpha, one row per frame.
 */
function addSequenceGradient(
  batch: CtcHostBatch,
  scratch: Scratch,
  n: number,
  W: number,
  logP: number,
  out: Float32Array,
): void {
  const { logProbs: lp, N, C } = batch;
  const { alpha, beta, ext, skip, frame } = scratch;
  const Tn = batch.inputLengths[n]!;
  const stride = N * C;
  if (logP === NEG) {
    // No alignment fits: the loss is infinite and its gradient undefined (0 under zeroInfinity).
    if (!batch.zeroInfinity)
      for (let t = 0, base = n * C; t < Tn; t++, base += stride) out.fill(NaN, base, base + C);
    return;
  }
  const Wp = W + 2;
  beta.fill(NEG, 0, 2 * Wp);
  let next = 0; // the row of frame t + 1: beta + emission, as the recursion reads it
  for (let t = Tn - 1, base = t * stride + n * C; t >= 0; t--, base -= stride) {
    const cur = (t & 1) * Wp;
    const lo = bandLow(W, Tn, t);
    const hi = bandHigh(W, t);
    const row = t * W;
    if (t === Tn - 1) {
      // The last frame: the path ends in the last label or the blank after it.
      for (let s = lo; s <= hi; s++) {
        const c = ext[s]!;
        const b = s >= W - 2 ? 0 : NEG;
        frame[c] = frame[c]! + expNonPositive(alpha[row + s]! + b - logP);
        beta[cur + s] = b + lp[base + c]!;
      }
    } else {
      // The paths out of the blank above s (into s + 1 and s + 2): a skip from label s adds only its
      // own stay to them (as in forwardAlpha, one log-add per state). States go downwards.
      let blankSum = hi & 1 ? logAdd(beta[next + hi + 1]!, beta[next + hi + 2]!) : NEG;
      for (let s = hi; s >= lo; s--) {
        const stay = beta[next + s]!;
        let b: number;
        if (s & 1) b = skip[s + 2] ? logAdd(stay, blankSum) : logAdd(stay, beta[next + s + 1]!);
        else b = blankSum = logAdd(stay, beta[next + s + 1]!);
        const c = ext[s]!;
        frame[c] = frame[c]! + expNonPositive(alpha[row + s]! + b - logP);
        beta[cur + s] = b + lp[base + c]!;
      }
    }
    for (let c = 0; c < C; c++) {
      out[base + c] = -frame[c]!;
      frame[c] = 0;
    }
    next = cur;
  }
}

/**
 * The losses and, in the same pass over alpha, the gradient of each sequence's own loss, d nll[n] / d
 * logProbs [T, N, C]: minus the posterior occupancy of class c at frame t. This is the true gradient
 * with respect to the log-probabilities; PyTorch's ctc_loss backward returns exp(logProbs) - occupancy
 * instead, the gradient with respect to the logits of a log_softmax, which autodiff through
 * tf.logSoftmax reproduces from this one. An infinite loss gets NaN (0 under zeroInfinity); frames past
 * a sequence's input length get 0.
 */
export function ctcLossAndGradient(batch: CtcHostBatch): { nll: Float32Array; gradient: Float32Array } {
  const nll = new Float32Array(batch.N);
  const gradient = new Float32Array(batch.T * batch.N * batch.C);
  const scratch = new Scratch(batch, 'all');
  for (let n = 0; n < batch.N; n++) {
    const W = scratch.prepare(batch, n);
    const logP = forwardAlpha(batch, scratch, n, W, true);
    nll[n] = logP === NEG && batch.zeroInfinity ? 0 : 0 - logP;
    if (batch.inputLengths[n] !== 0) addSequenceGradient(batch, scratch, n, W, logP, gradient);
  }
  return { nll, gradient };
}
