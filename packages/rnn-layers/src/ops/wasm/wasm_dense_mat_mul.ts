import * as tf from '@tensorflow/tfjs-core';

import type { Info } from './wasm_recurrence_common.js';

// tfjs-backend-wasm's BatchMatMul / _FusedMatMul run XNNPACK only without transposes; with transposeA
// or transposeB they fall back to a scalar loop 5-20x slower (dW_hh = dGates^T hPrev, LSTM 32x100x128:
// 531 ms against 25 ms of CPU time). The products around the recurrences therefore transpose
// explicitly first (a copy of a few ms) and multiply on the XNNPACK path. Registered as rnnkit's
// DENSE_MAT_MUL (a op(b)) and DENSE_LINEAR (a op(b) + bias, the bias added by XNNPACK).

function kernel(name: string): tf.KernelFunc {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`rnn-layers wasm kernel: the wasm backend has no ${name} kernel`);
  return config.kernelFunc;
}

function product(args: Parameters<tf.KernelFunc>[0], withBias: boolean): Info {
  const { inputs, backend, attrs } = args;
  const { a, b, bias } = inputs as Record<string, Info | undefined>;
  const temporaries: Info[] = [];
  const plain = (t: Info, transposed: boolean): Info => {
    if (!transposed) return t;
    const out = kernel(tf.Transpose)({ inputs: { x: t }, backend, attrs: { perm: [1, 0] } }) as Info;
    temporaries.push(out);
    return out;
  };
  try {
    const a2 = plain(a!, Boolean(attrs?.['transposeA']));
    const b2 = plain(b!, Boolean(attrs?.['transposeB']));
    const stored = bias ? (backend as unknown as { dataIdMap: { get(id: object): { shape: number[] } } }).dataIdMap.get(bias.dataId) : null;
    if (!withBias || !bias || stored?.shape.length !== 1) {
      const out = kernel(tf.BatchMatMul)({ inputs: { a: a2, b: b2 }, backend, attrs: { transposeA: false, transposeB: false } }) as Info;
      if (!withBias || !bias) return out;
      // _FusedMatMul checks the rank of the bias's stored data, which a reshape leaves as it was.
      temporaries.push(out);
      return kernel(tf.Add)({ inputs: { a: out, b: bias }, backend }) as Info;
    }
    const [m, k] = a2.shape as [number, number];
    const n = b2.shape[1]!;
    // _FusedMatMul reads rank-3 shapes; views with the same data ids need no reshape kernel.
    const out = kernel(tf._FusedMatMul)({
      inputs: { a: { ...a2, shape: [1, m, k] }, b: { ...b2, shape: [1, k, n] }, bias },
      backend, attrs: { transposeA: false, transposeB: false, activation: 'linear' },
    }) as Info;
    return { ...out, shape: [m, n] };
  } finally {
    for (const t of temporaries) (backend as tf.KernelBackend).disposeData(t.dataId);
  }
}

export const denseMatMulWasm: tf.KernelFunc = (args) => product(args, false);
export const denseLinearWasm: tf.KernelFunc = (args) => product(args, true);
