// WGSL for the fused recurrences: one dispatch per time step. Workgroups cover 16 hidden units x 16
// batch rows; each thread owns one (batch, unit) pair, accumulates its gates through shared-memory
// tiles of the recurrent matmul, and applies the cell update in registers. Layouts follow the JS
// kernels: time-major rows (position * batch + b), gates in PyTorch order (LSTM i,f,g,o; GRU r,z,n).

export type WebGpuCell = 'lstm' | 'gru' | 'rnn_tanh' | 'rnn_relu';

const COMMON = /* wgsl */ `
struct Step { step: i32, batch: u32, hidden: u32, time: u32, reverse: u32, p0: u32, p1: u32, p2: u32 };
@group(0) @binding(0) var<uniform> params: Step;

fn sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
// exp(-2|x|) never overflows, unlike a naive (e^2x - 1) / (e^2x + 1).
fn stableTanh(x: f32) -> f32 { let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
// Position in the sequence that step s of a sequence of length len reads: reversed within its length.
fn position(s: u32, len: u32) -> u32 { return select(s, len - 1u - s, params.reverse == 1u); }
`;

/** Storage bindings 1, 2, ... (0 is the uniform block): `name: type`, read-write when marked `*name`. */
function storageDecls(bindings: string[]): string {
  return bindings
    .map(
      (d, i) =>
        `@group(0) @binding(${i + 1}) var<storage, ${d.startsWith('*') ? 'read_write' : 'read'}> ${d.replace('*', '')};`,
    )
    .join('\n');
}

const gateCount = (cell: WebGpuCell): number => (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1);

// Tile depths along the reduction: each iteration costs two workgroup barriers and a round of
// global loads, which dominate at these sizes (measured on an H100), so the tiles are deep.
const FORWARD_K = 32;
const BACKWARD_K = 64;

/**
 * acc[g] = sum_k h_{s-1}[b, k] * W[g*H + j, k] for this thread's (b, j), read from `state` at offset
 * `read`. wTile is stored k-major, so the inner loop reads consecutive units; its rows are padded by
 * one so the transposing stores do not all hit one bank.
 */
function forwardMatmul(gates: number): string {
  const loads = Array.from(
    { length: gates },
    (_, g) => `
      { var wv = 0.0; if (unit < H && k < H) { wv = w[(${g}u * H + unit) * H + k]; } wTile[kk0 + lid.x][${g * 16}u + lid.y] = wv; }`,
  ).join('');
  // One accumulator chain per gate; a single-gate cell (RNN) splits its sum over four chains instead,
  // so the dependent adds do not serialise the loop.
  const lanes =
    gates === 1
      ? 'acc = acc + vec4<f32>(hTile[lid.y][kk], hTile[lid.y][kk + 1u], hTile[lid.y][kk + 2u], hTile[lid.y][kk + 3u]) * vec4<f32>(wTile[kk][lid.x], wTile[kk + 1u][lid.x], wTile[kk + 2u][lid.x], wTile[kk + 3u][lid.x]);'
      : `let h = hTile[lid.y][kk]; ${['x', 'y', 'z', 'w']
          .slice(0, gates)
          .map((c, g) => `acc.${c} = acc.${c} + h * wTile[kk][${g * 16}u + lid.x];`)
          .join(' ')}`;
  const step = gates === 1 ? 4 : 1;
  return /* wgsl */ `
  var acc = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < H; k0 = k0 + ${FORWARD_K}u) {
    for (var kk0 = 0u; kk0 < ${FORWARD_K}u; kk0 = kk0 + 16u) {
      let k = k0 + kk0 + lid.x;
      var hv = 0.0;
      if (b < B && k < H) { hv = state[read + b * H + k]; }
      hTile[lid.y][kk0 + lid.x] = hv;
      let unit = wg.x * 16u + lid.y;${loads}
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${FORWARD_K}u; kk = kk + ${step}u) { ${lanes} }
    workgroupBarrier();
  }${gates === 1 ? '\n  acc.x = acc.x + acc.y + acc.z + acc.w;' : ''}`;
}

/** Workgroup tiles of the forward matmul. */
function forwardTiles(gates: number): string {
  return /* wgsl */ `var<workgroup> hTile: array<array<f32, ${FORWARD_K}>, 16>;               // [batch][k]
var<workgroup> wTile: array<array<f32, ${16 * gates + 1}>, ${FORWARD_K}>;  // [k][gate * 16 + unit], padded`;
}

