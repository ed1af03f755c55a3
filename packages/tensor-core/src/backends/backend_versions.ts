import type { BackendName } from './backend_name.js';

/** Versions of the backend packages loaded so far, by backend name. */
export const loadedBackendVersions = new Map<BackendName, string>();
