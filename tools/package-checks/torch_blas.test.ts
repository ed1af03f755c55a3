import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

// The PyTorch baselines refuse Debian's reference BLAS (~10x slower than OpenBLAS). The classifier of
// loaded libraries needs only Python, not torch, so CI checks it on every machine that has python3.
const script = fileURLToPath(new URL('../bench/torch_blas.py', import.meta.url));
const python = ['/usr/bin/python3', 'python3'].find((p) => p === 'python3' || existsSync(p))!;

describe('tools/bench/torch_blas.py', () => {
  it('tells the reference BLAS from OpenBLAS, BLIS and MKL by path', () => {
    const run = spawnSync(python, [script, '--self-test'], { encoding: 'utf8' });
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT' && process.env.CI !== 'true')
      return;
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/torch_blas self-test: (\d+)\/\1 paths ok/);
  });
});
