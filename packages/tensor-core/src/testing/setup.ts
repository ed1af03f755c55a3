// A vitest setup file for rnnkit packages: gives every test file an active backend (cpu unless
// RNNKIT_DEFAULT_BACKEND names another), so tests outside describeWithBackends can use tfjs.
import { useBackend } from '../backends/use_backend.js';

await useBackend(process.env.RNNKIT_DEFAULT_BACKEND ?? 'cpu');
