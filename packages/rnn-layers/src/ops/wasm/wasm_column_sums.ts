import type { TypedKernelFunc } from '../kernel_config.js';
import type { COLUMN_SUMS } from '../kernel_names.js';
import { simdGates } from './simd_gates.js';
import { inputIndices, wasmInternals, withWorkspace } from './wasm_backend_access.js';

// COLUMN_SUMS on the wasm heap: one pass over the rows, in SIMD where available. A bias gradient
// taken as ones [1, m] x dy [m, n] through XNNPACK costs far more: it repacks all of dy as weights,
// element by element, at every call (LSTM 32x100x128: ~10 ms of an 87 ms training step).

export const columnSumsWasm: TypedKernelFunc<typeof COLUMN_SUMS> = ({ inputs, backend }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const [m, n] = inputs.x.shape as [number, number];
  return withWorkspace(be, (ws) => {
    const out = ws.output([n]);
    const x = at.x;
    const f = be.wasm.HEAPF32;
    f.fill(0, out.at, out.at + n);
    const simd = simdGates(be);
    const n4 = simd ? n & ~3 : 0; // the SIMD kernel's share of each row; JS does the rest
    if (simd && n4 > 0) simd.column_sums(4 * x, 4 * out.at, 4 * n, n4, m);
    if (n4 < n) {
      for (let i = 0; i < m; i++) {
        const row = x + i * n;
        for (let j = n4; j < n; j++) f[out.at + j] = f[out.at + j]! + f[row + j]!;
      }
    }
    return out.info;
  });
};
