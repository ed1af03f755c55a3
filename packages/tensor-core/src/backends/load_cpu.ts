import * as tf from '@tensorflow/tfjs-core';

/** Registers the pure-JavaScript backend, which works everywhere. Returns its version. */
export async function loadCpuBackend(): Promise<string> {
  const cpu = await import('@tensorflow/tfjs-backend-cpu');
  return cpu.version_cpu;
}

/** tfjs-backend-cpu greets Node users on its first tensor; rnnkit offers faster backends itself. */
export function silenceCpuGreeting(): void {
  const backend = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (backend && 'firstUse' in backend) backend.firstUse = false;
}
