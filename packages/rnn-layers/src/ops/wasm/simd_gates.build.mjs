// Source of the WebAssembly SIMD gate kernels (simd_gates_bytes.ts is generated from it).
// Regenerate: `npm run generate -w @rnnkit/rnn-layers` (wabt is a pinned devDependency); CI runs
// `npm run check-generated -w @rnnkit/rnn-layers`, which fails when the committed bytes differ.
// The kernels import tfjs-backend-wasm's own memory and work on its heap in place: fused recurrent
// steps (the step's product with W_hh and the cell in one call, stepKernel), the same product loops
// for BPTT and the weight gradients, gate rows for the XNNPACK path (one call does `rows` consecutive
// batch rows of one step), BPTT rows, a 4 x 4 transpose, column sums (bias gradients), which XNNPACK
// would do as a product with ones after repacking the whole matrix, and row gathers (embedding
// lookups), which tfjs-backend-wasm's GatherV2 does element by element.
//
// Written for V8's code generator: it neither inlines wasm calls nor hoists v128 constants out of
// loops (each use is rebuilt from immediates), so exp/sigmoid/tanh are expanded in place by the
// macros below and every constant lives in a local set once per call. Together with one-instruction
// clamps (pmin/pmax) and rounding by the 1.5 * 2^23 trick, this made the gate math ~3x cheaper.
import { writeWatModules } from '../../../../../tools/wasm/write_wat_modules.mjs';

const f4 = (v) => `(v128.const f32x4 ${v} ${v} ${v} ${v})`;

// Constants of exp (Cephes expf: 2^n * p(r), r = x - n ln2 in two parts) and the activations.
const CONSTANTS = {
  one: 1,
  two: 2,
  hi: 88,
  lo: -87,
  log2e: 1.4426950408889634,
  magic: 12582912,
  ln2hi: 0.693359375,
  ln2lo: -2.1219444e-4,
  p0: 1.98756915e-4,
  p1: 1.3981999507e-3,
  p2: 8.3334519073e-3,
  p3: 4.1665795894e-2,
  p4: 1.6666665459e-1,
  p5: 5.0000001201e-1,
};
const k = (name) => `(local.get $k_${name})`;
const CONSTANT_LOCALS = `${Object.keys(CONSTANTS)
  .map((n) => `(local $k_${n} v128)`)
  .join(' ')} (local $k_bias v128)
    (local $ex v128) (local $er v128) (local $efx v128) (local $ey v128) (local $ez v128) (local $er2 v128)`;
const CONSTANT_INIT = `${Object.entries(CONSTANTS)
  .map(([n, v]) => `(local.set $k_${n} ${f4(v)})`)
  .join('\n    ')}
    ;; bits(x + 1.5 * 2^23) = 0x4B400000 + round(x) for |x| < 2^22; 2^n has exponent field n + 127.
    (local.set $k_bias (v128.const i32x4 0x4B3FFF81 0x4B3FFF81 0x4B3FFF81 0x4B3FFF81))`;

/** Statements leaving exp(e) in local `dst` (x clamped so 2^n stays normal). */
const exp = (dst, e) => `
      (local.set $ex (f32x4.pmax (f32x4.pmin ${e} ${k('hi')}) ${k('lo')}))
      (local.set $er (f32x4.add (f32x4.mul (local.get $ex) ${k('log2e')}) ${k('magic')}))
      (local.set $efx (f32x4.sub (local.get $er) ${k('magic')}))
      (local.set $ex (f32x4.sub (f32x4.sub (local.get $ex) (f32x4.mul (local.get $efx) ${k('ln2hi')})) (f32x4.mul (local.get $efx) ${k('ln2lo')})))
      ;; p(r) by Estrin's scheme (shorter dependency chains than Horner's), then 1 + r + r^2 p(r).
      (local.set $er2 (f32x4.mul (local.get $ex) (local.get $ex)))
      (local.set $ey (f32x4.add (f32x4.mul ${k('p4')} (local.get $ex)) ${k('p5')}))
      (local.set $ez (f32x4.add (f32x4.mul ${k('p2')} (local.get $ex)) ${k('p3')}))
      (local.set $ez (f32x4.add (local.get $ez) (f32x4.mul (local.get $er2) (f32x4.add (f32x4.mul ${k('p0')} (local.get $ex)) ${k('p1')}))))
      (local.set $ey (f32x4.add (local.get $ey) (f32x4.mul (local.get $er2) (local.get $ez))))
      (local.set $ey (f32x4.add (f32x4.add (f32x4.mul (local.get $ey) (local.get $er2)) (local.get $ex)) ${k('one')}))
      (local.set ${dst} (f32x4.mul (local.get $ey) (i32x4.shl (i32x4.sub (local.get $er) (local.get $k_bias)) (i32.const 23))))`;
