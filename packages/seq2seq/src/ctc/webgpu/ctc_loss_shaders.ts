// WGSL of the CTC loss on webgpu, in f32 log space.
//
// RECURSION: one workgroup per sequence n, its invocations over the extended-label states s (blank,
// l1, blank, ..., blank: W = 2 L + 1 of them, several per invocation when W > the workgroup), the time
// loop inside the shader with a barrier between frames. Alpha (emission at t included) goes into a
// table [N, rows, Wmax] in scratch: every frame when the gradient is wanted, two alternating rows
// otherwise. Each frame is computed relative to the previous frame's maximum (the shifts summed,
// compensated, for log p), so the stored values stay near 0 and keep f32's precision at any length.
// With the gradient, beta (emission at t excluded, also shifted per frame) runs backwards in two
// alternating rows and turns the table into q_t(s) = alpha_t(s) + beta_t(s) up to a per-frame constant.
//
// OCCUPANCY: one thread per (t, n) normalises q_t over the states (sum_s alpha_t(s) beta_t(s) = p for
// every t, so the unknown per-frame constant cancels: no subtraction of two large log-likelihoods) and
// writes minus the occupancy of each class into its own row of the gradient [T, N, C].
//
// -Infinity is a finite floor here (WGSL lets implementations assume no infinities): NEG, and anything
// at or below LIMIT is "no path".

/** Invocations per workgroup of the recursion (states beyond it are looped). */
export const RECURSION_WORKGROUP = 128;
/** Threads per workgroup of the occupancy pass. */
export const OCCUPANCY_WORKGROUP = 64;

/**
 * The uniform block, eight u32 words (rnn-layers' step pipelines bind 32 bytes): N, T, C, Wmax (the
 * table's row stride), blank, zeroInfinity, withGradient, groupsX (workgroups per row of the grid).
 */
export const PARAMS_WORDS = 8;

const COMMON = /* wgsl */ `
const NEG = -1.0e30;
const LIMIT = -1.0e29;

struct Params {
  N: u32, T: u32, C: u32, Wmax: u32,
  blank: u32, zeroInfinity: u32, withGradient: u32, groupsX: u32,
};

@group(0) @binding(0) var<uniform> params: Params;

// seqs: per sequence its input length, target length and where its labels start in targets; then the
// bit patterns of +Infinity and NaN (WGSL cannot spell them as constants).
fn inputLength(n: u32) -> u32 { return u32(seqs[3u * n]); }
fn targetLength(n: u32) -> u32 { return u32(seqs[3u * n + 1u]); }
fn labelOffset(n: u32) -> u32 { return u32(seqs[3u * n + 2u]); }
fn infinity() -> f32 { return bitcast<f32>(seqs[3u * params.N]); }
fn notANumber() -> f32 { return bitcast<f32>(seqs[3u * params.N + 1u]); }

/** The class of state s: the blank at even states, label (s - 1) / 2 at odd ones. */
fn classOf(offset: u32, s: u32) -> u32 {
  if ((s & 1u) == 0u) { return params.blank; }
  return u32(targets[offset + (s >> 1u)]);
}

/** Whether state s may be entered from s - 2: a label that differs from the label before it. */
fn skips(offset: u32, s: u32) -> bool {
  if ((s & 1u) == 0u || s < 3u) { return false; }
  let i = offset + (s >> 1u);
  return targets[i] != targets[i - 1u];
}

// Where the scratch regions start: the table (rows per sequence: every frame or two), two beta rows
// per sequence, log p per sequence.
fn tableRows() -> u32 { return select(2u, params.T, params.withGradient != 0u); }
fn tableBase(n: u32) -> u32 { return n * tableRows() * params.Wmax; }
fn betaBase(n: u32) -> u32 { return params.N * tableRows() * params.Wmax + n * 2u * params.Wmax; }
fn logLikelihoodAt(n: u32) -> u32 { return params.N * (tableRows() + 2u) * params.Wmax + n; }
`;

