import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The packages as npm publishes them: packed, unpacked into a node_modules of their own, then loaded with
// both `import` and `require` (Node >= 20.19 can require ES modules, if the exports map lets it).
const root = fileURLToPath(new URL('../..', import.meta.url));
const workDir = join(root, 'tools/package-checks/.packed');
const packages = ['tensor-core', 'rnn-layers', 'tokenizers', 'audio-features', 'datasets', 'seq2seq'];
const license = readFileSync(join(root, 'LICENSE'), 'utf8');

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}
const packed = new Map<string, PackResult>();

beforeAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(workDir, 'node_modules/@rnnkit'), { recursive: true });
  for (const name of packages) {
    const out = execFileSync(
      'npm',
      ['pack', '--json', '--workspace', `@rnnkit/${name}`, '--pack-destination', workDir],
      { cwd: root, encoding: 'utf8' },
    );
    const [result] = JSON.parse(out) as PackResult[];
    packed.set(name, result!);
    const dest = join(workDir, 'node_modules/@rnnkit', name);
    mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['-xzf', join(workDir, result!.filename), '-C', dest, '--strip-components=1']);
  }
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function run(args: string[]) {
  return spawnSync(process.execPath, args, { cwd: workDir, encoding: 'utf8', timeout: 120_000 });
}

describe('packed packages', () => {
  for (const name of packages) {
    it(`@rnnkit/${name}: ships its LICENSE, README and types, and no tests`, () => {
      const files = packed.get(name)!.files.map((f) => f.path);
      expect(files).toContain('LICENSE');
      expect(files).toContain('dist/index.js');
      expect(files).toContain('dist/index.d.ts');
      if (name !== 'seq2seq') expect(files).toContain('README.md');
      expect(files.filter((f) => /\.test\.|__fixtures__/.test(f))).toEqual([]);
      expect(readFileSync(join(workDir, 'node_modules/@rnnkit', name, 'LICENSE'), 'utf8')).toBe(license);
    });

    it(`@rnnkit/${name}: import and require give the same exports`, () => {
      const viaImport = run([
        '--input-type=module',
        '-e',
        `import * as m from '@rnnkit/${name}'; console.log(JSON.stringify(Object.keys(m).sort()));`,
      ]);
      expect(viaImport.status, viaImport.stderr).toBe(0);
      const viaRequire = run([
        '-e',
        `const m = require('@rnnkit/${name}'); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== '__esModule' && k !== 'module.exports').sort()));`,
      ]);
      expect(viaRequire.status, viaRequire.stderr).toBe(0);
      const keys = JSON.parse(viaImport.stdout) as string[];
      expect(JSON.parse(viaRequire.stdout)).toEqual(keys);
      // The packed copy is the one loaded, not the workspace's.
      const where = run(['-e', `console.log(require.resolve('@rnnkit/${name}'))`]);
      expect(where.stdout.trim()).toBe(join(workDir, 'node_modules/@rnnkit', name, 'dist/index.js'));
    });
  }

  it('subpath exports load with require too', () => {
    const internal = ['tensor-core', 'rnn-layers', 'tokenizers', 'audio-features', 'datasets'].map(
      (name) => `@rnnkit/${name}/internal`,
    );
    for (const specifier of ['@rnnkit/datasets/batching', '@rnnkit/audio-features/meyda', ...internal]) {
      const r = run(['-e', `require('${specifier}')`]);
      expect(r.status, `${specifier}: ${r.stderr}`).toBe(0);
    }
    // The vitest helpers probe the backends once with a top-level await: ES modules only, as vitest is.
    const testing = run([
      '--input-type=module',
      '-e',
      "import { describeWithBackends } from '@rnnkit/tensor-core/testing'; console.log(typeof describeWithBackends);",
    ]);
    expect(testing.stdout.trim(), testing.stderr).toBe('function');
  });
});