/** sigmoid(e) = 1 / (1 + exp(-e)) into `dst`. */
const sigmoid = (dst, e) => `${exp(dst, `(f32x4.neg ${e})`)}
      (local.set ${dst} (f32x4.div ${k('one')} (f32x4.add ${k('one')} (local.get ${dst}))))`;
/** tanh(e) = 1 - 2 / (exp(2e) + 1): absolute error ~1e-7 near 0, exact saturation far out. */
const tanh = (dst, e) => `
      (local.set $ey ${e})${exp(dst, '(f32x4.add (local.get $ey) (local.get $ey))')}
      (local.set ${dst} (f32x4.sub ${k('one')} (f32x4.div ${k('two')} (f32x4.add (local.get ${dst}) ${k('one')}))))`;

/**
 * An exported kernel over `rows` consecutive rows of n4 elements (a multiple of 4) each. `pointers`
 * maps each byte-address parameter to how far it moves per row, in multiples of gb (H * 4 bytes).
 * The body sees $j (element) and $sj (its byte offset) and may use $gb for gate blocks.
 */
function kernel(name, pointers, locals, body) {
  const params = Object.keys(pointers)
    .map((p) => `(param $${p} i32)`)
    .join(' ');
  const advance = Object.entries(pointers)
    .filter(([, m]) => m !== 0)
    .map(
      ([p, m]) =>
        `(local.set $${p} (i32.add (local.get $${p}) ${m === 1 ? '(local.get $gb)' : `(i32.mul (local.get $gb) (i32.const ${m}))`}))`,
    )
    .join('\n      ');
  return `
  (func (export "${name}") ${params} (param $gb i32) (param $n4 i32) (param $rows i32)
    (local $j i32) (local $sj i32) ${locals}
    ${CONSTANT_LOCALS}
    ${CONSTANT_INIT}
    (block $end (loop $row
      (br_if $end (i32.le_s (local.get $rows) (i32.const 0)))
      (local.set $j (i32.const 0))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $n4)))
        (local.set $sj (i32.shl (local.get $j) (i32.const 2)))${body}
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $next)))
      ${advance}
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))`;
}

const at = (p, gate = 0) =>
  `(i32.add (local.get $${p}) ${gate === 0 ? '(local.get $sj)' : `(i32.add (local.get $sj) (i32.mul (local.get $gb) (i32.const ${gate})))`})`;
const load = (p, gate = 0) => `(v128.load ${at(p, gate)})`;
const store = (p, value, gate = 0) => `
        (v128.store ${at(p, gate)} ${value})`;
const get = (l) => `(local.get $${l})`;
const add = (a, b) => `(f32x4.add ${a} ${b})`;
const mul = (a, b) => `(f32x4.mul ${a} ${b})`;
const sub = (a, b) => `(f32x4.sub ${a} ${b})`;

/** exp's temporaries (CONSTANT_LOCALS): each interleaved epilogue unit gets its own. */
const TEMPS = ['$ex', '$er', '$efx', '$ey', '$ez', '$er2'];

/** The top-level s-expressions of a statement sequence, line comments dropped. */
function statements(text) {
  const source = text.replace(/;;[^\n]*/g, '');
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '(') {
      if (depth++ === 0) start = i;
    } else if (source[i] === ')' && --depth === 0) {
      out.push(source.slice(start, i + 1));
    }
  }
  return out;
}

/** `text` with the locals `names` renamed to name + suffix. */
function withSuffix(text, names, suffix) {
  const pattern = new RegExp(`\\$(${names.map((n) => n.slice(1)).join('|')})(?!\\w)`, 'g');
  return text.replace(pattern, (name) => name + suffix);
}

/** Statement lists merged round-robin. */
function interleave(lists) {
  const out = [];
  for (let i = 0; lists.some((l) => i < l.length); i++)
    for (const l of lists) if (i < l.length) out.push(l[i]);
  return out.join('\n        ');
}

