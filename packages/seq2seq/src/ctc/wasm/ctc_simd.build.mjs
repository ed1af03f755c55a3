// Source of the WebAssembly SIMD CTC kernels (ctc_simd_bytes.ts is generated from it).
// Regenerate: `npm run generate -w @rnnkit/seq2seq`; CI runs `npm run check-generated -w @rnnkit/seq2seq`,
// which fails when the committed bytes differ. The module imports tfjs-backend-wasm's memory and works on
// its heap in place, one sequence per call (ctc_loss_wasm.ts drives it):
//
// - ctc_emissions gathers the log-probabilities of a sequence's labels per frame, E[t][j].
// - ctc_alpha runs the forward recursion, ctc_beta_grad the backward one and the gradient, both four
//   states per f32x4. The extended label sequence (blank, l1, blank, ..., lL, blank) is kept as two
//   arrays, blanks b[0..L] and labels l[0..L-1]:
//     alpha_t(b_j) = logadd(alpha(b_j), alpha(l_{j-1})) + lp_t(blank)
//     alpha_t(l_j) = logadd(alpha(l_j), alpha(b_j), [skip_j] alpha(l_{j-1})) + lp_t(label_j)
//   (of frame t - 1; skip_j: label j differs from label j - 1), backwards the mirror image. The label's
//   three terms go into one 3-way log-add: two 2-way log-adds in a row would be one long dependency
//   chain, which is what limits these loops (measured: 25% faster forward).
// - Precision: values are float32, so each row is stored relative to the largest value of the row
//   before it (an offset kept in float64, per frame); stored values stay small and keep their digits
//   for T in the thousands. -Infinity is the finite sentinel -1e30, which keeps max/sub free of NaN
//   (-Inf - -Inf); anything below -1e29 counts as -Infinity.
// - The posteriors of a frame are normalised by their own sum (which is 1 in exact arithmetic): the
//   rounding that alpha and beta accumulate over the sequence is mostly common to a frame's states and
//   cancels, where dividing by the sequence's likelihood would keep it.
// - logadd(x, y) = max + log1p(exp(min - max)): exp as 2^n 2^f (n = round(x log2 e), 2^f by a
//   degree-5 polynomial, relative error < 1e-7); log1p(e) = 2 atanh(z), z = e / (2 + e) in [0, 1/3],
//   as 2 z + z w P(w), w = z^2, P of degree 3 fitted to |error| < 2e-9 (below float32's rounding; its
//   mean is ~1e-10, so nothing drifts over many frames); the 3-way log-add takes log1p of a sum in
//   [0, 2] (degree 4). The exp argument is clamped to [-43, 0] there: below, log1p(exp(d)) < 2e-19 is
//   lost in the sum anyway, and w stays a normal float (subnormals are slow).
//
// Written for V8, as rnn-layers' simd_gates.build.mjs: no calls in loops (V8 does not inline wasm
// calls) and every v128 constant in a local set once per call (V8 rebuilds v128.const at each use).
import { writeWatModules } from '../../../../../tools/wasm/write_wat_modules.mjs';

const SENTINEL = -1e30;
const f4 = (v) => `(v128.const f32x4 ${v} ${v} ${v} ${v})`;

const CONSTANTS = {
  sentinel: SENTINEL,
  zero: 0,
  one: 1,
  two: 2,
  dmin: -43,
  gmin: -80,
  gmax: 80,
  log2e: 1.4426950408889634,
  magic: 12582912, // 1.5 * 2^23: adding it rounds to an integer (|x| < 2^22)
  // 2^f on [-1/2, 1/2], fitted for relative error (|error| < 1e-7), constant term 1
  c1: 0.6931469775984778,
  c2: 0.24022242084923812,
  c3: 0.055507337442348204,
  c4: 0.009671512660352814,
  c5: 0.0013264726901957673,
  // log1p(e) = z (2 + w (q0 + q1 w + q2 w^2 + q3 w^3)), fitted on w in [0, 1/9] (z = e / (2 + e)).
  q0: 0.6666626192390882,
  q1: 0.40028666327124013,
  q2: 0.2790191664645865,
  q3: 0.2844766842049119,
  // The same for log1p(s), s in [0, 2] (w in [0, 1/4]): degree 4, |error| < 2e-8.
  s0: 0.6666812661367767,
  s1: 0.39934920489558534,
  s2: 0.29568918386947424,
  s3: 0.1547767322362113,
  s4: 0.3790504247368838,
};
const k = (name) => `(local.get $k_${name})`;
const CONSTANT_LOCALS = `${Object.keys(CONSTANTS)
  .map((n) => `(local $k_${n} v128)`)
  .join(' ')} (local $k_bias v128)`;
