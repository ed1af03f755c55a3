import { decodeModuleBytes } from './heap_module.js';
import { SIMD_GATES_SHARED_MEMORY_WASM_BASE64 } from './simd_gates_bytes.js';

// Helper threads for the fused step kernels. A recurrence's batch rows are independent of each other
// for the whole sequence, so a call can hand a range of them to another thread without any exchange
// between steps: the helper runs the same SIMD step kernel over its rows for every step, and only
// its inputs and outputs are copied (tfjs-backend-wasm's heap is not shared memory, so the helpers
// work on a shared WebAssembly.Memory of their own). Node.js only: tfjs-backend-wasm runs one
// thread there, whereas in browsers its threaded build (cross-origin-isolated pages) already splits
// the products across XNNPACK's threads, and without isolation there is no shared memory.

/** The kernels a helper can call: SimdGates exports, all taking byte addresses and counts. */
export const HELPER_KERNELS = [
  'lstm_step',
  'lstm_step_inference',
  'gru_step',
  'gru_step_inference',
  'rnn_tanh_step',
  'rnn_relu_step',
  'matmul_rows',
  'matmul_rows_add',
  'matmul_rows_bias',
  'transpose',
  'pack_panels',
  'lstm_grad_row',
  'gru_grad_row',
  'rnn_tanh_grad_row',
  'rnn_relu_grad_row',
] as const;
export type HelperKernelName = (typeof HELPER_KERNELS)[number];

/** A helper's job: kernel calls it makes in order (on the shared memory's byte addresses). */
export class CallList {
  readonly words: number[] = [];

  call(kernel: HelperKernelName, args: readonly number[]): void {
    this.words.push(HELPER_KERNELS.indexOf(kernel), args.length, ...args);
  }
}

// Control block of helper k: CONTROL_WORDS int32 words at CONTROL_BASE + k * CONTROL_WORDS.
const CONTROL_BASE = 16;
const CONTROL_WORDS = 16;
const MAX_HELPERS = 16;
/** First byte the arena hands out (after the control blocks), 64-byte aligned. */
const ARENA_START = 4 * (CONTROL_BASE + MAX_HELPERS * CONTROL_WORDS);
const PAGE = 65536;
/** The shared memory's limit (the module's import allows 4 GiB); larger calls run on one thread. */
const MAX_BYTES = 256 * 1024 * 1024;
const MAX_PAGES = MAX_BYTES / PAGE;
const enum State {
  Idle = 0,
  Posted = 1,
  Done = 2,
  Failed = 3,
  Exit = 4,
}

