// The cells' math on one row of one step, in JS: all of it for the plain-JS kernels (cpu/), the
// part the SIMD rows leave for the wasm kernels (wasm/: hidden units from n4 = hidden & ~3, or all
// without SIMD). A row's buffers are arrays with the index of their row 0: the JS kernels' own arrays
// at 0, the wasm heap at each tensor's offset. Rows are numbered as recurrence_steps.ts numbers them:
// b (per batch row: states, a step's product), row (per step row), previous (-1: the initial state).

/** An array and the index where its row 0 starts. */
export interface RowBuffer {
  data: Float32Array;
  at: number;
}

export type RowBuffers<K extends string> = Record<K, RowBuffer>;

/** Each array from its start (the JS kernels' own arrays). */
export function ownRows<K extends string>(arrays: Record<K, Float32Array>): RowBuffers<K> {
  const out = {} as RowBuffers<K>;
  for (const k of Object.keys(arrays) as K[]) out[k] = { data: arrays[k], at: 0 };
  return out;
}

/** Buffers on one heap at the given indices (a wasm kernel's; rebuild after the heap may have grown). */
export function heapRows<K extends string>(
  heap: Float32Array,
  at: Record<K, number | { at: number }>,
): RowBuffers<K> {
  const out = {} as RowBuffers<K>;
  for (const k of Object.keys(at) as K[]) {
    const v = at[k];
    out[k] = { data: heap, at: typeof v === 'number' ? v : v.at };
  }
  return out;
}

