/** Registers the pure-JavaScript backend, which works everywhere. Returns its version. */
export async function loadCpuBackend(): Promise<string> {
  const cpu = await import('@tensorflow/tfjs-backend-cpu');
  return cpu.version_cpu;
}
