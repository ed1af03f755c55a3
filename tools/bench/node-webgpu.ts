// Bundled entry points (../shared/gpu/prepare.sh) run where no node_modules exist, so tensor-core
// cannot find the optional `webgpu` package (Dawn) at run time. Importing it here, with a literal
// specifier, puts it in the bundle; installing navigator.gpu before useBackend('webgpu') makes
// tensor-core use it (tfjs-backend-webgpu only registers when navigator.gpu exists).
export async function installNodeWebGpu(): Promise<void> {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav?.gpu) return;
  const { create, globals } = await import('webgpu');
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  Object.assign(globalThis, globals);
  const gpu = create([]);
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}
