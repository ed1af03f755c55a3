/**
 * Ctrl-C during training: the first SIGINT waits for a file write in progress (writes are atomic
 * anyway, this only avoids leaving a staging directory behind), prints `message` and exits 130.
 */
export interface InterruptHandler {
  /** Runs `write` with SIGINT deferred until it finishes. */
  guard<T>(write: () => Promise<T>): Promise<T>;
  dispose(): void;
}

export function installInterruptHandler(
  message: () => string,
  write: (text: string) => void = (t) => process.stderr.write(t),
): InterruptHandler {
  let writing = 0;
  let pending = false;
  const stop = (): never => {
    write(`\n${message()}\n`);
    process.exit(130);
  };
  const onSigint = (): void => {
    if (writing > 0) pending = true;
    else stop();
  };
  process.on('SIGINT', onSigint);
  return {
    async guard(fn) {
      writing++;
      try {
        return await fn();
      } finally {
        writing--;
        if (pending && writing === 0) stop();
      }
    },
    dispose: () => {
      process.off('SIGINT', onSigint);
    },
  };
}
