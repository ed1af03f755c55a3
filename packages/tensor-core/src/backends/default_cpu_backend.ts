// Makes tfjs's cpu backend the default, as `@tensorflow/tfjs` does: code that never calls `useBackend`
// still runs (tfjs-core alone fails with "No backend found in registry"). `useBackend` picks faster ones.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

type CpuBackend = tf.KernelBackend & { firstUse?: boolean };
interface EngineRegistries {
  registry?: Record<string, CpuBackend>;
  registryFactory?: Record<string, { factory: () => CpuBackend | Promise<CpuBackend> }>;
}

// tfjs-backend-cpu greets Node users on their first tensor, pointing them at tfjs-node; rnnkit offers
// faster backends itself. The engine makes a new instance whenever it starts the backend, so the factory
// is wrapped (tfjs-core 4.22's engine fields; without them the greeting simply stays).
const engine = tf.engine() as unknown as EngineRegistries;
const entry = engine.registryFactory?.cpu;
if (entry && !(entry.factory as { quiet?: boolean }).quiet) {
  const make = entry.factory;
  const quiet = () => {
    const backend = make() as CpuBackend;
    if ('firstUse' in backend) backend.firstUse = false;
    return backend;
  };
  entry.factory = Object.assign(quiet, { quiet: true });
}
const running = engine.registry?.cpu;
if (running && 'firstUse' in running) running.firstUse = false;