// The helper's whole program (CommonJS, evaluated by worker_threads). It waits for a posted job,
// makes the job's calls ([kernel, argc, ...args] entries up to a kernel of -1) and reports Done or
// Failed. It sleeps on the state it last saw (Idle, or its own report until the caller resets it),
// never spins.
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, module, control, kernels } = workerData;
const gates = new WebAssembly.Instance(module, { env: { memory } }).exports;
const run = kernels.map((name) => gates[name]);
const c = new Int32Array(memory.buffer, 0, ${ARENA_START / 4});
Atomics.store(c, control + 1, 1);
let seen = ${State.Idle};
for (;;) {
  Atomics.wait(c, control, seen);
  seen = Atomics.load(c, control);
  if (seen === ${State.Exit}) break;
  if (seen !== ${State.Posted}) continue;
  try {
    const v = new Int32Array(memory.buffer);
    for (let p = v[control + 2] >> 2; v[p] >= 0; p += 2 + v[p + 1]) run[v[p]].apply(null, v.subarray(p + 2, p + 2 + v[p + 1]));
    seen = ${State.Done};
  } catch {
    seen = ${State.Failed};
  }
  Atomics.store(c, control, seen);
  Atomics.notify(c, control);
}`;

interface WorkerLike {
  unref(): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: () => void): void;
}
type WorkerConstructor = new (
  source: string,
  options: { eval: true; execArgv: string[]; workerData: unknown },
) => WorkerLike;

/** A Node.js built-in module, or undefined (browsers, runtimes without process.getBuiltinModule). */
function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

function defaultThreadCount(): number {
  return Math.min(
    4,
    builtin<{ availableParallelism?: () => number }>('node:os')?.availableParallelism?.() ?? 1,
  );
}

let warned = false;
function warnOnce(message: string): void {
  if (!warned) console.warn(message);
  warned = true;
}

export class Helper {
  dead = false;
  constructor(
    readonly control: number,
    worker: WorkerLike,
  ) {
    worker.on('error', (error) => {
      this.dead = true;
      warnOnce(
        `rnn-layers: a wasm helper thread failed (${error.message}); the recurrences use the threads left, or the calling thread alone`,
      );
    });
    worker.on('exit', () => {
      this.dead = true;
    });
    worker.unref(); // helpers never keep a process alive
  }
}

/** The helpers, their shared memory and a bump arena on it that each call resets. */
export class HelperThreads {
  private readonly helpers: Helper[] = [];
  private top = ARENA_START;
  /** Jobs posted so far (tests check that a call was split). */
  posted = 0;

  constructor(
    readonly memory: WebAssembly.Memory,
    module: WebAssembly.Module,
    Worker: WorkerConstructor,
    count: number,
  ) {
    for (let k = 0; k < count; k++) {
      const control = CONTROL_BASE + k * CONTROL_WORDS;
      // No inherited Node.js options: e.g. --input-type=module would make the helper's CommonJS source fail.
      const worker = new Worker(HELPER_SOURCE, {
        eval: true,
        execArgv: [],
        workerData: { memory, module, control, kernels: HELPER_KERNELS },
      });
      this.helpers.push(new Helper(control, worker));
    }
  }

  /** Helpers that have started and can take a job now (they start asynchronously). */
  ready(): Helper[] {
    const c = new Int32Array(this.memory.buffer, 0, ARENA_START / 4);
    return this.helpers.filter((h) => !h.dead && Atomics.load(c, h.control + 1) === 1);
  }

  /** Resolves once every helper has started (or died); tests use it. */
  async started(): Promise<void> {
    while (this.ready().length < this.helpers.filter((h) => !h.dead).length)
      await new Promise((r) => setTimeout(r, 5));
  }

  /** Empties the arena: every earlier `floats` allocation is free again. */
  reset(): void {
    this.top = ARENA_START;
  }

  /** `size` floats of the shared memory, 64-byte aligned; the float index. Grows the memory as needed. */
  floats(size: number): number {
    const at = this.top;
    this.top += (Math.max(1, size) * 4 + 63) & ~63;
    const pages = Math.ceil(this.top / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (pages > have) {
      if (pages > MAX_PAGES)
        throw new Error(
          `rnn-layers wasm helper threads: a call needs ${this.top} bytes of shared memory, more than ${MAX_BYTES}`,
        );
      this.memory.grow(pages - have);
    }
    return at >>> 2;
  }

  /** Copies `job` into the arena and wakes `helper` to run it. */
  post(helper: Helper, job: CallList): void {
    const list = this.floats(job.words.length + 1);
    const v = new Int32Array(this.memory.buffer); // after the allocation
    v.set(job.words, list);
    v[list + job.words.length] = -1;
    v[helper.control + 2] = 4 * list;
    Atomics.store(v, helper.control, State.Posted);
    Atomics.notify(v, helper.control);
    this.posted++;
  }

  /** Blocks until the helper has finished its job; throws if it failed. */
  finish(helper: Helper): void {
    const c = new Int32Array(this.memory.buffer, 0, ARENA_START / 4);
    let state: number;
    while ((state = Atomics.load(c, helper.control)) === State.Posted)
      Atomics.wait(c, helper.control, State.Posted, 1000);
    Atomics.store(c, helper.control, State.Idle);
    if (state !== State.Done)
      throw new Error('rnn-layers wasm helper threads: a helper thread failed to run its kernels');
  }

  /** Ends every helper (they exit once woken); the memory goes with the last reference to the pool. */
  stop(): void {
    const c = new Int32Array(this.memory.buffer, 0, ARENA_START / 4);
    for (const helper of this.helpers) {
      Atomics.store(c, helper.control, State.Exit);
      Atomics.notify(c, helper.control);
    }
  }
}

let requested: number | null = null;
let pool: HelperThreads | null | undefined;

/**
 * How many threads the wasm backend's fused recurrences may use, the calling thread included (1:
 * none besides it). The default is the machine's available parallelism, at most 4. Node.js only;
 * elsewhere the recurrences run on the calling thread. Threads start on the first call that can use
 * them, and calls run on the calling thread alone until they have started.
 */
export function setWasmThreads(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_HELPERS + 1) {
    throw new Error(`setWasmThreads: count must be an integer from 1 to ${MAX_HELPERS + 1}, got ${count}`);
  }
  if (count === wasmThreads()) {
    requested = count;
    return;
  }
  requested = count;
  pool?.stop();
  pool = undefined; // the next call that can use threads starts the new count
}

/** The thread count the fused recurrences may use now (setWasmThreads, else the default). */
export function wasmThreads(): number {
  return requested ?? defaultThreadCount();
}

/** The helper threads (started on first use), or null where there are none to use. */
export function helperThreads(): HelperThreads | null {
  if (pool !== undefined) return pool;
  pool = null;
  const count = wasmThreads() - 1;
  const Worker = builtin<{ Worker?: WorkerConstructor }>('node:worker_threads')?.Worker;
  if (count < 1 || !Worker || typeof SharedArrayBuffer === 'undefined') return pool;
  const bytes = decodeModuleBytes(SIMD_GATES_SHARED_MEMORY_WASM_BASE64);
  if (!WebAssembly.validate(bytes)) return pool; // no SIMD
  try {
    const memory = new WebAssembly.Memory({ initial: 256, maximum: MAX_PAGES, shared: true });
    pool = new HelperThreads(memory, new WebAssembly.Module(bytes), Worker, count);
  } catch {
    pool = null; // e.g. no shared WebAssembly memory: one thread
  }
  return pool;
}

const MIN_PARALLEL_WORK = 1 << 21;
/**
 * Multiply-adds a call must do per float it copies for its helpers: a float copied costs about as
 * much as 4 multiply-adds on one thread (more with the row-by-row bookkeeping), and the split saves
 * at most half the work. Measured: the Keras seed model's BPTT (hidden 32, 16 multiply-adds per
 * float) was slower split, its forward pass (32) faster; at the size the calls do 25–200.
 */
const MIN_WORK_PER_COPIED_FLOAT = 24;
let minParallelWork = MIN_PARALLEL_WORK;
let minWorkPerCopiedFloat = MIN_WORK_PER_COPIED_FLOAT;

/**
 * Multiply-adds below which a call stays on the calling thread (~2M, a tenth of a millisecond: a
 * helper's wake-up and copies would cost more than its share saves), and per float copied for the
 * helpers. Tests set (0, 0) to split every call.
 */
export function setMinParallelWork(
  work: number = MIN_PARALLEL_WORK,
  perCopiedFloat: number = MIN_WORK_PER_COPIED_FLOAT,
): void {
  minParallelWork = work;
  minWorkPerCopiedFloat = perCopiedFloat;
}

/** How a call's rows are split: [0, bounds[1]) on the calling thread, [bounds[k], bounds[k + 1]) on helpers[k - 1]. */
export interface RowSplit {
  pool: HelperThreads;
  helpers: Helper[];
  bounds: number[];
}

/** Floats as `shared` (once per split call) plus `perRow` (per row a helper takes). */
export interface FloatCount {
  shared: number;
  perRow: number;
}

/**
 * Splits `rows` independent rows of a call doing `work` multiply-adds between the calling thread and
 * the helpers that are ready, in ranges of a multiple of `granule` rows (the kernels' tiles hold two).
 * `memory`: the floats the helpers' share takes in their memory; `copied`: how many of those are
 * copied in or out. Null where the call runs on the calling thread alone: too little work, too little
 * work per float copied, or more memory than the helpers have. Empties the helpers' arena for the call.
 */
export function splitRows(
  rows: number,
  work: number,
  memory: FloatCount,
  copied: FloatCount,
  granule = 2,
): RowSplit | null {
  if (work < minParallelWork || rows < 2 * granule) return null;
  const pool = helperThreads();
  if (!pool) return null;
  const ready = pool.ready();
  const parts = Math.min(ready.length + 1, Math.floor(rows / granule));
  if (parts < 2) return null;
  const size = granule * Math.ceil(rows / parts / granule);
  const bounds = [0];
  while (bounds.at(-1)! < rows) bounds.push(Math.min(rows, bounds.at(-1)! + size));
  const helperRows = rows - size;
  if (work < minWorkPerCopiedFloat * (copied.shared + helperRows * copied.perRow)) return null;
  // With room for each allocation's alignment.
  if (ARENA_START + 4 * (memory.shared + helperRows * memory.perRow) + 64 * 16 * parts > MAX_BYTES)
    return null;
  pool.reset();
  return { pool, helpers: ready.slice(0, bounds.length - 2), bounds };
}

/** A helper's share of a split call: its job, and how its outputs go back to tfjs-backend-wasm's heap. */
export interface HelperPart {
  job: CallList;
  copyBack(heap: Float32Array, shared: Float32Array): void;
}

/** Batch rows [first, first + rows) of `batch`: a helper's range. */
export interface RowRange {
  first: number;
  rows: number;
  batch: number;
}

/**
 * Copies a range's rows of a heap buffer [positions, batch, width] at `heapAt` to (`toShared`) or
 * from its copy [positions, rows, width] at `sharedAt`: per position, a range's rows are consecutive.
 */
export function copyRowRange(
  heap: Float32Array,
  shared: Float32Array,
  at: { heapAt: number; sharedAt: number; width: number; positions: number },
  range: RowRange,
  toShared: boolean,
): void {
  const n = range.rows * at.width;
  for (let p = 0; p < at.positions; p++) {
    const h = at.heapAt + (p * range.batch + range.first) * at.width;
    const s = at.sharedAt + p * n;
    if (toShared) shared.set(heap.subarray(h, h + n), s);
    else heap.set(shared.subarray(s, s + n), h);
  }
}

/** runWithHelpers with the parts' jobs, then each part's outputs copied back to the heap (`heap()`: its view now). */
export function runHelperParts(
  split: RowSplit,
  parts: HelperPart[],
  main: () => void,
  heap: () => Float32Array,
): void {
  runWithHelpers(
    split,
    parts.map((p) => p.job),
    main,
  );
  const shared = new Float32Array(split.pool.memory.buffer);
  for (const part of parts) part.copyBack(heap(), shared);
}

/**
 * Posts `jobs` (one per helper of the split), runs `main` on the calling thread, then waits for every
 * helper posted, also after an error (the next call reuses their memory), and throws the first failure.
 */
export function runWithHelpers(split: RowSplit, jobs: CallList[], main: () => void): void {
  let posted = 0;
  let failure: unknown = null;
  try {
    for (const job of jobs) {
      split.pool.post(split.helpers[posted]!, job); // may throw (no room for the job): then only those posted are waited for
      posted++;
    }
    main();
  } catch (error) {
    failure = error;
  }
  for (let k = 0; k < posted; k++) {
    try {
      split.pool.finish(split.helpers[k]!);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure) throw failure;
}
