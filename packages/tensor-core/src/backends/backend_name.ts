/** Backends rnnkit can run on. `tensorflow` is tfjs-node-gpu (or tfjs-node) and is optional. */
export const BACKEND_NAMES = ['cpu', 'wasm', 'webgpu', 'tensorflow'] as const;

export type BackendName = (typeof BACKEND_NAMES)[number];

/** A backend name, or `auto` for the fastest one that works here. */
export type BackendRequest = BackendName | 'auto';

/** Order in which `auto` tries backends: fastest first. */
export const AUTO_BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

export function isBackendName(name: unknown): name is BackendName {
  return typeof name === 'string' && (BACKEND_NAMES as readonly string[]).includes(name);
}

/** Validates a user-supplied backend name; the error lists the valid names. */
export function parseBackendRequest(name: unknown, argName = 'backend'): BackendRequest {
  if (name === 'auto' || isBackendName(name)) return name;
  const valid = ['auto', ...BACKEND_NAMES].map((n) => `'${n}'`).join(', ');
  throw new Error(`${argName}: unknown backend ${JSON.stringify(name)}; expected one of ${valid}`);
}
