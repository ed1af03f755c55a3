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

// LSTM recurrence on the wasm heap, same outputs and layouts as the JS kernel (cpu/lstm_recurrence.ts):
// y [T, B, H], hN, cN [B, H], gates (activated i, f, g, o) [T*B, 4H], cells [T*B, H]. With SIMD and
// H a multiple of 4, each step is one call of the fused `lstm_step` (recurrent product and cell,
// simd_gates.build.mjs). Otherwise per step: one XNNPACK matmul h [B, H] x W_hh^T [H, 4H], then the
// gate update in place on the heap, in SIMD where available and JS for the rest. The backward pass
// runs its rows and the step product dGates [B, 4H] x W_hh [4H, H] through the SIMD kernels
// (wasm_bptt_steps.ts) where hidden is a multiple of 16, else the rows in SIMD (JS without) and the
// product in XNNPACK (bpttStepProduct).

export const lstmRecurrenceWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { xp, h0 } = inputs as Record<string, Info>;
  const d = recurrenceDims(h0!, xp!.shape[0]! / Math.max(1, h0!.shape[0]!), attrs);
  const { time: T, batch: B, hidden: H } = d;
  const G = 4 * H;
  return withWorkspace(be, (ws) => {
    const y = ws.output([T, B, H]);
    const hN = ws.output([B, H]);
    const cN = ws.output([B, H]);
    const fused = H % 4 === 0 ? fusedStepKernels(be) : null;
    const workspaceRows = fused && attrs?.['workspace'] === false ? 0 : T * B; // no gradient: no workspace
    const gates = ws.output([workspaceRows, G]);
    const cells = ws.output([workspaceRows, H]);
    const h = ws.floats(B * H);
    const c = ws.floats(B * H);
    const start = (): Float32Array => {
      const f = be.wasm.HEAPF32;
      f.copyWithin(h, at.h0!, at.h0! + B * H);
      f.copyWithin(c, at.c0!, at.c0! + B * H);
      if (d.lengths.length > 0) {
        f.fill(0, y.at, y.at + T * B * H);
        f.fill(0, gates.at, gates.at + workspaceRows * G);
        f.fill(0, cells.at, cells.at + workspaceRows * H);
      }
      return f;
    };
    const finish = (f: Float32Array): Info[] => {
      f.copyWithin(hN.at, h, h + B * H);
      f.copyWithin(cN.at, c, c + B * H);
      return [y.info, hN.info, cN.info, gates.info, cells.info];
    };
    if (fused) {
      const w = stepWeights(be, inputs['weightHh']!, at.weightHh!, 4, H, 1);
      start();
      runFusedSteps(be, ws, fused, d, {
        kernel: workspaceRows > 0 ? 'lstm_step' : 'lstm_step_inference',
        args: [{ at: w, size: G * H }, H / 4, H, 4 * H],
        h0: at.h0!,
        xp: at.xp!,
        xpWidth: G,
        y: y.at,
        fields: [
          { at: c, width: H, per: 'batch' },
          { at: h, width: H, per: 'batch' },
          { at: y.at, width: H, per: 'step' },
          ...(workspaceRows > 0
            ? ([
                { at: cells.at, width: H, per: 'step' },
                { at: gates.at, width: G, per: 'step' },
              ] as const)
            : []),
        ],
      });
      return finish(be.wasm.HEAPF32);
    }
    const product = xnnpackStepProduct(
      be,
      ws,
      { batch: B, hidden: H, gates: 4 },
      { weightHh: at.weightHh!, h },
    );
    const rec = product.rec;
    const simd = simdGates(be);
    let f = start();
    const x = at.xp!;
    const rows = new Int32Array(B);
    const n4 = simd ? H & ~3 : 0; // the SIMD kernel's share of each row; JS does the rest
    for (let s = 0; s < T; s++) {
      const n = activeRows(d, s, rows);
      if (n === 0) break; // every sequence has ended
      product.run();
      f = be.wasm.HEAPF32; // XNNPACK may have grown the memory (new buffer)
      const perCall = simdRowsPerCall(d, s, n, simd);
      for (let a = 0; a < n; a++) {
        const b = rows[a]!;
        const row = stepRow(d, s, b);
        const xo = x + row * G;
        const go = gates.at + row * G;
        const ro = rec + b * G;
        const so = b * H;
        const yo = row * H;
        if (simd && a % perCall === 0) {
          simd.lstm_row(
            4 * xo,
            4 * ro,
            4 * (c + so),
            4 * (h + so),
            4 * (cells.at + yo),
            4 * (y.at + yo),
            4 * go,
            4 * H,
            n4,
            perCall,
          );
        }
        if (perCall === n && n4 === H) break; // that call did every row
        for (let j = n4; j < H; j++) {
          const i = 1 / (1 + Math.exp(-(f[xo + j]! + f[ro + j]!)));
          const fg = 1 / (1 + Math.exp(-(f[xo + H + j]! + f[ro + H + j]!)));
          const g = Math.tanh(f[xo + 2 * H + j]! + f[ro + 2 * H + j]!);
          const o = 1 / (1 + Math.exp(-(f[xo + 3 * H + j]! + f[ro + 3 * H + j]!)));
          const cn = fg * f[c + so + j]! + i * g;
          const hn = o * Math.tanh(cn);
          f[c + so + j] = cn;
          f[h + so + j] = hn;
          f[cells.at + yo + j] = cn;
          f[y.at + yo + j] = hn;
          f[go + j] = i;
          f[go + H + j] = fg;
          f[go + 2 * H + j] = g;
          f[go + 3 * H + j] = o;
        }
      }
    }
    return finish(f);
  });
};

