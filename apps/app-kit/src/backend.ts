import { setWasmThreads } from '@rnnkit/rnn-layers';
import { BackendUnavailableError, useBackend, type BackendInfo } from '@rnnkit/tensor-core';

import { UsageError } from './usage_error.js';

/** Selects the backend of `--backend` (and `--threads` for wasm); an unavailable backend is a usage error. */
export async function selectBackend(options: { backend: string; threads?: number }): Promise<BackendInfo> {
  if (options.threads !== undefined) setWasmThreads(options.threads);
  try {
    return await useBackend(options.backend);
  } catch (error) {
    if (error instanceof BackendUnavailableError)
      throw new UsageError(`--backend ${options.backend}: ${error.message}`, { cause: error });
    throw error;
  }
}
