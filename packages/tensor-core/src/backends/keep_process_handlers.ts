import { IS_NODE } from './runtime.js';

/**
 * Process-wide events whose listeners change how Node reports errors or handles signals. Emscripten's
 * Node glue (tfjs-backend-wasm 4.22) adds an `uncaughtException` listener that rethrows, which makes
 * Node print the whole minified module and exit with code 7 instead of the error's own stack and code 1,
 * and an `unhandledRejection` listener that turns every rejection into that.
 */
const PROCESS_WIDE_EVENTS = ['uncaughtException', 'unhandledRejection', 'SIGINT', 'SIGTERM'] as const;

/**
 * Runs `work` (a backend's start-up) and then removes the listeners it added to the process-wide events
 * above, so that using rnnkit never changes how the user's program reports errors. Listeners the program
 * had before are kept; so is anything else the backend set up.
 */
export async function keepProcessHandlers<T>(work: () => Promise<T>): Promise<T> {
  if (!IS_NODE) return work();
  const emitter: NodeJS.EventEmitter = process;
  const before = PROCESS_WIDE_EVENTS.map((event) => ({ event, kept: new Set(emitter.listeners(event)) }));
  try {
    return await work();
  } finally {
    for (const { event, kept } of before) {
      for (const listener of emitter.listeners(event)) {
        if (!kept.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}