/** dh[b, j] = sum_n dG_{s+1}[b, n] * W[n, j] over n < gates*H, dG read from `work` at offset `next`. */
const BACKWARD_MATMUL = /* wgsl */ `
  // Four independent partial sums: one chain of 4H dependent adds would serialise the loop.
  var partial = vec4<f32>(0.0);
  if (s < T - 1) {
    for (var n0 = 0u; n0 < G; n0 = n0 + ${BACKWARD_K}u) {
      for (var q = 0u; q < ${BACKWARD_K}u; q = q + 16u) {
        let n = n0 + q + lid.x;
        var gv = 0.0;
        if (b < B && n < G) { gv = work[next + b * G + n]; }
        gTile[lid.y][q + lid.x] = gv;
        let wn = n0 + q + lid.y;
        var wv = 0.0;
        if (wn < G && j < H) { wv = w[wn * H + j]; }
        wTile[q + lid.y][lid.x] = wv;
      }
      workgroupBarrier();
      for (var kk = 0u; kk < ${BACKWARD_K}u; kk = kk + 4u) {
        partial = partial + vec4<f32>(gTile[lid.y][kk], gTile[lid.y][kk + 1u], gTile[lid.y][kk + 2u], gTile[lid.y][kk + 3u])
          * vec4<f32>(wTile[kk][lid.x], wTile[kk + 1u][lid.x], wTile[kk + 2u][lid.x], wTile[kk + 3u][lid.x]);
      }
      workgroupBarrier();
    }
  }
  let acc = partial.x + partial.y + partial.z + partial.w;`;

const FORWARD_PROLOGUE = /* wgsl */ `
@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let B = params.batch;
  let H = params.hidden;
  let s = u32(params.step);
  let j = wg.x * 16u + lid.x;
  let b = wg.y * 16u + lid.y;
  // Ping-pong state: step s reads parity s & 1 and writes the other, so no workgroup reads what
  // another is writing within the dispatch.
  let read = (s & 1u) * B * H;
  let write = ((s + 1u) & 1u) * B * H;
  let TBH = params.time * B * H;`;

const BACKWARD_PROLOGUE = /* wgsl */ `
var<workgroup> gTile: array<array<f32, ${BACKWARD_K}>, 16>;  // [batch][n]
var<workgroup> wTile: array<array<f32, 16>, ${BACKWARD_K}>;  // [n][unit]

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let B = params.batch;
  let H = params.hidden;
  let s = params.step;
  let j = wg.x * 16u + lid.x;
  let b = wg.y * 16u + lid.y;
  let T = i32(params.time);
  let TBH = params.time * B * H;`;

/**
 * The forward step shader. Bindings after the uniform block:
 * - lstm: xp, w, lengths, y, gates [T*B, 4H] (activated i,f,g,o), cells [c_{t-1} | h_{t-1}], state [h pp | c pp]
 * - gru:  xp, w, biasHh, lengths, y, work [r,z,n,hn rows (T*B*4H) | h_{t-1} (T*B*H)], state [h pp]
 * - rnn:  xp, w, lengths, y, state [h pp]
 * Padded steps (s >= length) carry the state and zero every output at position s.
 */
