import { beforeAll, describe, it } from 'vitest';

import { BACKEND_NAMES, isBackendName, type BackendName } from '../backends/backend_name.js';
import { listBackends, type BackendStatus } from '../backends/list_backends.js';
import { isInstalled } from '../backends/runtime.js';
import { useBackend } from '../backends/use_backend.js';

// Probed once per test file, before any describe block is collected.
const statuses = new Map<BackendName, BackendStatus>((await listBackends()).map((s) => [s.name, s]));

/** tfjs-node is an optional peer: its backend joins the default matrix only where a user installed it. */
function tensorflowInstalled(): boolean {
  return isInstalled('@tensorflow/tfjs-node-gpu') || isInstalled('@tensorflow/tfjs-node');
}

/**
 * Backends that tests run on: cpu, wasm, webgpu, and tensorflow where installed (`rnnkit-doctor` says
 * how to install it); RNNKIT_TEST_BACKENDS=cpu,wasm narrows or names the matrix.
 */
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
  const matrix = fromEnv ?? BACKEND_NAMES.filter((b) => b !== 'tensorflow' || tensorflowInstalled());
  return BACKEND_NAMES.filter((b) => matrix.includes(b) && (!only || only.includes(b)));
}

/**
 * In CI a selected backend that is missing is a failure, not a skip: cpu, wasm and webgpu (CI installs
 * lavapipe) must work, and so must tensorflow when it is installed or named in RNNKIT_TEST_BACKENDS.
 */
function mustBeAvailable(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
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
    const status = statuses.get(backend);
    if (status === undefined) throw new Error(`listBackends() did not report backend '${backend}'`);
    const title = `${name} [${backend}]`;
    if (status.available) {
      describe(title, () => {
        beforeAll(async () => {
          await useBackend(backend);
        });
        fn(backend);
      });
    } else if (mustBeAvailable()) {
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
