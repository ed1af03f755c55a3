import type * as tf from '@tensorflow/tfjs-core';

import { fusedStepKernels, simdGates } from './simd_gates.js';
import { bpttBuffer, bpttKernels, runBpttSteps } from './wasm_bptt_steps.js';
import { runFusedSteps } from './wasm_fused_steps.js';
import { inputIndices, wasmInternals, withWorkspace } from './wasm_backend_access.js';
import {
  activeRows,
  bpttStepProduct,
  previousRow,
  recurrenceDims,
  simdRowsPerCall,
  stepRow,
  stepWeights,
  type Info,
  xnnpackStepProduct,
} from './wasm_recurrence_common.js';

// Elman RNN recurrence on the wasm heap (h' = act(xp + W_hh h)), same outputs as the JS kernel
// (cpu/rnn_recurrence.ts): y [T, B, H], hN [B, H]. With SIMD and H a multiple of 16, each step is one
// call of the fused `rnn_tanh_step` / `rnn_relu_step`. Otherwise per step one XNNPACK matmul, then
// the activation in place on the heap (tanh in SIMD where available, relu in JS). The backward
// pass runs on wasm_bptt_steps.ts where hidden is a multiple of 16, else its rows in SIMD for both
// activations and the step product in XNNPACK.

export const rnnRecurrenceWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { xp, h0 } = inputs as Record<string, Info>;
  const d = recurrenceDims(h0!, xp!.shape[0]! / Math.max(1, h0!.shape[0]!), attrs);
  const { time: T, batch: B, hidden: H } = d;
  const relu = attrs?.['activation'] === 'relu';
  return withWorkspace(be, (ws) => {
    const y = ws.output([T, B, H]);
    const hN = ws.output([B, H]);
    const h = ws.floats(B * H);
    const start = (): Float32Array => {
      const f = be.wasm.HEAPF32;
      f.copyWithin(h, at.h0!, at.h0! + B * H);
      if (d.lengths.length > 0) f.fill(0, y.at, y.at + T * B * H);
      return f;
    };
    const finish = (f: Float32Array): Info[] => {
      f.copyWithin(hN.at, h, h + B * H);
      return [y.info, hN.info];
    };
    const fused = fusedStepKernels(be);
    if (fused && H % 16 === 0) {
      const w = stepWeights(be, inputs['weightHh']!, at.weightHh!, 1, H, 4);
      start();
      runFusedSteps(be, ws, fused, d, {
        kernel: relu ? 'rnn_relu_step' : 'rnn_tanh_step',
        args: [{ at: w, size: H * H }, H / 16, H, 4 * H],
        h0: at.h0!,
        xp: at.xp!,
        xpWidth: H,
        y: y.at,
        fields: [
          { at: h, width: H, per: 'batch' },
          { at: y.at, width: H, per: 'step' },
        ],
      });
      return finish(be.wasm.HEAPF32);
    }
    const product = xnnpackStepProduct(
      be,
      ws,
      { batch: B, hidden: H, gates: 1 },
      { weightHh: at.weightHh!, h },
    );
    const rec = product.rec;
    const simd = relu ? null : simdGates(be);
    let f = start();
    const x = at.xp!;
    const rows = new Int32Array(B);
    const n4 = simd ? H & ~3 : 0; // the SIMD kernel's share of each row; JS does the rest
    for (let s = 0; s < T; s++) {
      const n = activeRows(d, s, rows);
      if (n === 0) break;
      product.run();
      f = be.wasm.HEAPF32; // XNNPACK may have grown the memory (new buffer)
      const perCall = simdRowsPerCall(d, s, n, simd);
      for (let a = 0; a < n; a++) {
        const b = rows[a]!;
        const row = stepRow(d, s, b);
        const xo = x + row * H;
        const ro = rec + b * H;
        const so = h + b * H;
        const yo = y.at + row * H;
        if (relu) {
          for (let j = 0; j < H; j++) {
            const pre = f[xo + j]! + f[ro + j]!;
            f[so + j] = f[yo + j] = pre > 0 ? pre : 0;
          }
        } else {
          if (simd && a % perCall === 0)
            simd.rnn_tanh_row(4 * xo, 4 * ro, 4 * so, 4 * yo, 4 * H, n4, perCall);
          if (perCall === n && n4 === H) break; // that call did every row
          for (let j = n4; j < H; j++) f[so + j] = f[yo + j] = Math.tanh(f[xo + j]! + f[ro + j]!);
        }
      }
    }
    return finish(f);
  });
};