export function forwardShader(cell: WebGpuCell): string {
  const gates = gateCount(cell);
  const bindings =
    cell === 'lstm'
      ? [
          'xp: array<f32>',
          'w: array<f32>',
          'lengths: array<i32>',
          '*y: array<f32>',
          '*gates: array<f32>',
          '*cells: array<f32>',
          '*state: array<f32>',
        ]
      : cell === 'gru'
        ? [
            'xp: array<f32>',
            'w: array<f32>',
            'biasHh: array<f32>',
            'lengths: array<i32>',
            '*y: array<f32>',
            '*ws: array<f32>',
            '*state: array<f32>',
          ]
        : ['xp: array<f32>', 'w: array<f32>', 'lengths: array<i32>', '*y: array<f32>', '*state: array<f32>'];
  const decls = storageDecls(bindings);
  const epilogue =
    cell === 'lstm'
      ? /* wgsl */ `
  let cOffset = 2u * B * H;
  let hPrev = state[read + idx];
  let cPrev = state[cOffset + read + idx];
  if (s >= len) {
    state[write + idx] = hPrev;
    state[cOffset + write + idx] = cPrev;
    let row = s * B + b;
    y[row * H + j] = 0.0;
    cells[row * H + j] = 0.0;
    cells[TBH + row * H + j] = 0.0;
    for (var g = 0u; g < 4u; g = g + 1u) { gates[row * 4u * H + g * H + j] = 0.0; }
    return;
  }
  let row = position(s, len) * B + b;
  let x = row * 4u * H;
  let i = sigmoid(xp[x + j] + acc.x);
  let f = sigmoid(xp[x + H + j] + acc.y);
  let g = stableTanh(xp[x + 2u * H + j] + acc.z);
  let o = sigmoid(xp[x + 3u * H + j] + acc.w);
  let c = f * cPrev + i * g;
  let h = o * stableTanh(c);
  state[write + idx] = h;
  state[cOffset + write + idx] = c;
  y[row * H + j] = h;
  gates[x + j] = i;
  gates[x + H + j] = f;
  gates[x + 2u * H + j] = g;
  gates[x + 3u * H + j] = o;
  cells[row * H + j] = cPrev;
  cells[TBH + row * H + j] = hPrev;`
      : cell === 'gru'
        ? /* wgsl */ `
  let hPrev = state[read + idx];
  let W4 = 4u * TBH;
  if (s >= len) {
    state[write + idx] = hPrev;
    let row = s * B + b;
    y[row * H + j] = 0.0;
    ws[W4 + row * H + j] = 0.0;
    for (var g = 0u; g < 4u; g = g + 1u) { ws[row * 4u * H + g * H + j] = 0.0; }
    return;
  }
  let row = position(s, len) * B + b;
  let x = row * 3u * H;
  let r = sigmoid(xp[x + j] + acc.x + biasHh[j]);
  let z = sigmoid(xp[x + H + j] + acc.y + biasHh[H + j]);
  let hn = acc.z + biasHh[2u * H + j];
  let n = stableTanh(xp[x + 2u * H + j] + r * hn);
  let h = (1.0 - z) * n + z * hPrev;
  state[write + idx] = h;
  y[row * H + j] = h;
  let o = row * 4u * H;
  ws[o + j] = r;
  ws[o + H + j] = z;
  ws[o + 2u * H + j] = n;
  ws[o + 3u * H + j] = hn;
  ws[W4 + row * H + j] = hPrev;`
        : /* wgsl */ `
  if (s >= len) {
    state[write + idx] = state[read + idx];
    y[(s * B + b) * H + j] = 0.0;
    return;
  }
  let row = position(s, len) * B + b;
  let pre = xp[row * H + j] + acc.x;
  let h = ${cell === 'rnn_relu' ? 'max(pre, 0.0)' : 'stableTanh(pre)'};
  state[write + idx] = h;
  y[row * H + j] = h;`;
  return /* wgsl */ `${COMMON}
${decls}
${forwardTiles(gates)}
${FORWARD_PROLOGUE}
${forwardMatmul(gates)}
  if (b >= B || j >= H) { return; }
  // Lengths from the device are unchecked: clamp them to [0, T].
  let len = u32(clamp(lengths[b], 0, i32(params.time)));
  let idx = b * H + j;
${epilogue}
}
`;
}

/**
 * The backward step shader, for s = T-1 down to -1. Each thread first finishes dL/dh_s for its
 * (batch, unit): the recurrent matmul of the previous dispatch's pre-activation gradients
 * dG_{s+1} [B, gates*H] with W (or dhN at the last step, or the value carried across padded steps),
 * plus dy at this position; then it turns that into dG_s. Step -1 only finishes dL/dh0.
 * work = [dG ping-pong (2*B*G) | dh carry (B*H) | dc carry (B*H, LSTM)]; dh starts as dhN, dc as dcN.
 * Bindings after the uniform block:
 * - lstm: dy, w, lengths, gates, cells, dGates (out), work
 * - gru:  dy, w, lengths, ws, dXp (out), dHp (out), work
 * - rnn:  dy, w, lengths, y, h0, dPre (out), hPrev (out), work
 */