export const lstmRecurrenceGradWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { y, h0 } = inputs as Record<string, Info>;
  const d = recurrenceDims(h0!, y!.shape[0]!, attrs);
  const { time: T, batch: B, hidden: H } = d;
  const G = 4 * H;
  return withWorkspace(be, (ws) => {
    const dGates = ws.output([T * B, G]);
    const hPrev = ws.output([T * B, H]);
    const dh0 = ws.output([B, H]);
    const dc0 = ws.output([B, H]);
    const dh = ws.floats(B * H);
    const dc = ws.floats(B * H);
    const dg = ws.floats(B * G);
    let f = be.wasm.HEAPF32;
    const [dyAt, yAt, gAt, cAt, h0At, c0At] = [at.dy!, at.y!, at.gates!, at.cells!, at.h0!, at.c0!];
    f.copyWithin(dh, at.dhN!, at.dhN! + B * H);
    f.copyWithin(dc, at.dcN!, at.dcN! + B * H);
    // Rows of sequences that have not started yet (backwards) stay zero in the step's gate gradient.
    f.fill(0, dg, dg + B * G);
    if (d.lengths.length > 0) {
      f.fill(0, dGates.at, dGates.at + T * B * G);
      f.fill(0, hPrev.at, hPrev.at + T * B * H);
    }
    const finish = (): Info[] => {
      be.wasm.HEAPF32.copyWithin(dh0.at, dh, dh + B * H);
      be.wasm.HEAPF32.copyWithin(dc0.at, dc, dc + B * H);
      return [dGates.info, hPrev.info, dh0.info, dc0.info];
    };
    const fused = bpttKernels(be, H);
    if (fused) {
      const y = bpttBuffer(yAt, H, 'step', 'read');
      const cells = bpttBuffer(cAt, H, 'step', 'read');
      const dhState = bpttBuffer(dh, H, 'batch', 'both');
      const dgStep = bpttBuffer(dg, G, 'batch', 'read');
      runBpttSteps(be, ws, fused, d, {
        rowKernel: 'lstm_grad_row',
        args: [
          { previous: y, initial: bpttBuffer(h0At, H, 'batch', 'read') },
          { previous: cells, initial: bpttBuffer(c0At, H, 'batch', 'read') },
          bpttBuffer(hPrev.at, H, 'step', 'written'),
          bpttBuffer(gAt, G, 'step', 'read'),
          cells,
          dhState,
          bpttBuffer(dyAt, H, 'step', 'read'),
          bpttBuffer(dc, H, 'batch', 'both'),
          bpttBuffer(dGates.at, G, 'step', 'written'),
          dgStep,
          4 * H,
          H,
        ],
        product: { dg: dgStep, dh: dhState, weightHh: at.weightHh!, k: G, accumulate: false },
      });
      return finish();
    }
    const simd = simdGates(be);
    const product = bpttStepProduct(
      be,
      ws,
      { batch: B, k: G, hidden: H },
      { weightHh: at.weightHh!, dg, dh },
      false,
    );
    const n4 = simd ? H & ~3 : 0; // the SIMD kernel's share of each row; JS does the rest
    const rows = new Int32Array(B);
    for (let s = T - 1; s >= 0; s--) {
      const n = activeRows(d, s, rows);
      if (n === 0) continue;
      const perCall = simdRowsPerCall(d, s, n, simd, true);
      for (let a = 0; a < n; a++) {
        const b = rows[a]!;
        const row = stepRow(d, s, b);
        const prevRow = previousRow(d, s, b);
        const go = gAt! + row * G;
        const dgo = dGates.at + row * G;
        const yo = row * H;
        const so = b * H;
        const sg = dg + b * G;
        const hpAt = prevRow < 0 ? h0At! + so : yAt! + prevRow * H;
        const cpAt = prevRow < 0 ? c0At! + so : cAt! + prevRow * H;
        if (simd && a % perCall === 0) {
          simd.lstm_grad_row(
            4 * hpAt,
            4 * cpAt,
            4 * (hPrev.at + yo),
            4 * go,
            4 * (cAt! + yo),
            4 * (dh + so),
            4 * (dyAt! + yo),
            4 * (dc + so),
            4 * dgo,
            4 * sg,
            4 * H,
            n4,
            perCall,
          );
        }
        if (perCall === n && n4 === H) break; // that call did every row
        for (let j = n4; j < H; j++) {
          const cp = f[cpAt + j]!;
          f[hPrev.at + yo + j] = f[hpAt + j]!;
          const i = f[go + j]!;
          const fg = f[go + H + j]!;
          const g = f[go + 2 * H + j]!;
          const o = f[go + 3 * H + j]!;
          const tc = Math.tanh(f[cAt! + yo + j]!);
          const dht = f[dh + so + j]! + f[dyAt! + yo + j]!;
          const dct = f[dc + so + j]! + dht * o * (1 - tc * tc);
          const di = dct * g * i * (1 - i);
          const df = dct * cp * fg * (1 - fg);
          const dgg = dct * i * (1 - g * g);
          const dO = dht * tc * o * (1 - o);
          f[dgo + j] = f[sg + j] = di;
          f[dgo + H + j] = f[sg + H + j] = df;
          f[dgo + 2 * H + j] = f[sg + 2 * H + j] = dgg;
          f[dgo + 3 * H + j] = f[sg + 3 * H + j] = dO;
          f[dc + so + j] = dct * fg;
        }
      }
      product(rows, n);
      f = be.wasm.HEAPF32;
    }
    return finish();
  });
};