/**
 * A fused recurrent step over `count` rows listed in a table (one i32 byte address per field and row;
 * field 0 is the row's left operand, h_{t-1} for a step): the product of each row with W_hh packed
 * in panels (per k, `blocks` blocks of 4 hidden units, each with its `gates` gate vectors of 4
 * columns side by side; K rows per panel), then `epilogue` on each block's gate vectors, which never
 * leave registers. Two rows share each panel load; panels run outside and rows inside, so a panel
 * stays in L1 while every row uses it. XNNPACK does the same product ~1.3x slower here, and then the
 * gate pass reads it back from memory. The epilogue sees `acc(g)`, `field(name, gate)` (that
 * field's address for the block, plus `gate` gate blocks of $gb bytes), `workspace(name, local,
 * gate)` (a store left out where the kernel has no such field) and `vec(pointer, gate)` (the block
 * of a per-unit vector such as a bias). `strided` kernels (plain products, one gate) take the steps
 * at run time instead: $ak bytes between a row's elements, $wk between a panel's rows and $wpanel
 * between panels.
 */
function stepKernel(
  name,
  { gates, blocks, fields, params = [], locals = '', activations = true, strided = false },
  epilogue,
) {
  if (strided && gates > 1) throw new Error(`stepKernel ${name}: strided kernels have no gate blocks`);
  const vectors = gates * blocks;
  const stride = fields.length * 4;
  const regs = (r) => Array.from({ length: vectors }, (_, v) => `$c${r}_${v}`);
  const accLocals = [0, 1]
    .flatMap(regs)
    .map((l) => `(local ${l} v128)`)
    .join(' ');
  const panelLocals = Array.from({ length: vectors }, (_, v) => `(local $w${v} v128)`).join(' ');
  // A field's address for the current row and block: the row's pointer (read from the table once per
  // row, before the epilogue's stores, which V8 cannot prove leave the table alone), plus gate blocks.
  const loadFields = (r) =>
    fields
      .map(
        (f, i) => `
        (local.set $f_${f} (i32.add (i32.load offset=${4 * i} (local.get $t${r})) (local.get $qo)))`,
      )
      .join('');
  const gateOffset = ['', '(local.get $gb)', '(local.get $gb2)', '(local.get $gb3)'];
  const offset = (name, gate, j) => {
    if (!fields.includes(name)) throw new Error(`stepKernel ${name}: no field ${name}`);
    let address = `(local.get $f_${name})`;
    if (gate > 0) address = `(i32.add ${address} ${gateOffset[gate]})`;
    return j === 0 ? address : `(i32.add ${address} (i32.const ${16 * j}))`;
  };
  // The k loop for the first `rows` rows: acc[r][v] += h_r[k] * panel[k][v].
  const product = (rows) => {
    const body = [];
    for (let v = 0; v < vectors; v++)
      body.push(`(local.set $w${v} (v128.load offset=${16 * v} (local.get $wp)))`);
    for (let r = 0; r < rows; r++) {
      body.push(`(local.set $s (v128.load32_splat (local.get $a${r})))`);
      for (let v = 0; v < vectors; v++)
        body.push(
          `(local.set $c${r}_${v} (f32x4.add (local.get $c${r}_${v}) (f32x4.mul (local.get $s) (local.get $w${v}))))`,
        );
    }
    const aStep = strided ? '(local.get $ak)' : '(i32.const 4)';
    for (let r = 0; r < rows; r++) body.push(`(local.set $a${r} (i32.add (local.get $a${r}) ${aStep}))`);
    return `${Array.from({ length: rows }, (_, r) => `(local.set $a${r} (i32.load (local.get $t${r})))`).join(' ')}
          ${Array.from({ length: rows }, (_, r) =>
            regs(r)
              .map((l) => `(local.set ${l} (v128.const i32x4 0 0 0 0))`)
              .join(' '),
          ).join('\n          ')}
          (local.set $wp (local.get $panel))
          (local.set $k (local.get $K))
          (loop $product
            ${body.join('\n            ')}
            (local.set $wp (i32.add (local.get $wp) ${strided ? '(local.get $wk)' : `(i32.const ${16 * vectors})`}))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br_if $product (local.get $k)))`;
  };
  // The activations' constants are set again after each product: live across the k loop they would
  // compete with its 13 accumulator and panel registers.
  //
  // Each (row, block) runs the epilogue on locals of its own, and the units' statements are
  // interleaved: one unit's activations form a chain ~150 cycles long that 4 FP pipes would finish
  // in ~40, and with them interleaved the core has the chains of all the units in flight at once.
  const unitLocals = [
    ...TEMPS,
    ...fields.map((f) => `$f_${f}`),
    ...[...locals.matchAll(/\(local (\$\w+) v128\)/g)].map((m) => m[1]),
  ];
  const unit = (r, j) => {
    const text =
      loadFields(r) +
      epilogue({
        acc: (g) => `(local.get $c${r}_${j * gates + g})`,
        field: (name, gate = 0) => offset(name, gate, j),
        // A store into the BPTT workspace, left out by the inference variants (no such field).
        workspace: (name, local, gate = 0) =>
          fields.includes(name) ? `(v128.store ${offset(name, gate, j)} (local.get ${local}))` : '',
        vec: (pointer, gate = 0) =>
          `(v128.load offset=${16 * j} (i32.add (local.get $${pointer}) ${gate === 0 ? '(local.get $qo)' : `(i32.add (local.get $qo) ${gateOffset[gate]})`}))`,
      });
    return statements(withSuffix(text, unitLocals, `_${r}_${j}`));
  };
  const finish = (rows) =>
    (activations ? CONSTANT_INIT : '') +
    interleave(Array.from({ length: rows * blocks }, (_, u) => unit(Math.floor(u / blocks), u % blocks)));
  const declared = Array.from({ length: 2 * blocks }, (_, u) =>
    unitLocals
      .map((l) => {
        const type = l.startsWith('$f_') ? 'i32' : 'v128';
        return `(local ${l}_${Math.floor(u / blocks)}_${u % blocks} ${type})`;
      })
      .join(' '),
  ).join('\n    ');
  return `
  (func (export "${name}") (param $table i32) (param $count i32) (param $w i32) (param $panels i32) (param $K i32) ${strided ? '(param $ak i32) (param $wk i32) (param $wpanel i32)' : '(param $gb i32)'} ${params.map((p) => `(param $${p} i32)`).join(' ')}
    (local $p i32) (local $q i32) (local $qo i32) (local $panel i32) (local $wp i32) (local $k i32)
    (local $t0 i32) (local $t1 i32) (local $a0 i32) (local $a1 i32) (local $s v128) ${accLocals} ${panelLocals}
    (local $gb2 i32) (local $gb3 i32)
    ${declared}
    ${CONSTANT_LOCALS}
    (if (i32.or (i32.le_s (local.get $count) (i32.const 0)) (i32.le_s (local.get $K) (i32.const 0))) (then (return)))
    ${strided ? '' : '(local.set $gb2 (i32.shl (local.get $gb) (i32.const 1))) (local.set $gb3 (i32.mul (local.get $gb) (i32.const 3)))'}
    (local.set $panel (local.get $w))
    (block $done (loop $panelLoop
      (br_if $done (i32.ge_u (local.get $q) (local.get $panels)))
      (local.set $p (i32.const 0))
      (block $rowsDone (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $count)))
        (local.set $t0 (i32.add (local.get $table) (i32.mul (local.get $p) (i32.const ${stride}))))
        (if (i32.lt_u (i32.add (local.get $p) (i32.const 1)) (local.get $count))
          (then
            (local.set $t1 (i32.add (local.get $t0) (i32.const ${stride})))
            ${product(2)}${finish(2)}
            (local.set $p (i32.add (local.get $p) (i32.const 2))))
          (else
            ${product(1)}${finish(1)}
            (local.set $p (i32.add (local.get $p) (i32.const 1)))))
        (br $rowLoop)))
      (local.set $panel (i32.add (local.get $panel) ${strided ? '(local.get $wpanel)' : `(i32.mul (local.get $K) (i32.const ${16 * vectors}))`}))
      (local.set $qo (i32.add (local.get $qo) (i32.const ${16 * blocks})))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $panelLoop))))`;
}

