import * as tf from '@tensorflow/tfjs-core';

import { BACKEND_NAMES, type BackendName } from './backend_name.js';
import type { BackendInfo } from './backend_info.js';
import { tryUseBackend } from './use_backend.js';

export interface BackendStatus {
  name: BackendName;
  available: boolean;
  /** Present when available. */
  info?: BackendInfo;
  /** Present when unavailable: why, and how to fix it. */
  reason?: string;
  fix?: string;
}

/**
 * Tries every backend and reports which work here. Leaves the previously active backend active
 * (or cpu if none was).
 */
export async function listBackends(): Promise<BackendStatus[]> {
  const previous = tf.getBackend() as BackendName | undefined;
  const statuses: BackendStatus[] = [];
  for (const name of BACKEND_NAMES) {
    const result = await tryUseBackend(name);
    statuses.push(
      result instanceof Error
        ? { name, available: false, reason: result.reason, fix: result.fix }
        : { name, available: true, info: result },
    );
  }
  await tryUseBackend(
    previous && statuses.some((s) => s.name === previous && s.available) ? previous : 'cpu',
  );
  return statuses;
}