const CONSTANT_INIT = `${Object.entries(CONSTANTS)
  .map(([n, v]) => `(local.set $k_${n} ${f4(v)})`)
  .join('\n    ')}
    ;; bits(r + 1.5 * 2^23) = 0x4B400000 + r for an integer r; 2^r has exponent field r + 127.
    (local.set $k_bias (v128.const i32x4 0x4B3FFF81 0x4B3FFF81 0x4B3FFF81 0x4B3FFF81))`;

const get = (l) => `(local.get ${l})`;
const set = (l, e) => `(local.set ${l} ${e})`;
const f = (op, ...args) => `(f32x4.${op} ${args.join(' ')})`;
const i = (op, ...args) => `(i32.${op} ${args.join(' ')})`;
const c = (v) => `(i32.const ${v})`;
const addr = (...terms) => terms.reduce((a, b) => i('add', a, b));
/** A vector at byte `offset` (a constant) from the local `base` plus the local `o`. */
const load = (base, o, offset = 0) => `(v128.load offset=${offset} ${addr(get(base), get(o))})`;
const store = (base, o, offset, value) => `(v128.store offset=${offset} ${addr(get(base), get(o))} ${value})`;

// Statement lists: each macro returns the statements of one unit of work (a vector of states), so that
// the loops can interleave up to four units statement by statement: a log-add is one dependency chain
// of ~30 instructions, and several side by side keep more of the core's pipes busy.
const interleave = (lists) => {
  const out = [];
  for (let s = 0; lists.some((l) => s < l.length); s++)
    for (const l of lists) if (s < l.length) out.push(l[s]);
  return out;
};
const block = (statements, indent = 8) => statements.map((st) => `\n${' '.repeat(indent)}${st}`).join('');

/** Temporaries of one exp / log-add instance. */
const TEMPS = ['$x', '$r', '$n', '$x2', '$y', '$z', '$e', '$m', '$g', '$w', '$v'];
const tempLocals = (tag) => TEMPS.map((t) => `(local ${t}${tag} v128)`).join(' ');

/**
 * exp(x) into `dst` for x already clamped to where 2^round(x / ln2) is a normal float: 2^n 2^f,
 * n = round(x log2 e), 2^f on [-1/2, 1/2] by a degree-5 polynomial (Estrin's scheme: short chains).
 */
const expClamped = (dst, x, tag) => {
  const [X, R, N, F2, Y, Z, , , , W, V] = TEMPS.map((t) => t + tag);
  return [
    set(X, f('mul', x, k('log2e'))),
    set(R, f('add', get(X), k('magic'))),
    set(N, f('sub', get(X), f('sub', get(R), k('magic')))),
    set(F2, f('mul', get(N), get(N))),
    set(Y, f('add', f('mul', k('c1'), get(N)), k('one'))),
    set(Z, f('add', f('mul', k('c3'), get(N)), k('c2'))),
    set(W, f('add', f('mul', k('c5'), get(N)), k('c4'))),
    set(V, f('mul', get(F2), get(F2))),
    set(Y, f('add', f('add', get(Y), f('mul', get(F2), get(Z))), f('mul', get(V), get(W)))),
    set(dst, f('mul', get(Y), `(i32x4.shl (i32x4.sub ${get(R)} ${k('bias')}) (i32.const 23))`)),
  ];
};

/**
 * The results of a log-add: dst = max + log1p(...) (unless null) and, for each [name, x] of `plus`,
 * name = max + (log1p(...) + x), the small terms summed first (one rounding at the size of max).
 */
const results = (dst, M, inner, plus) => [
  ...(dst === null ? [] : [set(dst, f('add', get(M), get(inner)))]),
  ...plus.map(([name, x]) => set(name, f('add', get(M), f('add', get(inner), x)))),
];