/** LSTM cell on one block: gate pre-activations = product + input projection; states c, h and outputs. */
const lstmCell = ({ acc, field, workspace }) => `${sigmoid(
  '$i',
  add(acc(0), `(v128.load ${field('x')})`),
)}${sigmoid('$f', add(acc(1), `(v128.load ${field('x', 1)})`))}${tanh(
  '$gg',
  add(acc(2), `(v128.load ${field('x', 2)})`),
)}${sigmoid('$o', add(acc(3), `(v128.load ${field('x', 3)})`))}
        (local.set $cn ${add(mul(get('f'), `(v128.load ${field('c')})`), mul(get('i'), get('gg')))})${tanh(
          '$hn',
          get('cn'),
        )}
        (local.set $hn ${mul(get('o'), get('hn'))})
        (v128.store ${field('c')} (local.get $cn)) (v128.store ${field('h')} (local.get $hn)) (v128.store ${field('y')} (local.get $hn))
        ${workspace('cells', '$cn')} ${workspace('g', '$i')} ${workspace('g', '$f', 1)} ${workspace('g', '$gg', 2)} ${workspace('g', '$o', 3)}`;

const LSTM_LOCALS =
  '(local $i v128) (local $f v128) (local $gg v128) (local $o v128) (local $cn v128) (local $hn v128)';