export const rnnRecurrenceGradWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { y, h0 } = inputs as Record<string, Info>;
  const d = recurrenceDims(h0!, y!.shape[0]!, attrs);
  const { time: T, batch: B, hidden: H } = d;
  const relu = attrs?.['activation'] === 'relu';
  return withWorkspace(be, (ws) => {
    const dPre = ws.output([T * B, H]);
    const hPrev = ws.output([T * B, H]);
    const dh0 = ws.output([B, H]);
    const dh = ws.floats(B * H);
    const dStep = ws.floats(B * H);
    let f = be.wasm.HEAPF32;
    const [dyAt, yAt, h0At] = [at.dy!, at.y!, at.h0!];
    f.copyWithin(dh, at.dhN!, at.dhN! + B * H);
    f.fill(0, dStep, dStep + B * H); // rows of sequences not started yet (backwards) stay zero
    if (d.lengths.length > 0) {
      f.fill(0, dPre.at, dPre.at + T * B * H);
      f.fill(0, hPrev.at, hPrev.at + T * B * H);
    }
    const finish = (): Info[] => {
      be.wasm.HEAPF32.copyWithin(dh0.at, dh, dh + B * H);
      return [dPre.info, hPrev.info, dh0.info];
    };
    const fused = bpttKernels(be, H);
    if (fused) {
      const y = bpttBuffer(yAt, H, 'step', 'read');
      const dhState = bpttBuffer(dh, H, 'batch', 'both');
      const dgStep = bpttBuffer(dStep, H, 'batch', 'read');
      runBpttSteps(be, ws, fused, d, {
        rowKernel: relu ? 'rnn_relu_grad_row' : 'rnn_tanh_grad_row',
        args: [
          y,
          { previous: y, initial: bpttBuffer(h0At, H, 'batch', 'read') },
          bpttBuffer(hPrev.at, H, 'step', 'written'),
          dhState,
          bpttBuffer(dyAt, H, 'step', 'read'),
          bpttBuffer(dPre.at, H, 'step', 'written'),
          dgStep,
          4 * H,
          H,
        ],
        product: { dg: dgStep, dh: dhState, weightHh: at.weightHh!, k: H, accumulate: false },
      });
      return finish();
    }
    const product = bpttStepProduct(
      be,
      ws,
      { batch: B, k: H, hidden: H },
      { weightHh: at.weightHh!, dg: dStep, dh },
      false,
    );
    const rows = new Int32Array(B);
    const simd = simdGates(be);
    const gradRow = simd ? (relu ? simd.rnn_relu_grad_row : simd.rnn_tanh_grad_row) : null;
    const n4 = gradRow ? H & ~3 : 0; // the SIMD kernel's share of each row; JS does the rest
    for (let s = T - 1; s >= 0; s--) {
      const n = activeRows(d, s, rows);
      if (n === 0) continue;
      const perCall = simdRowsPerCall(d, s, n, gradRow, true);
      for (let a = 0; a < n; a++) {
        const b = rows[a]!;
        const row = stepRow(d, s, b);
        const prevRow = previousRow(d, s, b);
        const yo = row * H;
        const so = b * H;
        const hpAt = prevRow < 0 ? h0At! + so : yAt! + prevRow * H;
        if (gradRow && a % perCall === 0) {
          gradRow(
            4 * (yAt! + yo),
            4 * hpAt,
            4 * (hPrev.at + yo),
            4 * (dh + so),
            4 * (dyAt! + yo),
            4 * (dPre.at + yo),
            4 * (dStep + so),
            4 * H,
            n4,
            perCall,
          );
        }
        if (n4 === H) {
          if (perCall === n) break; // that call did every row
          continue;
        }
        f.copyWithin(hPrev.at + yo + n4, hpAt + n4, hpAt + H);
        for (let j = n4; j < H; j++) {
          const hv = f[yAt! + yo + j]!;
          const dht = f[dh + so + j]! + f[dyAt! + yo + j]!;
          f[dPre.at + yo + j] = f[dStep + so + j] = relu ? (hv > 0 ? dht : 0) : dht * (1 - hv * hv);
        }
      }
      product(rows, n);
      f = be.wasm.HEAPF32;
    }
    return finish();
  });
};
