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

// GRU recurrence on the wasm heap, same outputs and layouts as the JS kernel (cpu/gru_recurrence.ts):
// y [T, B, H], hN [B, H], workspace [T*B, 4H] = per step [r, z, n, W_hn h + b_hn]. With SIMD and H a
// multiple of 4, each step is one call of the fused `gru_step`. Otherwise per step: one XNNPACK matmul
// h [B, H] x W_hh^T [H, 3H], then the gate update (with b_hh) in place on the heap, in SIMD where
// available and JS for the rest. The backward pass runs on wasm_bptt_steps.ts where hidden is a
// multiple of 16, else its rows in SIMD (JS without) and the step product in XNNPACK.

export const gruRecurrenceWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { xp, biasHh, h0 } = inputs as Record<string, Info | undefined>;
  const d = recurrenceDims(h0!, xp!.shape[0]! / Math.max(1, h0!.shape[0]!), attrs);
  const { time: T, batch: B, hidden: H } = d;
  const G = 3 * H;
  return withWorkspace(be, (ws) => {
    const y = ws.output([T, B, H]);
    const hN = ws.output([B, H]);
    const fused = H % 4 === 0 ? fusedStepKernels(be) : null;
    const workspaceRows = fused && attrs?.['workspace'] === false ? 0 : T * B; // no gradient: no workspace
    const workspace = ws.output([workspaceRows, 4 * H]);
    const h = ws.floats(B * H);
    const bias = ws.floats(G);
    const start = (): Float32Array => {
      const f = be.wasm.HEAPF32;
      if (biasHh) f.copyWithin(bias, at.biasHh!, at.biasHh! + G);
      else f.fill(0, bias, bias + G);
      f.copyWithin(h, at.h0!, at.h0! + B * H);
      if (d.lengths.length > 0) {
        f.fill(0, y.at, y.at + T * B * H);
        f.fill(0, workspace.at, workspace.at + workspaceRows * 4 * H);
      }
      return f;
    };
    const finish = (f: Float32Array): Info[] => {
      f.copyWithin(hN.at, h, h + B * H);
      return [y.info, hN.info, workspace.info];
    };
    if (fused) {
      const w = stepWeights(be, inputs['weightHh']!, at.weightHh!, 3, H, 1);
      start();
      runFusedSteps(be, ws, fused, d, {
        kernel: workspaceRows > 0 ? 'gru_step' : 'gru_step_inference',
        args: [{ at: w, size: G * H }, H / 4, H, 4 * H, { at: bias, size: G }],
        h0: at.h0!,
        xp: at.xp!,
        xpWidth: G,
        y: y.at,
        fields: [
          { at: h, width: H, per: 'batch' },
          { at: y.at, width: H, per: 'step' },
          ...(workspaceRows > 0 ? ([{ at: workspace.at, width: 4 * H, per: 'step' }] as const) : []),
        ],
      });
      return finish(be.wasm.HEAPF32);
    }
    const product = xnnpackStepProduct(
      be,
      ws,
      { batch: B, hidden: H, gates: 3 },
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
      if (n === 0) break;
      product.run();
      f = be.wasm.HEAPF32; // XNNPACK may have grown the memory (new buffer)
      const perCall = simdRowsPerCall(d, s, n, simd);
      for (let a = 0; a < n; a++) {
        const b = rows[a]!;
        const row = stepRow(d, s, b);
        const xo = x + row * G;
        const wo = workspace.at + row * 4 * H;
        const ro = rec + b * G;
        const so = h + b * H;
        const yo = y.at + row * H;
        if (simd && a % perCall === 0)
          simd.gru_row(4 * xo, 4 * ro, 4 * bias, 4 * so, 4 * yo, 4 * wo, 4 * H, n4, perCall);
        if (perCall === n && n4 === H) break; // that call did every row
        for (let j = n4; j < H; j++) {
          const r = 1 / (1 + Math.exp(-(f[xo + j]! + f[ro + j]! + f[bias + j]!)));
          const z = 1 / (1 + Math.exp(-(f[xo + H + j]! + f[ro + H + j]! + f[bias + H + j]!)));
          const hn = f[ro + 2 * H + j]! + f[bias + 2 * H + j]!;
          const nn = Math.tanh(f[xo + 2 * H + j]! + r * hn);
          const hNew = (1 - z) * nn + z * f[so + j]!;
          f[so + j] = hNew;
          f[yo + j] = hNew;
          f[wo + j] = r;
          f[wo + H + j] = z;
          f[wo + 2 * H + j] = nn;
          f[wo + 3 * H + j] = hn;
        }
      }
    }
    return finish(f);
  });
};