/** Bindings: params, logProbs, targets, seqs, losses (out), scratch (out). */
export const RECURSION_SHADER = /* wgsl */ `
const WG = ${RECURSION_WORKGROUP}u;

@group(0) @binding(1) var<storage, read> logProbs: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<i32>;
@group(0) @binding(3) var<storage, read> seqs: array<i32>;
@group(0) @binding(4) var<storage, read_write> losses: array<f32>;
@group(0) @binding(5) var<storage, read_write> scratch: array<f32>;
${COMMON}
var<workgroup> partial: array<f32, WG>;

fn logAdd3(a: f32, b: f32, c: f32) -> f32 {
  let m = max(a, max(b, c));
  if (m <= LIMIT) { return NEG; }
  return m + log(exp(a - m) + exp(b - m) + exp(c - m));
}

/** log p of the emission; a -Infinity input becomes the floor. */
fn emission(t: u32, n: u32, c: u32) -> f32 {
  return max(logProbs[(t * params.N + n) * params.C + c], NEG);
}

/**
 * The maximum over the workgroup of each invocation's value, after this frame's writes to scratch are
 * visible to the whole workgroup (the barrier between frames). Called in uniform control flow.
 */
fn frameMax(lid: u32, value: f32) -> f32 {
  storageBarrier();
  partial[lid] = value;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k = k >> 1u) {
    if (lid < k) { partial[lid] = max(partial[lid], partial[lid + k]); }
    workgroupBarrier();
  }
  let m = partial[0];
  workgroupBarrier(); // read by all before the next frame overwrites it
  return m;
}

fn infiniteLoss() -> f32 {
  if (params.zeroInfinity != 0u) { return 0.0; }
  return infinity();
}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>) {
  // Uniform per workgroup (workgroup ids, uniforms, read-only storage): the loops below may hold barriers.
  let n = wg.y * params.groupsX + wg.x;
  if (n >= params.N) { return; }
  let lid = local.x;
  let Tn = inputLength(n);
  let offset = labelOffset(n);
  let W = 2u * targetLength(n) + 1u;
  let table = tableBase(n);
  let stride = params.Wmax;
  let keepRows = params.withGradient != 0u;
  if (Tn == 0u) {
    // No frames: only the empty target fits.
    if (lid == 0u) {
      losses[n] = select(infiniteLoss(), 0.0, W == 1u);
      scratch[logLikelihoodAt(n)] = select(NEG, 0.0, W == 1u);
    }
    return;
  }

  // Alpha at t = 0: the path starts in the first blank or the first label.
  var localMax = NEG;
  for (var s = lid; s < W; s = s + WG) {
    var a = NEG;
    if (s < 2u) { a = emission(0u, n, classOf(offset, s)); }
    scratch[table + s] = a;
    localMax = max(localMax, a);
  }
  var frameShift = frameMax(lid, localMax);
  // The shifts taken out of the stored rows so far (Kahan-compensated: T can be in the thousands).
  var shiftSum = 0.0;
  var shiftError = 0.0;
  var prev = table;
  for (var t = 1u; t < Tn; t = t + 1u) {
    let shift = select(frameShift, 0.0, frameShift <= LIMIT);
    let y = shift - shiftError;
    let sum = shiftSum + y;
    shiftError = (sum - shiftSum) - y;
    shiftSum = sum;
    var row = table + (t & 1u) * stride;
    if (keepRows) { row = table + t * stride; }
    localMax = NEG;
    for (var s = lid; s < W; s = s + WG) {
      var from1 = NEG;
      if (s >= 1u) { from1 = scratch[prev + s - 1u]; }
      var from2 = NEG;
      if (skips(offset, s)) { from2 = scratch[prev + s - 2u]; }
      let paths = logAdd3(scratch[prev + s], from1, from2);
      var a = NEG;
      if (paths > LIMIT) { a = paths - shift + emission(t, n, classOf(offset, s)); }
      scratch[row + s] = a;
      localMax = max(localMax, a);
    }
    frameShift = frameMax(lid, localMax);
    prev = row;
  }
  // The path ends in the last label or the blank after it.
  var end = scratch[prev + W - 1u];
  if (W > 1u) { end = logAdd3(end, scratch[prev + W - 2u], NEG); }
  if (lid == 0u) {
    let fits = end > LIMIT;
    let logLikelihood = shiftSum + (end - shiftError);
    losses[n] = select(infiniteLoss(), 0.0 - logLikelihood, fits); // 0 - x: +0, not -0, for an empty target
    scratch[logLikelihoodAt(n)] = select(NEG, logLikelihood, fits);
  }
  if (!keepRows) { return; }

  // Beta, backwards, into q = alpha + beta in the table. Its rows hold beta + emission, as the
  // recursion reads them.
  let betaRows = betaBase(n);
  var betaShift = 0.0;
  for (var k = 0u; k < Tn; k = k + 1u) {
    let t = Tn - 1u - k;
    let row = table + t * stride;
    let cur = betaRows + (t & 1u) * stride;
    let next = betaRows + ((t + 1u) & 1u) * stride;
    localMax = NEG;
    for (var s = lid; s < W; s = s + WG) {
      var b = NEG;
      if (k == 0u) {
        if (s + 2u >= W) { b = 0.0; }
      } else {
        var to1 = NEG;
        if (s + 1u < W) { to1 = scratch[next + s + 1u]; }
        var to2 = NEG;
        if (s + 2u < W && skips(offset, s + 2u)) { to2 = scratch[next + s + 2u]; }
        let paths = logAdd3(scratch[next + s], to1, to2);
        if (paths > LIMIT) { b = paths - betaShift; }
      }
      scratch[row + s] = scratch[row + s] + b;
      let withEmission = b + emission(t, n, classOf(offset, s));
      scratch[cur + s] = withEmission;
      localMax = max(localMax, withEmission);
    }
    let m = frameMax(lid, localMax);
    betaShift = select(m, 0.0, m <= LIMIT);
  }
}
`;

