// Makes tfjs's cpu backend the default, as `@tensorflow/tfjs` does: code that never calls `useBackend`
// still runs (tfjs-core alone fails with "No backend found in registry"). `useBackend` picks faster ones.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

// tfjs-backend-cpu greets Node users on its first tensor, pointing at tfjs-node; rnnkit offers faster
// backends itself, so the greeting is switched off in every cpu backend instance.
const cpuFactory = tf.findBackendFactory('cpu');
if (cpuFactory) {
  tf.removeBackend('cpu');
  // Synchronous, like the original: tfjs can then start it on the first tensor without `tf.ready()`.
  tf.registerBackend('cpu', () => {
    const backend = cpuFactory() as tf.KernelBackend & { firstUse?: boolean };
    if ('firstUse' in backend) backend.firstUse = false;
    return backend;
  }, 1);
}
