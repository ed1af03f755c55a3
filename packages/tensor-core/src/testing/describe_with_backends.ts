import { beforeAll, describe, it } from 'vitest';

import { BACKEND_NAMES, isBackendName, type BackendName } from '../backends/backend_name.js';
import { listBackends, type BackendStatus } from '../backends/list_backends.js';
import { isInstalled } from '../backends/runtime.js';
import { useBackend } from '../backends/use_backend.js';

// Probed once per test file, before any describe block is collected.
const statuses = new Map<BackendName, BackendStatus>((await listBackends()).map((s) => [s.name, s]));

/** Backends that tests run on: RNNKIT_TEST_BACKENDS=cpu,wasm narrows the matrix. */
function selectedBackends(only?: readonly BackendName[]): BackendName[] {
  const fromEnv = process.env.RNNKIT_TEST_BACKENDS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of fromEnv ?? []) {
    if (!isBackendName(name))
      throw new Error(
        `RNNKIT_TEST_BACKENDS: unknown backend '${name}'; expected ${BACKEND_NAMES.join(', ')}`,
      );
  }
  return BACKEND_NAMES.filter((b) => (!fromEnv || fromEnv.includes(b)) && (!only || only.includes(b)));
}

/**
 * In CI a missing backend is a failure, not a skip: cpu, wasm and webgpu (CI installs lavapipe)
 * must work, and tensorflow must work whenever its package is installed.
 */
function mustBeAvailable(backend: BackendName): boolean {
  if (process.env.CI !== 'true' && process.env.CI !== '1') return false;
  if (backend !== 'tensorflow') return true;
  return isInstalled('@tensorflow/tfjs-node-gpu') || isInstalled('@tensorflow/tfjs-node');
}

/** The backends that work in this process. */
export function availableBackends(): BackendName[] {
  return BACKEND_NAMES.filter((b) => statuses.get(b)?.available);
}

export interface DescribeWithBackendsOptions {
  /** Restrict the block to these backends (for example an op with kernels for only some). */
  backends?: readonly BackendName[];
}

/**
 * Runs a describe block once per backend, with that backend active (like tfjs's describeWithFlags).
 * Unavailable backends are skipped with their reason, except in CI, where they fail.
 */
export function describeWithBackends(
  name: string,
  fn: (backend: BackendName) => void,
  options: DescribeWithBackendsOptions = {},
): void {
  for (const backend of selectedBackends(options.backends)) {
    const status = statuses.get(backend)!;
    const title = `${name} [${backend}]`;
    if (status.available) {
      describe(title, () => {
        beforeAll(async () => {
          await useBackend(backend);
        });
        fn(backend);
      });
    } else if (mustBeAvailable(backend)) {
      describe(title, () => {
        it(`has the ${backend} backend`, () => {
          throw new Error(
            `backend '${backend}' must be available in CI: ${status.reason}. To fix: ${status.fix}`,
          );
        });
      });
    } else {
      describe.skip(`${title} (unavailable: ${status.reason})`, () => fn(backend));
    }
  }
}
