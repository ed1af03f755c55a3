import type { BackendName } from './backend_name.js';

/** Thrown when a backend cannot be used here; says why and how to fix it. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';

  constructor(
    readonly backend: BackendName,
    readonly reason: string,
    readonly fix: string,
  ) {
    super(`backend '${backend}' is unavailable: ${reason}. To fix: ${fix}`);
  }
}
