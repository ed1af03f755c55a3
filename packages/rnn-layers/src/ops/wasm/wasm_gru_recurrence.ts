import { gruGradRow, gruRow } from '../cell_rows.js';
import type { TypedKernelFunc } from '../kernel_config.js';
import type { GRU_RECURRENCE, GRU_RECURRENCE_GRAD } from '../kernel_names.js';
import { fusedStepKernels, simdGates } from './simd_gates.js';
import { bpttBuffer, runBptt, type BpttSequence } from './wasm_bptt_steps.js';
import { runFusedSteps } from './wasm_fused_steps.js';
import { inputIndices, wasmInternals, withWorkspace } from './wasm_backend_access.js';
import {
  recurrenceDims,
  runXnnpackSteps,
  stepBuffer,
  stepWeights,
  type Info,
} from './wasm_recurrence_common.js';

// GRU recurrence on the wasm heap, same outputs and layouts as the JS kernel (cpu/gru_recurrence.ts):
// y [T, B, H], hN [B, H], workspace [T*B, 4H] = per step [r, z, n, W_hn h + b_hn]. With SIMD and H a
// multiple of 4, each step is one call of the fused `gru_step`. Otherwise per step: one XNNPACK matmul
// h [B, H] x W_hh^T [H, 3H], then the gate update (with b_hh) in place on the heap, in SIMD where
// available and JS for the rest. The backward pass runs on wasm_bptt_steps.ts where hidden is a
// multiple of 16, else its rows in SIMD (JS without) and the step product in XNNPACK.

export const gruRecurrenceWasm: TypedKernelFunc<typeof GRU_RECURRENCE> = ({ inputs, backend, attrs }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { xp, biasHh, h0 } = inputs;
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
    const finish = (): Info[] => {
      be.wasm.HEAPF32.copyWithin(hN.at, h, h + B * H);
      return [y.info, hN.info, workspace.info];
    };
    // The buffers of a step's rows, as the SIMD kernels and the JS rows take them.
    const o = {
      xp: stepBuffer(at.xp!, G, 'step'),
      h: stepBuffer(h, H, 'batch'),
      y: stepBuffer(y.at, H, 'step'),
      workspace: stepBuffer(workspace.at, 4 * H, 'step'),
    };
    const f = be.wasm.HEAPF32; // the states' initial values, and zeros where rows end early
    if (biasHh) f.copyWithin(bias, at.biasHh!, at.biasHh! + G);
    else f.fill(0, bias, bias + G);
    f.copyWithin(h, at.h0!, at.h0! + B * H);
    if (d.lengths.length > 0) {
      f.fill(0, y.at, y.at + T * B * H);
      f.fill(0, workspace.at, workspace.at + workspaceRows * 4 * H);
    }
    if (fused) {
      const w = stepWeights(be, inputs['weightHh']!, at.weightHh!, 3, H, 1);
      runFusedSteps(be, ws, fused, d, {
        kernel: workspaceRows > 0 ? 'gru_step' : 'gru_step_inference',
        args: [{ at: w, size: G * H }, H / 4, H, 4 * H, { at: bias, size: G }],
        h0: at.h0!,
        xp: at.xp!,
        xpWidth: G,
        y: y.at,
        fields: [o.h, o.y, ...(workspaceRows > 0 ? [o.workspace] : [])],
      });
      return finish();
    }
    runXnnpackSteps(be, ws, d, { gates: 3, weightHh: at.weightHh!, h }, simdGates(be), {
      kernel: 'gru_row',
      args: (rec, n4) => [o.xp, rec, 4 * bias, o.h, o.y, o.workspace, 4 * H, n4],
      buffers: { ...o, bias },
      row: (rows, b, row, from) => gruRow(rows, H, b, row, from),
    });
    return finish();
  });
};

export const gruRecurrenceGradWasm: TypedKernelFunc<typeof GRU_RECURRENCE_GRAD> = ({
  inputs,
  backend,
  attrs,
}) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { y, h0 } = inputs;
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
    const f = be.wasm.HEAPF32;
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
    // The buffers of a step's rows, as the SIMD row kernel (gru_grad_row) and the JS rows take them.
    const o = {
      h0: bpttBuffer(at.h0!, H, 'batch', 'read'),
      y: bpttBuffer(at.y!, H, 'step', 'read'),
      hPrev: bpttBuffer(hPrev.at, H, 'step', 'written'),
      workspace: bpttBuffer(at.workspace!, 4 * H, 'step', 'read'),
      dh: bpttBuffer(dh, H, 'batch', 'both'),
      dy: bpttBuffer(at.dy!, H, 'step', 'read'),
      dXp: bpttBuffer(dXp.at, G, 'step', 'written'),
      dHp: bpttBuffer(dHp.at, G, 'step', 'written'),
      dg: bpttBuffer(dg, G, 'batch', 'read'),
    };
    const seq: BpttSequence = {
      rowKernel: 'gru_grad_row',
      args: [
        { previous: o.y, initial: o.h0 },
        o.hPrev,
        o.workspace,
        o.dh,
        o.dy,
        o.dXp,
        o.dHp,
        o.dg,
        4 * H,
        H & ~3, // the SIMD kernel's share of each row (all of it for runBpttSteps: hidden % 16 = 0)
      ],
      product: { dg: o.dg, dh: o.dh, weightHh: at.weightHh!, k: G, accumulate: true },
    };
    runBptt(be, ws, d, seq, o, (rows, b, row, previous, from) => gruGradRow(rows, H, b, row, previous, from));
    return finish();
  });
};
