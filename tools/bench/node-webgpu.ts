import { installDawn } from '@rnnkit/tensor-core';

// Bundled entry points (../shared/gpu/prepare.sh) run where no node_modules exist, so tensor-core
// cannot find the optional `webgpu` package (Dawn) at run time. Importing it here with a literal
// specifier puts it in the bundle; installing it before useBackend('webgpu') makes tensor-core use it.
export async function installNodeWebGpu(): Promise<void> {
  installDawn(await import('webgpu'));
}
