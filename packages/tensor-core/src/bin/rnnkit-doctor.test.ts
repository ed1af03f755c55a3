import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import type { BackendStatus } from '../backends/list_backends.js';
import { isInstalled } from '../backends/runtime.js';

// The doctor runs from the built package, as `npx rnnkit-doctor` does.
const bin = fileURLToPath(new URL('../../bin/rnnkit-doctor.js', import.meta.url));
const inCI = process.env.CI === 'true';

describe('rnnkit-doctor', () => {
  it('prints one JSON document listing every backend', () => {
    const out = execFileSync(process.execPath, [bin, '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const report = JSON.parse(out) as { backends: BackendStatus[] };
    const byName = Object.fromEntries(report.backends.map((b) => [b.name, b]));
    expect(Object.keys(byName)).toEqual(['cpu', 'wasm', 'webgpu', 'tensorflow']);
    expect(byName.cpu!.available).toBe(true);
    if (inCI) {
      expect(byName.wasm!.available).toBe(true);
      expect(byName.webgpu, JSON.stringify(byName.webgpu)).toMatchObject({
        available: true,
        info: { adapter: { vendor: expect.any(String) } },
      });
    }
    if (!isInstalled('@tensorflow/tfjs-node-gpu') && !isInstalled('@tensorflow/tfjs-node')) {
      expect(byName.tensorflow).toMatchObject({
        available: false,
        reason: expect.stringMatching(/not installed/),
        fix: expect.stringMatching(/npm install/),
      });
    }
  });

  it('prints a table, and rejects unknown arguments with usage', () => {
    const table = execFileSync(process.execPath, [bin], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(table).toMatch(/^cpu\s+available/m);
    expect(table).toMatch(/^tensorflow\s+(available|unavailable: )/m);
    expect(() => execFileSync(process.execPath, [bin, '--jsn'], { stdio: 'pipe' })).toThrow(
      /unknown argument '--jsn'/,
    );
  });
});