export const gruRecurrenceGradWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { y, h0 } = inputs as Record<string, Info>;
  const d = recurrenceDims(h0!, y!.shape[0]!, attrs);
  const { time: T, batch: B, hidden: H } = d;
  const G = 3 * H;
  return withWorkspace(be, (ws) => {
    const dXp = ws.output([T * B, G]);
    const dHp = ws.output([T * B, G]);
    const hPrev = ws.output([T * B, H]);
    const dh0 = ws.output([B, H]);
    const dh = ws.floats(B * H);
    const dg = ws.floats(B * G);
    let f = be.wasm.HEAPF32;
    const [dyAt, yAt, wsAt, h0At] = [at.dy!, at.y!, at.workspace!, at.h0!];
    f.copyWithin(dh, at.dhN!, at.dhN! + B * H);
    f.fill(0, dg, dg + B * G); // rows of sequences not started yet (backwards) stay zero
    if (d.lengths.length > 0) {
      f.fill(0, dXp.at, dXp.at + T * B * G);
      f.fill(0, dHp.at, dHp.at + T * B * G);
      f.fill(0, hPrev.at, hPrev.at + T * B * H);
    }
    const finish = (): Info[] => {
      be.wasm.HEAPF32.copyWithin(dh0.at, dh, dh + B * H);
      return [dXp.info, dHp.info, hPrev.info, dh0.info];
    };
    const fused = bpttKernels(be, H);
    if (fused) {
      const dhState = bpttBuffer(dh, H, 'batch', 'both');
      const dgStep = bpttBuffer(dg, G, 'batch', 'read');
      runBpttSteps(be, ws, fused, d, {
        rowKernel: 'gru_grad_row',
        args: [
          { previous: bpttBuffer(yAt, H, 'step', 'read'), initial: bpttBuffer(h0At, H, 'batch', 'read') },
          bpttBuffer(hPrev.at, H, 'step', 'written'),
          bpttBuffer(wsAt, 4 * H, 'step', 'read'),
          dhState,
          bpttBuffer(dyAt, H, 'step', 'read'),
          bpttBuffer(dXp.at, G, 'step', 'written'),
          bpttBuffer(dHp.at, G, 'step', 'written'),
          dgStep,
          4 * H,
          H,
        ],
        product: { dg: dgStep, dh: dhState, weightHh: at.weightHh!, k: G, accumulate: true },
      });
      return finish();
    }
    const simd = simdGates(be);
    const product = bpttStepProduct(
      be,
      ws,
      { batch: B, k: G, hidden: H },
      { weightHh: at.weightHh!, dg, dh },
      true,
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
        const xo = dXp.at + row * G;
        const po = dHp.at + row * G;
        const wo = wsAt! + row * 4 * H;
        const yo = row * H;
        const so = dh + b * H;
        const sg = dg + b * G;
        const hpAt = prevRow < 0 ? h0At! + b * H : yAt! + prevRow * H;
        if (simd && a % perCall === 0) {
          simd.gru_grad_row(
            4 * hpAt,
            4 * (hPrev.at + yo),
            4 * wo,
            4 * so,
            4 * (dyAt! + yo),
            4 * xo,
            4 * po,
            4 * sg,
            4 * H,
            n4,
            perCall,
          );
        }
        if (perCall === n && n4 === H) break; // that call did every row
        for (let j = n4; j < H; j++) {
          const hp = f[hpAt + j]!;
          f[hPrev.at + yo + j] = hp;
          const r = f[wo + j]!;
          const z = f[wo + H + j]!;
          const nn = f[wo + 2 * H + j]!;
          const hn = f[wo + 3 * H + j]!;
          const dht = f[so + j]! + f[dyAt! + yo + j]!;
          const dnPre = dht * (1 - z) * (1 - nn * nn);
          const dzPre = dht * (hp - nn) * z * (1 - z);
          const drPre = dnPre * hn * r * (1 - r);
          f[xo + j] = f[po + j] = f[sg + j] = drPre;
          f[xo + H + j] = f[po + H + j] = f[sg + H + j] = dzPre;
          f[xo + 2 * H + j] = dnPre;
          f[po + 2 * H + j] = f[sg + 2 * H + j] = dnPre * r;
          f[so + j] = dht * z; // the direct path h_{t-1} -> z * h_{t-1}
        }
      }
      product(rows, n);
      f = be.wasm.HEAPF32;
    }
    return finish();
  });
};
