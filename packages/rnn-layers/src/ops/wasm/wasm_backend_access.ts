import type * as tf from '@tensorflow/tfjs-core';

// The fused recurrences work in place on tfjs-backend-wasm's heap: inputs are read and outputs
// written through the module's HEAPF32 (no copies in or out), and each step's recurrent product runs
// through the module's own XNNPACK matmul (the C++ BatchMatMul export). These are the backend
// internals that this needs (tfjs-backend-wasm 4.22, pinned); wasmInternals() checks for them.

/** The exports of tfjs-backend-wasm's Emscripten module the kernels use. */
export interface WasmModuleInternals {
  HEAPF32: Float32Array;
  HEAP32: Int32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  /** C++ BatchMatMul(aId, aShapePtr, aRank, bId, bShapePtr, bRank, transposeA, transposeB, outId). */
  _BatchMatMul(
    aId: number,
    aShape: number,
    aRank: number,
    bId: number,
    bShape: number,
    bRank: number,
    transposeA: number,
    transposeB: number,
    outId: number,
  ): void;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
    /** XNNPACK's thread count: 1 on the single-threaded builds. */
    getThreadsCount?(): number;
  };
}

/** The parts of tfjs-backend-wasm's BackendWasm the kernels use. */
export interface WasmBackendInternals {
  wasm: WasmModuleInternals;
  dataIdMap: { has(dataId: object): boolean; get(dataId: object): { id: number; memoryOffset: number } };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** Checks that the backend has the internals above (a future tfjs-backend-wasm may not). */
export function wasmInternals(backend: unknown): WasmBackendInternals {
  const be = backend as Partial<WasmBackendInternals> | undefined;
  const wasm = be?.wasm as Partial<WasmModuleInternals> | undefined;
  if (
    !be ||
    !wasm ||
    typeof wasm._malloc !== 'function' ||
    typeof wasm._BatchMatMul !== 'function' ||
    typeof wasm.tfjs?.registerTensor !== 'function' ||
    typeof be.makeOutput !== 'function' ||
    typeof be.dataIdNextNumber !== 'number'
  ) {
    const name =
      (backend as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? String(backend);
    throw new Error(
      `rnn-layers wasm kernels: expected tfjs-backend-wasm 4.x's BackendWasm (wasm heap, _BatchMatMul, tfjs.registerTensor), received ${name}`,
    );
  }
  return be as WasmBackendInternals;
}

/** Float32 index (byte offset / 4) of a tensor's data in HEAPF32. */
export function heapIndex(be: WasmBackendInternals, t: tf.TensorInfo): number {
  if (!be.dataIdMap.has(t.dataId)) {
    try {
      // Data that lives on another backend is moved here by get() (a malloc: memory may grow).
      return be.dataIdMap.get(t.dataId).memoryOffset >>> 2;
    } catch {
      throw new Error(
        `rnn-layers wasm kernels: tensor of shape [${t.shape}] has no data on the wasm backend`,
      );
    }
  }
  return be.dataIdMap.get(t.dataId).memoryOffset >>> 2;
}

/**
 * HEAPF32 indices of a kernel's inputs. Resolve them first, before any view of the heap is taken:
 * moving an input in from another backend can grow the memory and detach earlier views.
 */
export function inputIndices<I extends Partial<Record<keyof I, tf.TensorInfo>>>(
  be: WasmBackendInternals,
  inputs: I,
): { [K in keyof I]: number } {
  const at: Record<string, number> = {};
  for (const [name, t] of Object.entries(inputs)) if (t) at[name] = heapIndex(be, t as tf.TensorInfo);
  return at as { [K in keyof I]: number };
}

/**
 * Outputs, scratch memory and matmul operands of one kernel call. `release()` (in a finally) frees
 * the scratch and operands; `discardOutputs()` (on an error) disposes the outputs made so far.
 * Operand ids are registered with the C++ side only (not in dataIdMap), so tfjs never frees memory
 * through them; disposing such an id also drops the XNNPACK operator cached on it.
 */
export class WasmWorkspace {
  private readonly pointers: number[] = [];
  private readonly ids: number[] = [];
  private readonly outputs: tf.TensorInfo[] = [];

  constructor(readonly be: WasmBackendInternals) {}

  /** A new float32 output tensor on the heap (uninitialised) and its HEAPF32 index. */
  output(shape: number[]): { info: tf.TensorInfo; at: number } {
    const info = this.be.makeOutput(shape, 'float32');
    this.outputs.push(info);
    return { info, at: heapIndex(this.be, info) };
  }

  discardOutputs(): void {
    for (const info of this.outputs) (this.be as unknown as tf.KernelBackend).disposeData(info.dataId);
    this.outputs.length = 0;
  }

  /** `size` floats of uninitialised heap, 16-byte aligned (malloc's guarantee); HEAPF32 index. */
  floats(size: number): number {
    const pointer = this.be.wasm._malloc(Math.max(1, size) * 4) >>> 0;
    if (pointer === 0)
      throw new Error(`rnn-layers wasm kernels: out of wasm memory allocating ${size} floats`);
    this.pointers.push(pointer);
    return pointer >>> 2;
  }

  /** Registers heap floats [at, at + size) as a tensor id the C++ kernels can read and write. */
  operand(at: number, size: number): number {
    const id = this.be.dataIdNextNumber++;
    this.be.wasm.tfjs.registerTensor(id, size, at * 4);
    this.ids.push(id);
    return id;
  }

  /**
   * out[m, n] = a[m, k] b[k, n] through XNNPACK (the C++ BatchMatMul takes its fully-connected path
   * only without transposes; it packs b once per operand id and caches the packed weights).
   */
  matMul(m: number, k: number, n: number): (aId: number, bId: number, outId: number) => void {
    const s = this.floats(6);
    this.be.wasm.HEAP32.set([1, m, k, 1, k, n], s);
    const wasm = this.be.wasm;
    const aShape = s * 4;
    const bShape = aShape + 12;
    return (aId, bId, outId) => wasm._BatchMatMul(aId, aShape, 3, bId, bShape, 3, 0, 0, outId);
  }

  release(): void {
    for (const id of this.ids) this.be.wasm.tfjs.disposeData(id);
    for (const pointer of this.pointers) this.be.wasm._free(pointer);
    this.ids.length = 0;
    this.pointers.length = 0;
  }
}

/** Runs a kernel body with a workspace: its scratch is always released, its outputs disposed if the body throws. */
export function withWorkspace<T>(be: WasmBackendInternals, body: (ws: WasmWorkspace) => T): T {
  const ws = new WasmWorkspace(be);
  try {
    return body(ws);
  } catch (error) {
    ws.discardOutputs();
    throw error;
  } finally {
    ws.release();
  }
}