/** dst = log(exp(a) + exp(b)) for locals a, b (finite: -Infinity is the sentinel); see `results`. */
const logAdd = (dst, a, b, tag, plus = []) => {
  const [, , , X2, Y, Z, E, M, G, W, V] = TEMPS.map((t) => t + tag);
  return [
    set(M, f('pmax', get(a), get(b))),
    set(G, f('pmax', f('sub', f('pmin', get(a), get(b)), get(M)), k('dmin'))),
    ...expClamped(E, get(G), tag),
    // log1p(e) = 2 z + z w P(w), z = e / (2 + e), w = z^2
    set(Z, f('div', get(E), f('add', get(E), k('two')))),
    set(X2, f('mul', get(Z), get(Z))),
    set(W, f('mul', get(Z), get(X2))),
    set(V, f('mul', get(X2), get(X2))),
    set(
      Y,
      f(
        'add',
        f('add', f('mul', k('q1'), get(X2)), k('q0')),
        f('mul', get(V), f('add', f('mul', k('q3'), get(X2)), k('q2'))),
      ),
    ),
    set(`$x${tag}`, f('add', f('add', get(Z), get(Z)), f('mul', get(W), get(Y)))),
    ...results(dst, M, `$x${tag}`, plus),
  ];
};

/**
 * dst = log(exp(a) + exp(b) + exp(c)) in one step: the largest plus log1p of the other two's exps
 * (a sum in [0, 2], whose log1p takes a degree-4 P). Used where two log-adds in a row would chain.
 */
const logAdd3 = (dst, a, b, c3, tag, plus = []) => {
  const [X, R, , X2, Y, Z, E, M, G, W, V] = TEMPS.map((t) => t + tag);
  return [
    set(X, f('pmax', get(a), get(b))),
    set(R, f('pmin', get(a), get(b))),
    set(M, f('pmax', get(X), get(c3))),
    // The two values other than the largest: the larger of (min(a, b), min(max(a, b), c)), and min(a, b, c).
    set(G, f('pmax', f('sub', f('pmax', get(R), f('pmin', get(X), get(c3))), get(M)), k('dmin'))),
    set(`$g${tag}x`, f('pmax', f('sub', f('pmin', get(R), get(c3)), get(M)), k('dmin'))),
    ...expClamped(E, get(G), tag),
    ...expClamped(`$e${tag}x`, get(`$g${tag}x`), `${tag}x`),
    set(E, f('add', get(E), get(`$e${tag}x`))),
    set(Z, f('div', get(E), f('add', get(E), k('two')))),
    set(X2, f('mul', get(Z), get(Z))),
    set(W, f('mul', get(Z), get(X2))),
    set(V, f('mul', get(X2), get(X2))),
    set(
      Y,
      f(
        'add',
        f(
          'add',
          f('add', f('mul', k('s1'), get(X2)), k('s0')),
          f('mul', get(V), f('add', f('mul', k('s3'), get(X2)), k('s2'))),
        ),
        f('mul', f('mul', get(V), get(V)), k('s4')),
      ),
    ),
    set(X, f('add', f('add', get(Z), get(Z)), f('mul', get(W), get(Y)))),
    ...results(dst, M, X, plus),
  ];
};

/** dst = exp(x) for x in [-80, 80], 0 below -80 (a posterior under 2e-35). */
const expOrZero = (dst, x, tag) => {
  const G = `$g${tag}`;
  return [
    set(G, x),
    ...expClamped(dst, f('pmin', f('pmax', get(G), k('gmin')), k('gmax')), tag),
    set(dst, `(v128.and ${get(dst)} ${f('gt', get(G), k('gmin'))})`),
  ];
};

const SWAP_HALVES = 'i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7';
const SWAP_PAIRS = 'i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11';
/** v = the largest of v's lanes in every lane (pmax drops NaN: ctc_alpha tracks NaN apart). */
const laneMax = (v) => [
  set(v, f('pmax', get(v), `(${SWAP_HALVES} ${get(v)} ${get(v)})`)),
  set(v, f('pmax', get(v), `(${SWAP_PAIRS} ${get(v)} ${get(v)})`)),
];
const laneSum = (v) => [
  set(v, f('add', get(v), `(${SWAP_HALVES} ${get(v)} ${get(v)})`)),
  set(v, f('add', get(v), `(${SWAP_PAIRS} ${get(v)} ${get(v)})`)),
];

const S = SENTINEL;

/**
 * The band of frame t in vectors of 4 states, lo..hi: the states that can be on a complete path,
 * label j <= t (two states per frame from the start) and j >= L - Tn + t (two per frame to the end).
 */
