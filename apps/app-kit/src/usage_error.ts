/**
 * Bad usage or bad input (a missing file, an unknown option, a model directory from another app):
 * the apps print its message and exit with code 2, without a stack trace. Anything else is exit code 1.
 */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Exit codes shared by the apps (DESIGN.md): 0 ok, 1 failure while running, 2 bad usage or bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Conventional code for a run stopped by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;
