import { lstmGradRow, lstmRow } from '../cell_rows.js';
import type { TypedKernelFunc } from '../kernel_config.js';
import type { LSTM_RECURRENCE, LSTM_RECURRENCE_GRAD } from '../kernel_names.js';
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

// LSTM recurrence on the wasm heap, same outputs and layouts as the JS kernel (cpu/lstm_recurrence.ts):
// y [T, B, H], hN, cN [B, H], gates (activated i, f, g, o) [T*B, 4H], cells [T*B, H]. With SIMD and
// H a multiple of 4, each step is one call of the fused `lstm_step` (recurrent product and cell,
// simd_gates.build.mjs). Otherwise per step: one XNNPACK matmul h [B, H] x W_hh^T [H, 4H], then the
// gate update in place on the heap, in SIMD where available and JS for the rest. The backward pass
// runs its rows and the step product dGates [B, 4H] x W_hh [4H, H] through the SIMD kernels
// (wasm_bptt_steps.ts) where hidden is a multiple of 16, else the rows in SIMD (JS without) and the
// product in XNNPACK (bpttStepProduct).

export const lstmRecurrenceWasm: TypedKernelFunc<typeof LSTM_RECURRENCE> = ({ inputs, backend, attrs }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { xp, h0 } = inputs;
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
    const finish = (): Info[] => {
      const heap = be.wasm.HEAPF32; // a view after the run, which may have grown the memory
      heap.copyWithin(hN.at, h, h + B * H);
      heap.copyWithin(cN.at, c, c + B * H);
      return [y.info, hN.info, cN.info, gates.info, cells.info];
    };
    // The buffers of a step's rows, as the SIMD kernels and the JS rows take them.
    const o = {
      xp: stepBuffer(at.xp!, G, 'step'),
      c: stepBuffer(c, H, 'batch'),
      h: stepBuffer(h, H, 'batch'),
      y: stepBuffer(y.at, H, 'step'),
      cells: stepBuffer(cells.at, H, 'step'),
      gates: stepBuffer(gates.at, G, 'step'),
    };
    const f = be.wasm.HEAPF32; // the states' initial values, and zeros where rows end early
    f.copyWithin(h, at.h0!, at.h0! + B * H);
    f.copyWithin(c, at.c0!, at.c0! + B * H);
    if (d.lengths.length > 0) {
      f.fill(0, y.at, y.at + T * B * H);
      f.fill(0, gates.at, gates.at + workspaceRows * G);
      f.fill(0, cells.at, cells.at + workspaceRows * H);
    }
    if (fused) {
      const w = stepWeights(be, inputs['weightHh']!, at.weightHh!, 4, H, 1);
      runFusedSteps(be, ws, fused, d, {
        kernel: workspaceRows > 0 ? 'lstm_step' : 'lstm_step_inference',
        args: [{ at: w, size: G * H }, H / 4, H, 4 * H],
        h0: at.h0!,
        xp: at.xp!,
        xpWidth: G,
        y: y.at,
        fields: [o.c, o.h, o.y, ...(workspaceRows > 0 ? [o.cells, o.gates] : [])],
      });
      return finish();
    }
    runXnnpackSteps(be, ws, d, { gates: 4, weightHh: at.weightHh!, h }, simdGates(be), {
      kernel: 'lstm_row',
      args: (rec, n4) => [o.xp, rec, o.c, o.h, o.cells, o.y, o.gates, 4 * H, n4],
      buffers: o,
      row: (rows, b, row, from) => lstmRow(rows, H, b, row, from),
    });
    return finish();
  });
};

export const lstmRecurrenceGradWasm: TypedKernelFunc<typeof LSTM_RECURRENCE_GRAD> = ({
  inputs,
  backend,
  attrs,
}) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { y, h0 } = inputs;
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
    const f = be.wasm.HEAPF32;
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
    // The buffers of a step's rows, as the SIMD row kernel (lstm_grad_row) and the JS rows take them.
    const o = {
      h0: bpttBuffer(at.h0!, H, 'batch', 'read'),
      c0: bpttBuffer(at.c0!, H, 'batch', 'read'),
      y: bpttBuffer(at.y!, H, 'step', 'read'),
      cells: bpttBuffer(at.cells!, H, 'step', 'read'),
      gates: bpttBuffer(at.gates!, G, 'step', 'read'),
      hPrev: bpttBuffer(hPrev.at, H, 'step', 'written'),
      dh: bpttBuffer(dh, H, 'batch', 'both'),
      dy: bpttBuffer(at.dy!, H, 'step', 'read'),
      dc: bpttBuffer(dc, H, 'batch', 'both'),
      dGates: bpttBuffer(dGates.at, G, 'step', 'written'),
      dg: bpttBuffer(dg, G, 'batch', 'read'),
    };
    const seq: BpttSequence = {
      rowKernel: 'lstm_grad_row',
      args: [
        { previous: o.y, initial: o.h0 },
        { previous: o.cells, initial: o.c0 },
        o.hPrev,
        o.gates,
        o.cells,
        o.dh,
        o.dy,
        o.dc,
        o.dGates,
        o.dg,
        4 * H,
        H & ~3, // the SIMD kernel's share of each row (all of it for runBpttSteps: hidden % 16 = 0)
      ],
      product: { dg: o.dg, dh: o.dh, weightHh: at.weightHh!, k: G, accumulate: false },
    };
    runBptt(be, ws, d, seq, o, (rows, b, row, previous, from) =>
      lstmGradRow(rows, H, b, row, previous, from),
    );
    return finish();
  });
};