const band = [
  set(
    '$lo',
    i(
      'shr_s',
      `(select ${i('sub', addr(get('$len'), get('$t')), get('$tn'))} ${c(0)} ${i('gt_s', i('sub', addr(get('$len'), get('$t')), get('$tn')), c(0))})`,
      c(2),
    ),
  ),
  set('$hi', i('shr_s', `(select ${get('$len')} ${get('$t')} ${i('lt_s', get('$len'), get('$t'))})`, c(2))),
];

/** Sentinel vectors just outside the band of the row at `row`: the next frame reads one vector beyond it. */
const guards = (row) => {
  const below = i('sub', addr(get(row), i('shl', get('$lo'), c(4))), c(16));
  const above = addr(get(row), i('shl', get('$hi'), c(4)), c(16));
  return [
    `(v128.store ${below} ${k('sentinel')})`,
    `(v128.store ${addr(below, get('$lpart'))} ${k('sentinel')})`,
    `(v128.store ${above} ${k('sentinel')})`,
    `(v128.store ${addr(above, get('$lpart'))} ${k('sentinel')})`,
  ];
};

/** Per-unit locals of the loops (suffixes _A to _D). */
const unitLocals = (names, units) =>
  units
    .flatMap((u) => [
      ...names.map((n) => `(local ${n}_${u} v128)`),
      ...['', 'g', 'l', 'lx'].map((t) => tempLocals(`_${u}${t}`)),
    ])
    .join(' ');

/**
 * Forward: one vector of 4 blanks and 4 labels of row t at byte offset (base + offset) of its row,
 * from row t - 1 (prev: blanks, prevl: labels, prevlm: labels one state back).
 */
const alphaUnit = (u, base, offset) => {
  const v = (n) => `$${n}_${u}`;
  return [
    set(v('b'), load('$prev', base, offset)),
    set(v('l'), load('$prevl', base, offset)),
    set(v('lm'), load('$prevlm', base, offset)),
    set(v('src'), `(v128.bitselect ${get(v('lm'))} ${k('sentinel')} ${load('$skip', base, offset)})`),
    ...logAdd(null, v('b'), v('lm'), `_${u}`, [[v('nb'), get('$blv')]]),
    ...logAdd3(null, v('l'), v('b'), v('src'), `_${u}l`, [
      [v('nl'), f('sub', load('$et', base, offset), get('$mpv'))],
    ]),
    store('$cur', base, offset, get(v('nb'))),
    store('$curl', base, offset, get(v('nl'))),
    set(v('mv'), f('pmax', get(v('mv')), f('pmax', get(v('nb')), get(v('nl'))))),
    // pmax drops NaN; a sum keeps it (the row's values are finite otherwise: no Inf - Inf).
    set(v('nan'), f('add', get(v('nan')), f('add', get(v('nb')), get(v('nl'))))),
  ];
};

/**
 * Backward: one vector of row t from row t + 1 (nxt, nxtl), with the gradient:
 *   beta_t(b_j) = logadd(b_j, l_j), beta_t(l_j) = logadd(l_j, b_{j+1}, [skipNext_j] l_{j+1}) (of row t + 1).
 */
const betaUnit = (u, base, offset) => {
  const v = (n) => `$${n}_${u}`;
  return [
    set(v('bt'), load('$nxt', base, offset)),
    set(v('lt'), load('$nxtl', base, offset)),
    set(v('bn'), load('$nxt', base, offset + 4)),
    set(
      v('src'),
      `(v128.bitselect ${load('$nxtl', base, offset + 4)} ${k('sentinel')} ${load('$skipNext', base, offset)})`,
    ),
    ...logAdd(v('bs'), v('bt'), v('lt'), `_${u}`, [[v('nb'), get('$blv')]]),
    ...logAdd3(v('ls'), v('lt'), v('bn'), v('src'), `_${u}l`, [
      [v('nl'), f('sub', load('$et', base, offset), get('$mbv'))],
    ]),
    store('$cur', base, offset, get(v('nb'))),
    store('$curl', base, offset, get(v('nl'))),
    set(v('mv'), f('pmax', get(v('mv')), f('pmax', get(v('nb')), get(v('nl'))))),
    ...expOrZero(v('ga'), f('add', f('add', load('$arow', base, offset), get(v('bs'))), get('$cv')), `_${u}`),
    ...expOrZero(
      v('gl'),
      f('add', f('add', load('$arowl', base, offset), get(v('ls'))), get('$cv')),
      `_${u}g`,
    ),
    set(v('accb'), f('add', get(v('accb')), get(v('ga')))),
    set(v('accl'), f('add', get(v('accl')), get(v('gl')))),
    set(v('co'), load('$classOff', base, offset)),
    ...[0, 1, 2, 3].flatMap((lane) => [
      `(local.set $p_${u} (i32.add (local.get $frame) (i32x4.extract_lane ${lane} ${get(v('co'))})))`,
      `(f32.store (local.get $p_${u}) (f32.add (f32.load (local.get $p_${u})) (f32x4.extract_lane ${lane} ${get(v('gl'))})))`,
    ]),
  ];
};