/** Bindings: params, targets, seqs, scratch, gradient (out). One thread per (t, n). */
export const OCCUPANCY_SHADER = /* wgsl */ `
const WG = ${OCCUPANCY_WORKGROUP}u;

@group(0) @binding(1) var<storage, read> targets: array<i32>;
@group(0) @binding(2) var<storage, read> seqs: array<i32>;
@group(0) @binding(3) var<storage, read> scratch: array<f32>;
@group(0) @binding(4) var<storage, read_write> gradient: array<f32>;
${COMMON}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>) {
  let i = (wg.y * params.groupsX + wg.x) * WG + local.x;
  if (i >= params.T * params.N) { return; }
  let t = i / params.N;
  let n = i % params.N;
  let out = i * params.C; // (t * N + n) * C
  let C = params.C;
  for (var c = 0u; c < C; c = c + 1u) { gradient[out + c] = 0.0; }
  if (t >= inputLength(n)) { return; }
  if (scratch[logLikelihoodAt(n)] <= LIMIT) {
    // No alignment fits: the loss is infinite and its gradient undefined (0 under zeroInfinity).
    var fill = notANumber();
    if (params.zeroInfinity != 0u) { fill = 0.0; }
    for (var c = 0u; c < C; c = c + 1u) { gradient[out + c] = fill; }
    return;
  }
  let offset = labelOffset(n);
  let W = 2u * targetLength(n) + 1u;
  let row = tableBase(n) + t * params.Wmax;
  var m = NEG;
  for (var s = 0u; s < W; s = s + 1u) { m = max(m, scratch[row + s]); }
  var total = 0.0;
  for (var s = 0u; s < W; s = s + 1u) { total = total + exp(scratch[row + s] - m); }
  let logTotal = m + log(total);
  for (var s = 0u; s < W; s = s + 1u) {
    let c = classOf(offset, s);
    gradient[out + c] = gradient[out + c] - exp(scratch[row + s] - logTotal);
  }
}
`;