export function backwardShader(cell: WebGpuCell): string {
  const gates = gateCount(cell);
  const bindings =
    cell === 'lstm'
      ? [
          'dy: array<f32>',
          'w: array<f32>',
          'lengths: array<i32>',
          'gates: array<f32>',
          'cells: array<f32>',
          '*dGates: array<f32>',
          '*work: array<f32>',
        ]
      : cell === 'gru'
        ? [
            'dy: array<f32>',
            'w: array<f32>',
            'lengths: array<i32>',
            'ws: array<f32>',
            '*dXp: array<f32>',
            '*dHp: array<f32>',
            '*work: array<f32>',
          ]
        : [
            'dy: array<f32>',
            'w: array<f32>',
            'lengths: array<i32>',
            'y: array<f32>',
            'h0: array<f32>',
            '*dPre: array<f32>',
            '*hPrev: array<f32>',
            '*work: array<f32>',
          ];
  const decls = storageDecls(bindings);
  // Per cell: zero this step's outputs at position s (padded), then the gradient of a real step.
  const padded =
    cell === 'lstm'
      ? `for (var g = 0u; g < 4u; g = g + 1u) { dGates[(su * B + b) * G + g * H + j] = 0.0; }`
      : cell === 'gru'
        ? `for (var g = 0u; g < 3u; g = g + 1u) { dXp[(su * B + b) * G + g * H + j] = 0.0; dHp[(su * B + b) * G + g * H + j] = 0.0; }`
        : `dPre[(su * B + b) * H + j] = 0.0; hPrev[(su * B + b) * H + j] = 0.0;`;
  const step =
    cell === 'lstm'
      ? /* wgsl */ `
  let x = row * G;
  let i = gates[x + j];
  let f = gates[x + H + j];
  let g = gates[x + 2u * H + j];
  let o = gates[x + 3u * H + j];
  let cPrev = cells[row * H + j];
  let tc = stableTanh(f * cPrev + i * g);
  let dc = work[dcCarry + idx] + dh * o * (1.0 - tc * tc);
  var d = array<f32, 4>(dc * g * i * (1.0 - i), dc * cPrev * f * (1.0 - f), dc * i * (1.0 - g * g), dh * tc * o * (1.0 - o));
  work[dcCarry + idx] = dc * f;
  for (var q = 0u; q < 4u; q = q + 1u) { work[mine + b * G + q * H + j] = d[q]; dGates[x + q * H + j] = d[q]; }`
      : cell === 'gru'
        ? /* wgsl */ `
  let o = row * 4u * H;
  let r = ws[o + j];
  let z = ws[o + H + j];
  let n = ws[o + 2u * H + j];
  let hn = ws[o + 3u * H + j];
  let hp = ws[4u * TBH + row * H + j];
  let dn = dh * (1.0 - z) * (1.0 - n * n);
  let dr = dn * hn * r * (1.0 - r);
  let dz = dh * (hp - n) * z * (1.0 - z);
  let x = row * G;
  dXp[x + j] = dr;
  dXp[x + H + j] = dz;
  dXp[x + 2u * H + j] = dn;
  dHp[x + j] = dr;
  dHp[x + H + j] = dz;
  dHp[x + 2u * H + j] = dn * r;
  let m = mine + b * G;
  work[m + j] = dr;
  work[m + H + j] = dz;
  work[m + 2u * H + j] = dn * r;
  // The direct path h_{s-1} -> h_s (weight z) joins the recurrent matmul at step s - 1.
  directH = dh * z;`
        : /* wgsl */ `
  let h = y[row * H + j];
  let dp = dh * ${cell === 'rnn_relu' ? 'select(0.0, 1.0, h > 0.0)' : '(1.0 - h * h)'};
  dPre[row * H + j] = dp;
  work[mine + b * H + j] = dp;
  var hp = h0[idx];
  if (su > 0u) { hp = y[(position(su - 1u, u32(len)) * B + b) * H + j]; }
  hPrev[row * H + j] = hp;`;
  const gru = cell === 'gru';
  return /* wgsl */ `${COMMON}
${decls}
${BACKWARD_PROLOGUE}
  let G = ${gates}u * H;
  let next = u32((s + 3) & 1) * B * G;  // parity of step s + 1
  let mine = u32((s + 2) & 1) * B * G;  // parity of step s
  let dhCarry = 2u * B * G;
  let dcCarry = dhCarry + B * H;
${BACKWARD_MATMUL}
  if (b >= B || j >= H) { return; }
  let len = clamp(lengths[b], 0, T); // lengths from the device are unchecked
  let idx = b * H + j;
  // dL/dh_s from the future: through step s+1's gates if it ran, else carried across padding.${
    gru
      ? `
  // For the GRU the carry also holds step s+1's direct path dh_{s+1} * z_{s+1}.`
      : ''
  }
  var dh = work[dhCarry + idx];
  if (s < T - 1 && s + 1 < len) { dh = acc${gru ? ' + work[dcCarry + idx]' : ''}; }
  if (s < 0) { work[dhCarry + idx] = dh; return; }
  let su = u32(s);
  if (s >= len) {
    work[dhCarry + idx] = dh;
    for (var q = 0u; q < ${gates}u; q = q + 1u) { work[mine + b * G + q * H + j] = 0.0; }
    ${padded}
    return;
  }
  let row = position(su, u32(len)) * B + b;
  dh = dh + dy[row * H + j];
  work[dhCarry + idx] = dh;${
    gru
      ? `
  var directH = 0.0;`
      : ''
  }
${step}${
    gru
      ? `
  work[dcCarry + idx] = directH;`
      : ''
  }
}
`;
}