const GRU_LOCALS = '(local $rr v128) (local $z v128) (local $hn v128) (local $nn v128) (local $hv v128)';

/** GRU cell on one block (b_hh in `b`): workspace w = [r, z, n, hn]. */
const gruCell = ({ acc, field, vec, workspace }) => `${sigmoid(
  '$rr',
  add(add(acc(0), `(v128.load ${field('x')})`), vec('b')),
)}${sigmoid('$z', add(add(acc(1), `(v128.load ${field('x', 1)})`), vec('b', 1)))}
        (local.set $hn ${add(acc(2), vec('b', 2))})${tanh(
          '$nn',
          add(`(v128.load ${field('x', 2)})`, mul(get('rr'), get('hn'))),
        )}
        (local.set $hv ${add(mul(sub(k('one'), get('z')), get('nn')), mul(get('z'), `(v128.load ${field('hp')})`))})
        (v128.store ${field('h')} (local.get $hv)) (v128.store ${field('y')} (local.get $hv))
        ${workspace('w', '$rr')} ${workspace('w', '$z', 1)} ${workspace('w', '$nn', 2)} ${workspace('w', '$hn', 3)}`;

/** Elman cell on one block: h = y = act(product + input projection). */
const rnnCell =
  (activation) =>
  ({ acc, field }) => `${
    activation === 'tanh'
      ? tanh('$v', add(acc(0), `(v128.load ${field('x')})`))
      : `\n        (local.set $v (f32x4.pmax ${add(acc(0), `(v128.load ${field('x')})`)} (v128.const f32x4 0 0 0 0)))`
  }
        (v128.store ${field('h')} (local.get $v)) (v128.store ${field('y')} (local.get $v))`;