/** Up to four units side by side: a frame's vectors in fours, then a pair, then one. */
const UNITS = ['A', 'B', 'C', 'D'];
/** Alpha units at $o, $o + 16, ... */
const alphaRun = (width) => interleave(UNITS.slice(0, width).map((u, n) => alphaUnit(u, '$o', 16 * n)));
/** Beta units at $o, $o + 16, ... */
const betaRun = (width) => interleave(UNITS.slice(0, width).map((u, n) => betaUnit(u, '$o', 16 * n)));
/** The units' partial results combined into unit A's. */
const merge = (name, op) =>
  UNITS.slice(1).map((u) => set(`$${name}_A`, f(op, get(`$${name}_A`), get(`$${name}_${u}`))));

const ALPHA_UNIT = ['$b', '$l', '$lm', '$src', '$nb', '$nl', '$mv', '$nan'];
const BETA_UNIT = [
  '$bt',
  '$lt',
  '$bn',
  '$bs',
  '$src',
  '$ls',
  '$nb',
  '$nl',
  '$mv',
  '$ga',
  '$gl',
  '$accb',
  '$accl',
  '$co',
];

const source = (memory) => `(module
  (import "env" "memory" ${memory})

  ;; E[t][j] = lp[t, n, label_j] (at least the sentinel; NaN stays NaN) for t < tn, j < len; the
  ;; sentinel for len <= j < count. labelOff: byte offsets of the labels' classes in a frame's row.
  (func (export "ctc_emissions") (param $lp i32) (param $frameBytes i32) (param $tn i32) (param $labelOff i32)
    (param $len i32) (param $e i32) (param $eRow i32) (param $count i32)
    (local $t i32) (local $j i32) (local $row i32) (local $dst i32) (local $co v128) (local $v v128)
    (block $done (loop $frames
      (br_if $done (i32.ge_u (local.get $t) (local.get $tn)))
      (local.set $row (i32.add (local.get $lp) (i32.mul (local.get $t) (local.get $frameBytes))))
      (local.set $dst (i32.add (local.get $e) (i32.mul (local.get $t) (local.get $eRow))))
      (local.set $j (i32.const 0))
      ;; Four labels at a time (a load per lane, one store), then one at a time.
      (block $quadsDone (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $len)))
        (local.set $co (v128.load (i32.add (local.get $labelOff) (i32.shl (local.get $j) (i32.const 2)))))${[
          0, 1, 2, 3,
        ]
          .map(
            (lane) => `
        (local.set $v (f32x4.replace_lane ${lane} (local.get $v) (f32.load (i32.add (local.get $row) (i32x4.extract_lane ${lane} (local.get $co))))))`,
          )
          .join('')}
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.pmax (local.get $v) (v128.const f32x4 ${S} ${S} ${S} ${S})))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $quads)))
      (block $labelsDone (loop $labels
        (br_if $labelsDone (i32.ge_u (local.get $j) (local.get $len)))
        (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2)))
          (f32.max
            (f32.load (i32.add (local.get $row) (i32.load (i32.add (local.get $labelOff) (i32.shl (local.get $j) (i32.const 2))))))
            (f32.const ${S})))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $labels)))
      (block $padDone (loop $pad
        (br_if $padDone (i32.ge_u (local.get $j) (local.get $count)))
        (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2))) (f32.const ${S}))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $pad)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $frames))))

  ;; Forward recursion of one sequence (tn >= 1 frames, len labels). Row t (blank part at
  ;; alpha + t * rowBytes, or at alternating rows when keep = 0; label part lpart bytes after it) holds
  ;; alpha_t - K_t, K_t = K_{t-1} + max(row t-1); K_t goes to offsets[t] (float64) when keep = 1.
  ;; Returns K_{tn-1}, or -Infinity when no state of a frame can be reached.
  (func (export "ctc_alpha") (param $lpb i32) (param $frameBytes i32) (param $e i32) (param $eRow i32)
    (param $skip i32) (param $alpha i32) (param $lpart i32) (param $rowBytes i32) (param $keep i32)
    (param $offsets i32) (param $tn i32) (param $len i32) (result f64)
    (local $t i32) (local $lo i32) (local $hi i32) (local $o i32) (local $end i32) (local $prev i32)
    (local $prevl i32) (local $prevlm i32) (local $cur i32) (local $curl i32) (local $et i32)
    (local $kt f64) (local $m f32) (local $ml f32) (local $blv v128) (local $mpv v128)
    ${unitLocals(ALPHA_UNIT, UNITS)}
    ${CONSTANT_LOCALS}
    ${CONSTANT_INIT}
    ;; Frame 0: the blank b_0 and the first label l_0; an empty band (len - tn >= 4) cannot be aligned.
    (if (i32.gt_s (i32.sub (local.get $len) (local.get $tn)) (i32.const 3)) (then (return (f64.const -inf))))
    (local.set $m (f32.max (f32.load (local.get $lpb)) (f32.const ${S})))
    (local.set $ml (f32.load (local.get $e)))
    (v128.store (local.get $alpha) (f32x4.replace_lane 0 ${k('sentinel')} (local.get $m)))
    (v128.store (i32.add (local.get $alpha) (local.get $lpart)) (f32x4.replace_lane 0 ${k('sentinel')} (local.get $ml)))
    (local.set $lo (i32.const 0)) (local.set $hi (i32.const 0))${block(guards('$alpha'), 4)}
    (local.set $m (f32.max (local.get $m) (local.get $ml)))
    (if (local.get $keep) (then (f64.store (local.get $offsets) (f64.const 0))))
    (if (f32.lt (local.get $m) (f32.const -1e29)) (then (return (f64.const -inf))))
    (local.set $prev (local.get $alpha))
    (local.set $t (i32.const 1))
    (block $done (loop $frames
      (br_if $done (i32.ge_s (local.get $t) (local.get $tn)))${block(band, 6)}
      (if (i32.gt_s (local.get $lo) (local.get $hi)) (then (return (f64.const -inf))))
      (local.set $cur (i32.add (local.get $alpha) (i32.mul (local.get $rowBytes)
        (select (local.get $t) (i32.and (local.get $t) (i32.const 1)) (local.get $keep)))))
      (local.set $curl (i32.add (local.get $cur) (local.get $lpart)))
      (local.set $prevl (i32.add (local.get $prev) (local.get $lpart)))
      (local.set $prevlm (i32.sub (local.get $prevl) (i32.const 4)))
      (local.set $kt (f64.add (local.get $kt) (f64.promote_f32 (local.get $m))))
      (if (local.get $keep) (then (f64.store (i32.add (local.get $offsets) (i32.shl (local.get $t) (i32.const 3))) (local.get $kt))))
      (local.set $blv (f32x4.splat (f32.sub
        (f32.max (f32.load (i32.add (local.get $lpb) (i32.mul (local.get $t) (local.get $frameBytes)))) (f32.const ${S}))
        (local.get $m))))
      (local.set $mpv (f32x4.splat (local.get $m)))
      (local.set $et (i32.add (local.get $e) (i32.mul (local.get $t) (local.get $eRow))))
      ${UNITS.map((u) => `(local.set $mv_${u} ${k('sentinel')}) (local.set $nan_${u} ${k('zero')})`).join(' ')}
      (local.set $o (i32.shl (local.get $lo) (i32.const 4)))
      (local.set $end (i32.shl (local.get $hi) (i32.const 4)))
      (block $quadsDone (loop $quads
        (br_if $quadsDone (i32.gt_s (i32.add (local.get $o) (i32.const 48)) (local.get $end)))${block(alphaRun(4))}
        (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $quads)))
      (if (i32.le_s (i32.add (local.get $o) (i32.const 16)) (local.get $end)) (then${block(alphaRun(2), 8)}
        (local.set $o (i32.add (local.get $o) (i32.const 32)))))
      (if (i32.le_s (local.get $o) (local.get $end)) (then${block(alphaRun(1), 8)}))${block(guards('$cur'), 6)}${block([...merge('mv', 'pmax'), ...merge('nan', 'add'), ...laneMax('$mv_A'), ...laneSum('$nan_A')], 6)}
      (local.set $m (f32x4.extract_lane 0 (local.get $mv_A)))
      ;; A NaN log-probability makes the loss NaN (the offsets carry it), as in the JS kernel.
      (if (f32.ne (f32x4.extract_lane 0 (local.get $nan_A)) (f32x4.extract_lane 0 (local.get $nan_A))) (then (local.set $m (f32.const nan))))
      (if (f32.lt (local.get $m) (f32.const -1e29)) (then (return (f64.const -inf))))
      (local.set $prev (local.get $cur))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $frames)))
    (local.get $kt))

  ;; Backward recursion and gradient of one sequence whose alpha rows (keep = 1) and offsets ctc_alpha
  ;; wrote, logp its log-likelihood (finite). Beta rows alternate at beta (same layout), each relative
  ;; to an offset like alpha's. Writes out[t] = -(posteriors of each class at frame t) for t < tn
  ;; (rows frameBytes apart, classes floats each); frame: scratch for one row, all zero.
  (func (export "ctc_beta_grad") (param $lpb i32) (param $frameBytes i32) (param $e i32) (param $eRow i32)
    (param $skipNext i32) (param $alpha i32) (param $lpart i32) (param $rowBytes i32) (param $offsets i32)
    (param $beta i32) (param $tn i32) (param $len i32) (param $logp f64) (param $out i32)
    (param $classOff i32) (param $blankOff i32) (param $classes i32) (param $frame i32)
    (local $t i32) (local $lo i32) (local $hi i32) (local $o i32) (local $end i32)
    (local $nxt i32) (local $nxtl i32) (local $cur i32) (local $curl i32) (local $arow i32) (local $arowl i32)
    (local $et i32) (local $dst i32) (local $cb i32) (local $cend i32) (local $fill i32) (local $p i32)
    (local $kb f64) (local $mb f32) (local $sb f32) (local $inv f32)
    (local $blv v128) (local $mbv v128) (local $cv v128) (local $invv v128)
    ${unitLocals(BETA_UNIT, UNITS)} ${UNITS.map((u) => `(local $p_${u} i32)`).join(' ')}
    ${CONSTANT_LOCALS}
    ${CONSTANT_INIT}
    ;; Row tn (virtual): beta_{tn-1} is 0 at the last blank and the last label, which a row with 0 at
    ;; the last blank alone gives through the recursion below.
    (local.set $nxt (i32.add (local.get $beta) (i32.mul (local.get $rowBytes) (i32.and (local.get $tn) (i32.const 1)))))
    (local.set $o (i32.const -16))
    (local.set $fill (i32.shl (i32.add (i32.shr_s (local.get $len) (i32.const 2)) (i32.const 1)) (i32.const 4)))
    (loop $fillRow
      (v128.store ${addr(get('$nxt'), get('$o'))} ${k('sentinel')})
      (v128.store ${addr(get('$nxt'), get('$lpart'), get('$o'))} ${k('sentinel')})
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br_if $fillRow (i32.le_s (local.get $o) (local.get $fill))))
    (f32.store (i32.add (local.get $nxt) (i32.shl (local.get $len) (i32.const 2))) (f32.const 0))
    (local.set $cend (i32.shl (local.get $classes) (i32.const 2)))
    (local.set $t (i32.sub (local.get $tn) (i32.const 1)))
    (block $done (loop $frames
      (br_if $done (i32.lt_s (local.get $t) (i32.const 0)))${block(band, 6)}
      (local.set $nxt (i32.add (local.get $beta) (i32.mul (local.get $rowBytes) (i32.and (i32.add (local.get $t) (i32.const 1)) (i32.const 1)))))
      (local.set $nxtl (i32.add (local.get $nxt) (local.get $lpart)))
      (local.set $cur (i32.add (local.get $beta) (i32.mul (local.get $rowBytes) (i32.and (local.get $t) (i32.const 1)))))
      (local.set $curl (i32.add (local.get $cur) (local.get $lpart)))
      (local.set $arow (i32.add (local.get $alpha) (i32.mul (local.get $rowBytes) (local.get $t))))
      (local.set $arowl (i32.add (local.get $arow) (local.get $lpart)))
      ;; alpha_t + beta_t - logp = (stored alpha) + (stored beta) + K_t + Kb_{t+1} - logp
      (local.set $cv (f32x4.splat (f32.demote_f64 (f64.sub (f64.add
        (f64.load (i32.add (local.get $offsets) (i32.shl (local.get $t) (i32.const 3)))) (local.get $kb)) (local.get $logp)))))
      (local.set $blv (f32x4.splat (f32.sub
        (f32.max (f32.load (i32.add (local.get $lpb) (i32.mul (local.get $t) (local.get $frameBytes)))) (f32.const ${S}))
        (local.get $mb))))
      (local.set $mbv (f32x4.splat (local.get $mb)))
      (local.set $et (i32.add (local.get $e) (i32.mul (local.get $t) (local.get $eRow))))
      ${UNITS.map((u) => `(local.set $accb_${u} ${k('zero')}) (local.set $accl_${u} ${k('zero')}) (local.set $mv_${u} ${k('sentinel')})`).join('\n      ')}
      (local.set $o (i32.shl (local.get $lo) (i32.const 4)))
      (local.set $end (i32.shl (local.get $hi) (i32.const 4)))
      (block $quadsDone (loop $quads
        (br_if $quadsDone (i32.gt_s (i32.add (local.get $o) (i32.const 48)) (local.get $end)))${block(betaRun(4))}
        (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $quads)))
      (if (i32.le_s (i32.add (local.get $o) (i32.const 16)) (local.get $end)) (then${block(betaRun(2), 8)}
        (local.set $o (i32.add (local.get $o) (i32.const 32)))))
      (if (i32.le_s (local.get $o) (local.get $end)) (then${block(betaRun(1), 8)}))${block(guards('$cur'), 6)}
      ;; The frame's posteriors, normalised by their sum, negated, into out.
${block([...merge('accb', 'add'), ...merge('accl', 'add')], 6)}${block([...laneSum('$accb_A'), ...laneSum('$accl_A')], 6)}
      (local.set $sb (f32x4.extract_lane 0 (local.get $accb_A)))
      (local.set $inv (f32.div (f32.const -1) (f32.add (local.get $sb) (f32x4.extract_lane 0 (local.get $accl_A)))))
      (local.set $p (i32.add (local.get $frame) (local.get $blankOff)))
      (f32.store (local.get $p) (f32.add (f32.load (local.get $p)) (local.get $sb)))
      (local.set $invv (f32x4.splat (local.get $inv)))
      (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $t) (local.get $frameBytes))))
      (local.set $cb (i32.const 0))
      (block $vectorsDone (loop $vectors
        (br_if $vectorsDone (i32.gt_s (i32.add (local.get $cb) (i32.const 16)) (local.get $cend)))
        (v128.store (i32.add (local.get $dst) (local.get $cb)) (f32x4.mul (v128.load (i32.add (local.get $frame) (local.get $cb))) (local.get $invv)))
        (v128.store (i32.add (local.get $frame) (local.get $cb)) ${k('zero')})
        (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
        (br $vectors)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_s (local.get $cb) (local.get $cend)))
        (f32.store (i32.add (local.get $dst) (local.get $cb)) (f32.mul (f32.load (i32.add (local.get $frame) (local.get $cb))) (local.get $inv)))
        (f32.store (i32.add (local.get $frame) (local.get $cb)) (f32.const 0))
        (local.set $cb (i32.add (local.get $cb) (i32.const 4)))
        (br $tail)))
      (local.set $kb (f64.add (local.get $kb) (f64.promote_f32 (local.get $mb))))
${block(merge('mv', 'pmax'), 6)}${block(laneMax('$mv_A'), 6)}
      (local.set $mb (f32x4.extract_lane 0 (local.get $mv_A)))
      (if (i32.eqz (f32.gt (local.get $mb) (f32.const -1e29))) (then (local.set $mb (f32.const 0))))
      (local.set $t (i32.sub (local.get $t) (i32.const 1)))
      (br $frames))))
)
`;

// Two builds, as rnn-layers' module: for the plain memory of tfjs-backend-wasm's SIMD binary and for
// the shared memory (maximum 4 GiB) of its threaded-SIMD binary.
writeWatModules({
  generator: import.meta.url,
  out: new URL('./ctc_simd_bytes.ts', import.meta.url),
  modules: [
    { constant: 'CTC_SIMD_WASM_BASE64', wat: source('(memory 1)') },
    { constant: 'CTC_SIMD_SHARED_MEMORY_WASM_BASE64', wat: source('(memory 1 65536 shared)') },
  ],
});
