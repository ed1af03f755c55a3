import type { WasmBackendInternals } from './wasm_backend_access.js';

// rnnkit's hand-written WebAssembly modules import tfjs-backend-wasm's own memory, so they read and
// write its heap in place. One instance per memory, made on first use.

/** A module's bytes from their committed base64. */
export function decodeModuleBytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The base64 of a module built twice: for an ordinary memory and for a shared one (threaded builds). */
export interface HeapModuleSource {
  plain: string;
  sharedMemory: string;
}

/**
 * A function giving the module's exports instantiated on a memory, or null where it cannot run (no
 * SIMD, or not compiled yet). Compiled synchronously, which browsers may refuse on their main thread for
 * modules over 4 KB (older Chromium): then it compiles asynchronously and the caller's fallback serves
 * until it is ready.
 */
export function heapModule<Exports>(
  source: HeapModuleSource,
): (memory: WebAssembly.Memory) => Exports | null {
  const instances = new WeakMap<WebAssembly.Memory, Exports | null>();
  return (memory) => {
    const cached = instances.get(memory);
    if (cached !== undefined) return cached;
    instances.set(memory, null);
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = decodeModuleBytes(shared ? source.sharedMemory : source.plain);
    if (!WebAssembly.validate(bytes)) return null;
    const imports = { env: { memory } };
    try {
      const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports as Exports;
      instances.set(memory, exports);
      return exports;
    } catch {
      WebAssembly.instantiate(bytes, imports).then(
        ({ instance }) => instances.set(memory, instance.exports as Exports),
        () => undefined, // e.g. a memory whose limits the import does not accept: the fallback serves
      );
      return null;
    }
  };
}

/** The WebAssembly.Memory of a tfjs-backend-wasm backend, or null if it is not reachable. */
export function backendMemory(be: WasmBackendInternals): WebAssembly.Memory | null {
  const memory = (be.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}