const source = (memory) => `(module
  (import "env" "memory" ${memory})
  ;; LSTM rows: pre-activations x (input projection) + r (recurrent product), gate blocks i, f, g, o;
  ;; updates the states c, h and writes cells, y and the activated gates.
  ${kernel(
    'lstm_row',
    { x: 4, r: 4, c: 1, h: 1, cells: 1, y: 1, g: 4 },
    '(local $i v128) (local $f v128) (local $gg v128) (local $o v128) (local $cn v128) (local $hn v128)',
    `${sigmoid('$i', add(load('x'), load('r')))}${sigmoid('$f', add(load('x', 1), load('r', 1)))}${tanh(
      '$gg',
      add(load('x', 2), load('r', 2)),
    )}${sigmoid('$o', add(load('x', 3), load('r', 3)))}
        (local.set $cn ${add(mul(get('f'), load('c')), mul(get('i'), get('gg')))})${tanh('$hn', get('cn'))}
        (local.set $hn ${mul(get('o'), get('hn'))})${store(
          'c',
          get('cn'),
        )}${store('h', get('hn'))}${store('cells', get('cn'))}${store('y', get('hn'))}${store(
          'g',
          get('i'),
        )}${store('g', get('f'), 1)}${store('g', get('gg'), 2)}${store('g', get('o'), 3)}`,
  )}

  ;; Fused steps (recurrent product + cell), rows listed in a table: see stepKernel.
  ;; The _inference variants write no BPTT workspace (gates, cell states): forward passes no gradient
  ;; is recorded for.
  ${stepKernel('lstm_step', { gates: 4, blocks: 1, fields: ['hp', 'x', 'c', 'h', 'y', 'cells', 'g'], locals: LSTM_LOCALS }, lstmCell)}
  ${stepKernel('lstm_step_inference', { gates: 4, blocks: 1, fields: ['hp', 'x', 'c', 'h', 'y'], locals: LSTM_LOCALS }, lstmCell)}
  ${stepKernel('gru_step', { gates: 3, blocks: 1, fields: ['hp', 'x', 'h', 'y', 'w'], params: ['b'], locals: GRU_LOCALS }, gruCell)}
  ${stepKernel('gru_step_inference', { gates: 3, blocks: 1, fields: ['hp', 'x', 'h', 'y'], params: ['b'], locals: GRU_LOCALS }, gruCell)}
  ${stepKernel('rnn_tanh_step', { gates: 1, blocks: 4, fields: ['hp', 'x', 'h', 'y'], locals: '(local $v v128)' }, rnnCell('tanh'))}
  ${stepKernel('rnn_relu_step', { gates: 1, blocks: 4, fields: ['hp', 'x', 'h', 'y'], locals: '(local $v v128)' }, rnnCell('relu'))}
  ;; Products on the same loops, out = a W over the rows of a table [a, out]: a row's K elements are
  ;; $ak bytes apart, W [K, N] in panels of 16 columns, a panel's rows $wk bytes apart and panels
  ;; $wpanel bytes apart (pack_panels' layout: 64 and K * 64). BPTT's step product dh = dGates W_hh,
  ;; the weight gradients dW = dGates^T h, and the input projections x W_ih^T + b (matmul_rows_bias:
  ;; out = a W + bias). matmul_rows_add adds to out instead.
  ${stepKernel(
    'matmul_rows',
    { gates: 1, blocks: 4, fields: ['a', 'out'], activations: false, strided: true },
    ({ acc, field }) => `
        (v128.store ${field('out')} ${acc(0)})`,
  )}
  ${stepKernel(
    'matmul_rows_bias',
    { gates: 1, blocks: 4, fields: ['a', 'out'], params: ['bias'], activations: false, strided: true },
    ({ acc, field, vec }) => `
        (v128.store ${field('out')} (f32x4.add ${acc(0)} ${vec('bias')}))`,
  )}
  ${stepKernel(
    'matmul_rows_add',
    { gates: 1, blocks: 4, fields: ['a', 'out'], activations: false, strided: true },
    ({ acc, field }) => `
        (v128.store ${field('out')} (f32x4.add (v128.load ${field('out')}) ${acc(0)}))`,
  )}

  ;; GRU rows: r, z = sigmoid(x + rec + b), hn = rec_n + b_n, n = tanh(x_n + r hn),
  ;; h' = (1 - z) n + z h; workspace row w = [r, z, n, hn].
  ${kernel(
    'gru_row',
    { x: 3, r: 3, b: 0, h: 1, y: 1, w: 4 },
    '(local $rr v128) (local $z v128) (local $hn v128) (local $nn v128) (local $hv v128)',
    `${sigmoid('$rr', add(add(load('x'), load('r')), load('b')))}${sigmoid(
      '$z',
      add(add(load('x', 1), load('r', 1)), load('b', 1)),
    )}
        (local.set $hn ${add(load('r', 2), load('b', 2))})${tanh(
          '$nn',
          add(load('x', 2), mul(get('rr'), get('hn'))),
        )}
        (local.set $hv ${add(mul(sub(k('one'), get('z')), get('nn')), mul(get('z'), load('h')))})${store(
          'h',
          get('hv'),
        )}${store('y', get('hv'))}${store(
          'w',
          get('rr'),
        )}${store('w', get('z'), 1)}${store('w', get('nn'), 2)}${store('w', get('hn'), 3)}`,
  )}

  ;; tanh-RNN rows: h = y = tanh(x + rec).
  ${kernel(
    'rnn_tanh_row',
    { x: 1, r: 1, h: 1, y: 1 },
    '(local $v v128)',
    `${tanh('$v', add(load('x'), load('r')))}${store('h', get('v'))}${store('y', get('v'))}`,
  )}

  ;; LSTM BPTT rows: from the saved gates (i, f, g, o), c_t (cell), c_{t-1} (cp), h_{t-1} (hp), the
  ;; carried dh, dc and this step's dy: writes hPrev, the pre-activation gate gradients to dGates
  ;; and to the step buffer dg, and the carried dc * f.
  ${kernel(
    'lstm_grad_row',
    { hp: 1, cp: 1, hprev: 1, g: 4, cell: 1, dh: 1, dy: 1, dc: 1, dgates: 4, dg: 4 },
    '(local $i v128) (local $f v128) (local $gg v128) (local $o v128) (local $tc v128) (local $dht v128) (local $dct v128) (local $v v128)',
    `${store('hprev', load('hp'))}
        (local.set $i ${load('g')})
        (local.set $f ${load('g', 1)})
        (local.set $gg ${load('g', 2)})
        (local.set $o ${load('g', 3)})${tanh('$tc', load('cell'))}
        (local.set $dht ${add(load('dh'), load('dy'))})
        (local.set $dct ${add(load('dc'), mul(mul(get('dht'), get('o')), sub(k('one'), mul(get('tc'), get('tc')))))})
        ;; di = dct g i (1 - i), df = dct c_{t-1} f (1 - f), dg = dct i (1 - g^2), do = dht tanh(c) o (1 - o)
        (local.set $v ${mul(mul(get('dct'), get('gg')), mul(get('i'), sub(k('one'), get('i'))))})${store('dgates', get('v'))}${store('dg', get('v'))}
        (local.set $v ${mul(mul(get('dct'), load('cp')), mul(get('f'), sub(k('one'), get('f'))))})${store('dgates', get('v'), 1)}${store('dg', get('v'), 1)}
        (local.set $v ${mul(mul(get('dct'), get('i')), sub(k('one'), mul(get('gg'), get('gg'))))})${store('dgates', get('v'), 2)}${store('dg', get('v'), 2)}
        (local.set $v ${mul(mul(get('dht'), get('tc')), mul(get('o'), sub(k('one'), get('o'))))})${store('dgates', get('v'), 3)}${store('dg', get('v'), 3)}${store(
          'dc',
          mul(get('dct'), get('f')),
        )}`,
  )}

  ;; GRU BPTT rows: from the saved workspace w = [r, z, n, hn], h_{t-1} (hp), the carried dh and this
  ;; step's dy: writes hPrev, the input-side gate gradients dXp = [dr, dz, dn], the recurrent-side ones
  ;; dHp = [dr, dz, dn r] and the same into the step buffer dg, and carries dh z (the direct path).
  ${kernel(
    'gru_grad_row',
    { hp: 1, hprev: 1, w: 4, dh: 1, dy: 1, dxp: 3, dhp: 3, dg: 3 },
    '(local $r v128) (local $z v128) (local $n v128) (local $hv v128) (local $dht v128) (local $dn v128) (local $v v128)',
    `
        (local.set $hv ${load('hp')})${store('hprev', get('hv'))}
        (local.set $r ${load('w')})
        (local.set $z ${load('w', 1)})
        (local.set $n ${load('w', 2)})
        (local.set $dht ${add(load('dh'), load('dy'))})
        ;; dn = dht (1 - z) (1 - n^2), dz = dht (h_{t-1} - n) z (1 - z), dr = dn hn r (1 - r)
        (local.set $dn ${mul(mul(get('dht'), sub(k('one'), get('z'))), sub(k('one'), mul(get('n'), get('n'))))})
        (local.set $v ${mul(mul(mul(get('dn'), load('w', 3)), get('r')), sub(k('one'), get('r')))})${store(
          'dxp',
          get('v'),
        )}${store('dhp', get('v'))}${store('dg', get('v'))}
        (local.set $v ${mul(mul(mul(get('dht'), sub(get('hv'), get('n'))), get('z')), sub(k('one'), get('z')))})${store(
          'dxp',
          get('v'),
          1,
        )}${store('dhp', get('v'), 1)}${store('dg', get('v'), 1)}${store('dxp', get('dn'), 2)}
        (local.set $v ${mul(get('dn'), get('r'))})${store('dhp', get('v'), 2)}${store('dg', get('v'), 2)}${store(
          'dh',
          mul(get('dht'), get('z')),
        )}`,
  )}

  ;; Elman RNN BPTT rows: from h_t (y), h_{t-1} (hp), the carried dh and this step's dy: writes hPrev
  ;; and the pre-activation gradient to dPre and to the step buffer ds: (dh + dy)(1 - h^2) for tanh,
  ;; (dh + dy)[h > 0] for relu.
  ${kernel(
    'rnn_tanh_grad_row',
    { y: 1, hp: 1, hprev: 1, dh: 1, dy: 1, dpre: 1, ds: 1 },
    '(local $hv v128) (local $v v128)',
    `${store('hprev', load('hp'))}
        (local.set $hv ${load('y')})
        (local.set $v ${mul(add(load('dh'), load('dy')), sub(k('one'), mul(get('hv'), get('hv'))))})${store(
          'dpre',
          get('v'),
        )}${store('ds', get('v'))}`,
  )}
  ${kernel(
    'rnn_relu_grad_row',
    { y: 1, hp: 1, hprev: 1, dh: 1, dy: 1, dpre: 1, ds: 1 },
    '(local $v v128)',
    `${store('hprev', load('hp'))}
        (local.set $v (v128.and ${add(load('dh'), load('dy'))} (f32x4.gt ${load('y')} (v128.const f32x4 0 0 0 0))))${store(
          'dpre',
          get('v'),
        )}${store('ds', get('v'))}`,
  )}

  ;; Column sums of rows * n4 floats: acc[j] += x[row][j] for every row (acc is not cleared).
  ${kernel('column_sums', { x: 1, acc: 0 }, '', `${store('acc', add(load('acc'), load('x')))}`)}

  ;; Transpose (4 x 4 blocks by shuffles): src [rows, cols] with rows srcStride bytes apart into dst
  ;; [cols, rows] with rows dstStride bytes apart; rows and cols multiples of 4.
  (func (export "transpose") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $srcStride i32) (param $dstStride i32)
    (local $i i32) (local $j i32) (local $s i32) (local $d i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (block $done (loop $rowBlocks
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $rowDone (loop $colBlocks
        (br_if $rowDone (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $s (i32.add (local.get $src) (i32.add (i32.mul (local.get $i) (local.get $srcStride)) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $r0 (v128.load (local.get $s)))
        (local.set $r1 (v128.load (i32.add (local.get $s) (local.get $srcStride))))
        (local.set $r2 (v128.load (i32.add (local.get $s) (i32.shl (local.get $srcStride) (i32.const 1)))))
        (local.set $r3 (v128.load (i32.add (local.get $s) (i32.mul (local.get $srcStride) (i32.const 3)))))
        ;; t0 = (r0.0 r1.0 r0.1 r1.1), t1 = (r0.2 r1.2 r0.3 r1.3), t2, t3 the same of r2, r3
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $d (i32.add (local.get $dst) (i32.add (i32.mul (local.get $j) (local.get $dstStride)) (i32.shl (local.get $i) (i32.const 2)))))
        (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $d) (local.get $dstStride)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $d) (i32.shl (local.get $dstStride) (i32.const 1))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (v128.store (i32.add (local.get $d) (i32.mul (local.get $dstStride) (i32.const 3))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $colBlocks)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rowBlocks))))

  ;; Panels of 16 columns: src [rows, cols] (rows srcStride bytes apart, cols a multiple of 16) into dst
  ;; as cols / 16 panels of [rows, 16], one after the other (the matmul kernels' packed layout).
  (func (export "pack_panels") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $srcStride i32)
    (local $p i32) (local $r i32) (local $s i32)
    (block $done (loop $panels
      (br_if $done (i32.ge_u (local.get $p) (local.get $cols)))
      (local.set $s (i32.add (local.get $src) (i32.shl (local.get $p) (i32.const 2))))
      (local.set $r (local.get $rows))
      (block $rowsDone (loop $rowLoop
        (br_if $rowsDone (i32.le_s (local.get $r) (i32.const 0)))
        (v128.store (local.get $dst) (v128.load (local.get $s)))
        (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $s)))
        (v128.store offset=32 (local.get $dst) (v128.load offset=32 (local.get $s)))
        (v128.store offset=48 (local.get $dst) (v128.load offset=48 (local.get $s)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (local.set $s (i32.add (local.get $s) (local.get $srcStride)))
        (local.set $r (i32.sub (local.get $r) (i32.const 1)))
        (br $rowLoop)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $panels))))

  ;; Row gather (GATHER_ROWS): dst row i = src row ids[i], rowBytes each, by memory.copy. Returns -1, or
  ;; the position of the first index outside [0, rows) (the rows before it are copied).
  (func (export "gather_rows") (param $src i32) (param $ids i32) (param $count i32) (param $rowBytes i32) (param $dst i32) (param $rows i32) (result i32)
    (local $i i32) (local $r i32)
    (block $end (loop $next
      (br_if $end (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $r (i32.load (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2)))))
      ;; unsigned: a negative index is out of range too
      (if (i32.ge_u (local.get $r) (local.get $rows)) (then (return (local.get $i))))
      (memory.copy
        (i32.add (local.get $dst) (i32.mul (local.get $i) (local.get $rowBytes)))
        (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $rowBytes)))
        (local.get $rowBytes))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i32.const -1))

  ;; Elementwise over rows * n4 floats (test hooks for the approximations): out = sigmoid(x) or tanh(x).
  ${kernel('sigmoid_n', { x: 1, o: 1 }, '(local $v v128)', `${sigmoid('$v', load('x'))}${store('o', get('v'))}`)}
  ${kernel('tanh_n', { x: 1, o: 1 }, '(local $v v128)', `${tanh('$v', load('x'))}${store('o', get('v'))}`)}
)
`;
// Two builds: for the plain memory of tfjs-backend-wasm's SIMD binary, and for the shared memory
// (maximum 4 GiB) of its threaded-SIMD binary.
writeWatModules({
  generator: import.meta.url,
  out: new URL('./simd_gates_bytes.ts', import.meta.url),
  modules: [
    { constant: 'SIMD_GATES_WASM_BASE64', wat: source('(memory 1)') },
    { constant: 'SIMD_GATES_SHARED_MEMORY_WASM_BASE64', wat: source('(memory 1 65536 shared)') },
  ],
});
