// Source of the WebAssembly SIMD gate kernels (simd_gates_bytes.ts is generated from it).
// Regenerate: npm i --no-save --prefix /tmp/wabt wabt@1.0.39 && WABT=/tmp/wabt/node_modules/wabt \
//   node packages/rnn-layers/src/ops/wasm/simd_gates.build.mjs
// The kernels import tfjs-backend-wasm's own memory and work on its heap in place. Only the gate
// nonlinearities are here (the matmuls stay in XNNPACK); one call does one batch row of one step.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const f4 = (v) => `(v128.const f32x4 ${v} ${v} ${v} ${v})`;
const source = (memory) => `(module
  (import "env" "memory" ${memory})
  ;; exp(x) for f32x4 (Cephes expf: 2^n * p(r), r = x - n ln2 in two parts; x clamped so 2^n stays normal).
  (func $exp (param $x v128) (result v128) (local $fx v128) (local $y v128)
    (local.set $x (f32x4.max (f32x4.min (local.get $x) ${f4('88.0')}) ${f4('-87.0')}))
    (local.set $fx (f32x4.nearest (f32x4.mul (local.get $x) ${f4('1.44269504088896341')})))
    (local.set $x (f32x4.sub (local.get $x) (f32x4.mul (local.get $fx) ${f4('0.693359375')})))
    (local.set $x (f32x4.sub (local.get $x) (f32x4.mul (local.get $fx) ${f4('-2.12194440e-4')})))
    (local.set $y ${f4('1.9875691500e-4')})
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) ${f4('1.3981999507e-3')}))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) ${f4('8.3334519073e-3')}))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) ${f4('4.1665795894e-2')}))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) ${f4('1.6666665459e-1')}))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) ${f4('5.0000001201e-1')}))
    (local.set $y (f32x4.add (f32x4.add (f32x4.mul (local.get $y) (f32x4.mul (local.get $x) (local.get $x))) (local.get $x)) ${f4('1.0')}))
    (f32x4.mul (local.get $y)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $fx)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
  (func $sigmoid (param $x v128) (result v128)
    (f32x4.div ${f4('1.0')} (f32x4.add ${f4('1.0')} (call $exp (f32x4.neg (local.get $x))))))
  ;; tanh(x) = 1 - 2 / (exp(2x) + 1): absolute error ~1e-7 near 0, exact saturation far out.
  (func $tanh (param $x v128) (result v128)
    (f32x4.sub ${f4('1.0')} (f32x4.div ${f4('2.0')} (f32x4.add (call $exp (f32x4.add (local.get $x) (local.get $x))) ${f4('1.0')}))))

  ;; One LSTM row, n4 elements (a multiple of 4) of each gate; gb = H * 4 bytes between gate blocks.
  ;; All arguments are byte addresses in memory.
  (func (export "lstm_row") (param $x i32) (param $r i32) (param $c i32) (param $h i32) (param $cells i32) (param $y i32) (param $g i32) (param $gb i32) (param $n4 i32)
    (local $j i32) (local $i v128) (local $f v128) (local $gg v128) (local $o v128) (local $cn v128) (local $hn v128)
    (local $xj i32) (local $rj i32) (local $gj i32) (local $sj i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n4)))
      (local.set $xj (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $rj (i32.add (local.get $r) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $gj (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $sj (i32.shl (local.get $j) (i32.const 2)))
      (local.set $i (call $sigmoid (f32x4.add (v128.load (local.get $xj)) (v128.load (local.get $rj)))))
      (local.set $xj (i32.add (local.get $xj) (local.get $gb)))
      (local.set $rj (i32.add (local.get $rj) (local.get $gb)))
      (local.set $f (call $sigmoid (f32x4.add (v128.load (local.get $xj)) (v128.load (local.get $rj)))))
      (local.set $xj (i32.add (local.get $xj) (local.get $gb)))
      (local.set $rj (i32.add (local.get $rj) (local.get $gb)))
      (local.set $gg (call $tanh (f32x4.add (v128.load (local.get $xj)) (v128.load (local.get $rj)))))
      (local.set $xj (i32.add (local.get $xj) (local.get $gb)))
      (local.set $rj (i32.add (local.get $rj) (local.get $gb)))
      (local.set $o (call $sigmoid (f32x4.add (v128.load (local.get $xj)) (v128.load (local.get $rj)))))
      (local.set $cn (f32x4.add (f32x4.mul (local.get $f) (v128.load (i32.add (local.get $c) (local.get $sj)))) (f32x4.mul (local.get $i) (local.get $gg))))
      (local.set $hn (f32x4.mul (local.get $o) (call $tanh (local.get $cn))))
      (v128.store (i32.add (local.get $c) (local.get $sj)) (local.get $cn))
      (v128.store (i32.add (local.get $h) (local.get $sj)) (local.get $hn))
      (v128.store (i32.add (local.get $cells) (local.get $sj)) (local.get $cn))
      (v128.store (i32.add (local.get $y) (local.get $sj)) (local.get $hn))
      (v128.store (local.get $gj) (local.get $i))
      (local.set $gj (i32.add (local.get $gj) (local.get $gb)))
      (v128.store (local.get $gj) (local.get $f))
      (local.set $gj (i32.add (local.get $gj) (local.get $gb)))
      (v128.store (local.get $gj) (local.get $gg))
      (local.set $gj (i32.add (local.get $gj) (local.get $gb)))
      (v128.store (local.get $gj) (local.get $o))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $next))))

  ;; One GRU row: r, z = sigmoid(x + rec + b), hn = rec_n + b_n, n = tanh(x_n + r hn),
  ;; h' = (1 - z) n + z h; workspace row [r, z, n, hn] (gate blocks gb bytes apart there too).
  (func (export "gru_row") (param $x i32) (param $r i32) (param $b i32) (param $h i32) (param $y i32) (param $w i32) (param $gb i32) (param $n4 i32)
    (local $j i32) (local $rr v128) (local $z v128) (local $hn v128) (local $nn v128) (local $hv v128)
    (local $xj i32) (local $rj i32) (local $bj i32) (local $wj i32) (local $sj i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n4)))
      (local.set $sj (i32.shl (local.get $j) (i32.const 2)))
      (local.set $xj (i32.add (local.get $x) (local.get $sj)))
      (local.set $rj (i32.add (local.get $r) (local.get $sj)))
      (local.set $bj (i32.add (local.get $b) (local.get $sj)))
      (local.set $wj (i32.add (local.get $w) (local.get $sj)))
      (local.set $rr (call $sigmoid (f32x4.add (f32x4.add (v128.load (local.get $xj)) (v128.load (local.get $rj))) (v128.load (local.get $bj)))))
      (local.set $xj (i32.add (local.get $xj) (local.get $gb)))
      (local.set $rj (i32.add (local.get $rj) (local.get $gb)))
      (local.set $bj (i32.add (local.get $bj) (local.get $gb)))
      (local.set $z (call $sigmoid (f32x4.add (f32x4.add (v128.load (local.get $xj)) (v128.load (local.get $rj))) (v128.load (local.get $bj)))))
      (local.set $xj (i32.add (local.get $xj) (local.get $gb)))
      (local.set $rj (i32.add (local.get $rj) (local.get $gb)))
      (local.set $bj (i32.add (local.get $bj) (local.get $gb)))
      (local.set $hn (f32x4.add (v128.load (local.get $rj)) (v128.load (local.get $bj))))
      (local.set $nn (call $tanh (f32x4.add (v128.load (local.get $xj)) (f32x4.mul (local.get $rr) (local.get $hn)))))
      (local.set $hv (v128.load (i32.add (local.get $h) (local.get $sj))))
      (local.set $hv (f32x4.add (f32x4.mul (f32x4.sub ${f4('1.0')} (local.get $z)) (local.get $nn)) (f32x4.mul (local.get $z) (local.get $hv))))
      (v128.store (i32.add (local.get $h) (local.get $sj)) (local.get $hv))
      (v128.store (i32.add (local.get $y) (local.get $sj)) (local.get $hv))
      (v128.store (local.get $wj) (local.get $rr))
      (local.set $wj (i32.add (local.get $wj) (local.get $gb)))
      (v128.store (local.get $wj) (local.get $z))
      (local.set $wj (i32.add (local.get $wj) (local.get $gb)))
      (v128.store (local.get $wj) (local.get $nn))
      (local.set $wj (i32.add (local.get $wj) (local.get $gb)))
      (v128.store (local.get $wj) (local.get $hn))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $next))))

  ;; One tanh-RNN row: h = y = tanh(x + rec).
  (func (export "rnn_tanh_row") (param $x i32) (param $r i32) (param $h i32) (param $y i32) (param $n4 i32)
    (local $j i32) (local $sj i32) (local $v v128)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n4)))
      (local.set $sj (i32.shl (local.get $j) (i32.const 2)))
      (local.set $v (call $tanh (f32x4.add (v128.load (i32.add (local.get $x) (local.get $sj))) (v128.load (i32.add (local.get $r) (local.get $sj))))))
      (v128.store (i32.add (local.get $h) (local.get $sj)) (local.get $v))
      (v128.store (i32.add (local.get $y) (local.get $sj)) (local.get $v))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $next))))

  ;; One LSTM BPTT row: from the saved gates (i, f, g, o blocks gb bytes apart), c_t (cell), c_{t-1}
  ;; (cp), h_{t-1} (hp), the carried dh, dc and this step's dy: writes hPrev, the pre-activation gate
  ;; gradients to dGates and to the step buffer dg (both in gate blocks), and the carried dc * f.
  (func (export "lstm_grad_row") (param $hp i32) (param $cp i32) (param $hprev i32) (param $g i32) (param $cell i32)
    (param $dh i32) (param $dy i32) (param $dc i32) (param $dgates i32) (param $dg i32) (param $gb i32) (param $n4 i32)
    (local $j i32) (local $sj i32) (local $gj i32) (local $i v128) (local $f v128) (local $gg v128) (local $o v128)
    (local $tc v128) (local $dht v128) (local $dct v128) (local $v v128) (local $oj i32) (local $dj i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n4)))
      (local.set $sj (i32.shl (local.get $j) (i32.const 2)))
      (v128.store (i32.add (local.get $hprev) (local.get $sj)) (v128.load (i32.add (local.get $hp) (local.get $sj))))
      (local.set $gj (i32.add (local.get $g) (local.get $sj)))
      (local.set $i (v128.load (local.get $gj)))
      (local.set $f (v128.load (i32.add (local.get $gj) (local.get $gb))))
      (local.set $gg (v128.load (i32.add (local.get $gj) (i32.shl (local.get $gb) (i32.const 1)))))
      (local.set $o (v128.load (i32.add (local.get $gj) (i32.mul (local.get $gb) (i32.const 3)))))
      (local.set $tc (call $tanh (v128.load (i32.add (local.get $cell) (local.get $sj)))))
      (local.set $dht (f32x4.add (v128.load (i32.add (local.get $dh) (local.get $sj))) (v128.load (i32.add (local.get $dy) (local.get $sj)))))
      (local.set $dct (f32x4.add (v128.load (i32.add (local.get $dc) (local.get $sj)))
        (f32x4.mul (f32x4.mul (local.get $dht) (local.get $o)) (f32x4.sub ${f4('1.0')} (f32x4.mul (local.get $tc) (local.get $tc))))))
      (local.set $oj (i32.add (local.get $dgates) (local.get $sj)))
      (local.set $dj (i32.add (local.get $dg) (local.get $sj)))
      ;; di = dct g i (1 - i)
      (local.set $v (f32x4.mul (f32x4.mul (local.get $dct) (local.get $gg)) (f32x4.mul (local.get $i) (f32x4.sub ${f4('1.0')} (local.get $i)))))
      (v128.store (local.get $oj) (local.get $v))
      (v128.store (local.get $dj) (local.get $v))
      ;; df = dct c_{t-1} f (1 - f)
      (local.set $v (f32x4.mul (f32x4.mul (local.get $dct) (v128.load (i32.add (local.get $cp) (local.get $sj)))) (f32x4.mul (local.get $f) (f32x4.sub ${f4('1.0')} (local.get $f)))))
      (local.set $oj (i32.add (local.get $oj) (local.get $gb)))
      (local.set $dj (i32.add (local.get $dj) (local.get $gb)))
      (v128.store (local.get $oj) (local.get $v))
      (v128.store (local.get $dj) (local.get $v))
      ;; dg = dct i (1 - g^2)
      (local.set $v (f32x4.mul (f32x4.mul (local.get $dct) (local.get $i)) (f32x4.sub ${f4('1.0')} (f32x4.mul (local.get $gg) (local.get $gg)))))
      (local.set $oj (i32.add (local.get $oj) (local.get $gb)))
      (local.set $dj (i32.add (local.get $dj) (local.get $gb)))
      (v128.store (local.get $oj) (local.get $v))
      (v128.store (local.get $dj) (local.get $v))
      ;; do = dht tanh(c) o (1 - o)
      (local.set $v (f32x4.mul (f32x4.mul (local.get $dht) (local.get $tc)) (f32x4.mul (local.get $o) (f32x4.sub ${f4('1.0')} (local.get $o)))))
      (local.set $oj (i32.add (local.get $oj) (local.get $gb)))
      (local.set $dj (i32.add (local.get $dj) (local.get $gb)))
      (v128.store (local.get $oj) (local.get $v))
      (v128.store (local.get $dj) (local.get $v))
      (v128.store (i32.add (local.get $dc) (local.get $sj)) (f32x4.mul (local.get $dct) (local.get $f)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $next))))

  ;; Elementwise over n4 floats (test hook for the approximations): out = sigmoid(x) or tanh(x).
  (func (export "sigmoid_n") (param $x i32) (param $o i32) (param $n4 i32) (local $j i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n4)))
      (v128.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))) (call $sigmoid (v128.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $next))))
  (func (export "tanh_n") (param $x i32) (param $o i32) (param $n4 i32) (local $j i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n4)))
      (v128.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))) (call $tanh (v128.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $next))))
)
`;
const wabt = await createRequire(import.meta.url)(process.env.WABT ?? 'wabt')();
function assemble(wat) {
  const module = wabt.parseWat('simd_gates.wat', wat, { simd: true, threads: true });
  // wabt.js's validate() ignores the threads feature (rejects shared memory): V8 validates instead.
  const bytes = Buffer.from(module.toBinary({}).buffer);
  if (!WebAssembly.validate(bytes)) throw new Error('simd_gates.build: the assembled module does not validate');
  return bytes;
}
// Two builds: for the plain memory of tfjs-backend-wasm's SIMD binary, and for the shared memory
// (maximum 4 GiB) of its threaded-SIMD binary.
const plain = assemble(source('(memory 1)'));
const shared = assemble(source('(memory 1 65536 shared)'));
const out = new URL('./simd_gates_bytes.ts', import.meta.url);
writeFileSync(out, `// Generated by simd_gates.build.mjs (wabt 1.0.39): do not edit. ${plain.length} + ${shared.length} bytes.\n`
  + `export const SIMD_GATES_WASM_BASE64 =\n  '${plain.toString('base64')}';\n`
  + `export const SIMD_GATES_SHARED_MEMORY_WASM_BASE64 =\n  '${shared.toString('base64')}';\n`);
console.log(`wrote ${out.pathname}: ${plain.length} + ${shared.length} bytes`);
