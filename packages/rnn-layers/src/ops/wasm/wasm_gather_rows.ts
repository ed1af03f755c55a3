import { gatherRowsInto } from '../cpu/gather_rows.js';
import type { TypedKernelFunc } from '../kernel_config.js';
import type { GATHER_ROWS } from '../kernel_names.js';
import { simdGates } from './simd_gates.js';
import { inputIndices, wasmInternals, withWorkspace } from './wasm_backend_access.js';

// GATHER_ROWS on the wasm heap: rows copied in place (memory.copy in the SIMD module where it is
// available, else JS), no copy of the table in or out. tfjs-backend-wasm's GatherV2 takes ~30 ns per
// element (an embedding lookup of 128 x 500 tokens x 32: ~65 ms).

export const gatherRowsWasm: TypedKernelFunc<typeof GATHER_ROWS> = ({ inputs, backend }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const [rows, width] = inputs.x.shape as [number, number];
  const count = inputs.indices.shape[0] ?? 0;
  return withWorkspace(be, (ws) => {
    const out = ws.output([count, width]);
    const simd = simdGates(be);
    if (simd) {
      const bad = simd.gather_rows(4 * at.x, 4 * at.indices, count, 4 * width, 4 * out.at, rows);
      if (bad >= 0)
        throw new Error(
          `gatherRows: indices[${bad}] = ${be.wasm.HEAP32[at.indices + bad]} is not in [0, ${rows})`,
        );
      return out.info;
    }
    const f = be.wasm.HEAPF32; // read after the output's malloc, which may grow the memory
    gatherRowsInto(f, at.x, rows, width, be.wasm.HEAP32, at.indices, count, f, out.at);
    return out.info;
  });
};