/** Row r of a buffer whose rows are `width` floats: its array and the row's first index. */
function rowOf(buffer: RowBuffer, r: number, width: number): RowBuffer {
  return { data: buffer.data, at: buffer.at + r * width };
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * LSTM (gates i, f, g, o in blocks H apart): xp [step, 4H] + rec [batch, 4H] -> c, h [batch, H]
 * updated; cells, y [step, H] and the activated gates [step, 4H] written.
 */
export type LstmRowBuffers = RowBuffers<'xp' | 'rec' | 'c' | 'h' | 'cells' | 'y' | 'gates'>;

export function lstmRow(o: LstmRowBuffers, H: number, b: number, row: number, from: number): void {
  const G = 4 * H;
  const { data: xp, at: xo } = rowOf(o.xp, row, G);
  const { data: rec, at: ro } = rowOf(o.rec, b, G);
  const { data: c, at: co } = rowOf(o.c, b, H);
  const { data: h, at: ho } = rowOf(o.h, b, H);
  const { data: cells, at: cello } = rowOf(o.cells, row, H);
  const { data: y, at: yo } = rowOf(o.y, row, H);
  const { data: gates, at: go } = rowOf(o.gates, row, G);
  for (let j = from; j < H; j++) {
    const i = sigmoid(xp[xo + j]! + rec[ro + j]!);
    const f = sigmoid(xp[xo + H + j]! + rec[ro + H + j]!);
    const g = Math.tanh(xp[xo + 2 * H + j]! + rec[ro + 2 * H + j]!);
    const og = sigmoid(xp[xo + 3 * H + j]! + rec[ro + 3 * H + j]!);
    const cn = f * c[co + j]! + i * g;
    const hn = og * Math.tanh(cn);
    c[co + j] = cn;
    h[ho + j] = hn;
    cells[cello + j] = cn;
    y[yo + j] = hn;
    gates[go + j] = i;
    gates[go + H + j] = f;
    gates[go + 2 * H + j] = g;
    gates[go + 3 * H + j] = og;
  }
}

/**
 * LSTM BPTT: from the states the step read (h0, c0 [batch, H] at the first step, else the previous
 * rows of y, cells [step, H]), its gates [step, 4H] and the carried dh, dc [batch, H] plus dy [step, H]:
 * hPrev [step, H] and dGates [step, 4H] written, the step's dg [batch, 4H] set and dc carried on.
 */
export type LstmGradRowBuffers = RowBuffers<
  'h0' | 'c0' | 'y' | 'cells' | 'gates' | 'hPrev' | 'dh' | 'dy' | 'dc' | 'dGates' | 'dg'
>;

export function lstmGradRow(
  o: LstmGradRowBuffers,
  H: number,
  b: number,
  row: number,
  previous: number,
  from: number,
): void {
  const G = 4 * H;
  // The states this step read: h0, c0 at the first step, else the previous rows of y, cells.
  const { data: hp, at: hpo } = previous < 0 ? rowOf(o.h0, b, H) : rowOf(o.y, previous, H);
  const { data: cp, at: cpo } = previous < 0 ? rowOf(o.c0, b, H) : rowOf(o.cells, previous, H);
  const { data: hPrev, at: yo } = rowOf(o.hPrev, row, H);
  const { data: gates, at: go } = rowOf(o.gates, row, G);
  const { data: cells, at: cello } = rowOf(o.cells, row, H);
  const { data: dh, at: dho } = rowOf(o.dh, b, H);
  const { data: dy, at: dyo } = rowOf(o.dy, row, H);
  const { data: dc, at: dco } = rowOf(o.dc, b, H);
  const { data: dGates, at: dgo } = rowOf(o.dGates, row, G);
  const { data: dg, at: sg } = rowOf(o.dg, b, G);
  for (let j = from; j < H; j++) {
    hPrev[yo + j] = hp[hpo + j]!;
    const i = gates[go + j]!;
    const f = gates[go + H + j]!;
    const g = gates[go + 2 * H + j]!;
    const og = gates[go + 3 * H + j]!;
    const tc = Math.tanh(cells[cello + j]!);
    const dht = dh[dho + j]! + dy[dyo + j]!;
    const dct = dc[dco + j]! + dht * og * (1 - tc * tc);
    const di = dct * g * i * (1 - i);
    const df = dct * cp[cpo + j]! * f * (1 - f);
    const dgg = dct * i * (1 - g * g);
    const dO = dht * tc * og * (1 - og);
    dGates[dgo + j] = dg[sg + j] = di;
    dGates[dgo + H + j] = dg[sg + H + j] = df;
    dGates[dgo + 2 * H + j] = dg[sg + 2 * H + j] = dgg;
    dGates[dgo + 3 * H + j] = dg[sg + 3 * H + j] = dO;
    dc[dco + j] = dct * f;
  }
}

/**
 * GRU (gates r, z, n): xp [step, 3H] + rec [batch, 3H] + bias [3H] (b_hh where rec lacks it, as
 * XNNPACK's product does; zeros where rec has it: adding +0 leaves every value as it is, since rec is
 * never -0) -> h [batch, H] updated; y [step, H] and the workspace [step, 4H] = [r, z, n, W_hn h + b_hn].
 */
export type GruRowBuffers = RowBuffers<'xp' | 'rec' | 'bias' | 'h' | 'y' | 'workspace'>;

export function gruRow(o: GruRowBuffers, H: number, b: number, row: number, from: number): void {
  const G = 3 * H;
  const { data: xp, at: xo } = rowOf(o.xp, row, G);
  const { data: rec, at: ro } = rowOf(o.rec, b, G);
  const { data: bias, at: bo } = o.bias;
  const { data: h, at: ho } = rowOf(o.h, b, H);
  const { data: y, at: yo } = rowOf(o.y, row, H);
  const { data: ws, at: wo } = rowOf(o.workspace, row, 4 * H);
  for (let j = from; j < H; j++) {
    const r = sigmoid(xp[xo + j]! + rec[ro + j]! + bias[bo + j]!);
    const z = sigmoid(xp[xo + H + j]! + rec[ro + H + j]! + bias[bo + H + j]!);
    const hn = rec[ro + 2 * H + j]! + bias[bo + 2 * H + j]!;
    const nn = Math.tanh(xp[xo + 2 * H + j]! + r * hn);
    const hNew = (1 - z) * nn + z * h[ho + j]!;
    h[ho + j] = hNew;
    y[yo + j] = hNew;
    ws[wo + j] = r;
    ws[wo + H + j] = z;
    ws[wo + 2 * H + j] = nn;
    ws[wo + 3 * H + j] = hn;
  }
}

/**
 * GRU BPTT: from the state the step read (h0 [batch, H] at the first step, else y's previous row),
 * the workspace [step, 4H] and the carried dh [batch, H] plus dy [step, H]: hPrev [step, H], dXp and
 * dHp [step, 3H] written, the step's dg [batch, 3H] set and dh carried on (its direct path, dh z).
 */
export type GruGradRowBuffers = RowBuffers<
  'h0' | 'y' | 'workspace' | 'hPrev' | 'dh' | 'dy' | 'dXp' | 'dHp' | 'dg'
>;

export function gruGradRow(
  o: GruGradRowBuffers,
  H: number,
  b: number,
  row: number,
  previous: number,
  from: number,
): void {
  const G = 3 * H;
  // The state this step read: h0 at the first step, else y's previous row.
  const { data: hpState, at: hpo } = previous < 0 ? rowOf(o.h0, b, H) : rowOf(o.y, previous, H);
  const { data: hPrev, at: yo } = rowOf(o.hPrev, row, H);
  const { data: ws, at: wo } = rowOf(o.workspace, row, 4 * H);
  const { data: dh, at: dho } = rowOf(o.dh, b, H);
  const { data: dy, at: dyo } = rowOf(o.dy, row, H);
  const { data: dXp, at: xo } = rowOf(o.dXp, row, G);
  const { data: dHp, at: po } = rowOf(o.dHp, row, G);
  const { data: dg, at: sg } = rowOf(o.dg, b, G);
  for (let j = from; j < H; j++) {
    const hp = hpState[hpo + j]!;
    hPrev[yo + j] = hp;
    const r = ws[wo + j]!;
    const z = ws[wo + H + j]!;
    const nn = ws[wo + 2 * H + j]!;
    const hn = ws[wo + 3 * H + j]!;
    const dht = dh[dho + j]! + dy[dyo + j]!;
    const dnPre = dht * (1 - z) * (1 - nn * nn);
    const dzPre = dht * (hp - nn) * z * (1 - z);
    const drPre = dnPre * hn * r * (1 - r);
    dXp[xo + j] = dHp[po + j] = dg[sg + j] = drPre;
    dXp[xo + H + j] = dHp[po + H + j] = dg[sg + H + j] = dzPre;
    dXp[xo + 2 * H + j] = dnPre;
    dHp[po + 2 * H + j] = dg[sg + 2 * H + j] = dnPre * r;
    dh[dho + j] = dht * z; // the direct path h_{t-1} -> z * h_{t-1}
  }
}

/** Elman RNN: h = act(xp [step, H] + rec [batch, H]) into the state h [batch, H] and y [step, H]. */
export type RnnRowBuffers = RowBuffers<'xp' | 'rec' | 'h' | 'y'>;

export function rnnRow(
  o: RnnRowBuffers,
  relu: boolean,
  H: number,
  b: number,
  row: number,
  from: number,
): void {
  const { data: xp, at: xo } = rowOf(o.xp, row, H);
  const { data: rec, at: ro } = rowOf(o.rec, b, H);
  const { data: h, at: ho } = rowOf(o.h, b, H);
  const { data: y, at: yo } = rowOf(o.y, row, H);
  for (let j = from; j < H; j++) {
    const pre = xp[xo + j]! + rec[ro + j]!;
    const hNew = relu ? (pre > 0 ? pre : 0) : Math.tanh(pre);
    h[ho + j] = hNew;
    y[yo + j] = hNew;
  }
}

/**
 * Elman RNN BPTT: hPrev [step, H] (h0 [batch, H] at the first step, else y's previous row) and the
 * pre-activation gradient (dh + dy) act'(y) into dPre [step, H] and the step's ds [batch, H].
 */
export type RnnGradRowBuffers = RowBuffers<'h0' | 'y' | 'hPrev' | 'dh' | 'dy' | 'dPre' | 'ds'>;

export function rnnGradRow(
  o: RnnGradRowBuffers,
  relu: boolean,
  H: number,
  b: number,
  row: number,
  previous: number,
  from: number,
): void {
  // The state this step read: h0 at the first step, else y's previous row.
  const { data: hp, at: hpo } = previous < 0 ? rowOf(o.h0, b, H) : rowOf(o.y, previous, H);
  const { data: y, at: yo } = rowOf(o.y, row, H);
  const { data: hPrev, at: po } = rowOf(o.hPrev, row, H);
  const { data: dh, at: dho } = rowOf(o.dh, b, H);
  const { data: dy, at: dyo } = rowOf(o.dy, row, H);
  const { data: dPre, at: dpo } = rowOf(o.dPre, row, H);
  const { data: ds, at: so } = rowOf(o.ds, b, H);
  for (let j = from; j < H; j++) {
    hPrev[po + j] = hp[hpo + j]!;
    const hv = y[yo + j]!;
    const dht = dh[dho + j]! + dy[dyo + j]!;
    dPre[dpo + j] = ds[so + j] = relu ? (hv > 0 ? dht : 0) : dht * (1 - hv * hv);
  }
}
