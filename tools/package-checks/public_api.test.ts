import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { difference, exportedNames, publicPackages, readmeApi } from './public_api.js';

// Each package's README documents its whole public API: the `## API` section lists every name that
// src/index.ts exports (values and types) and nothing else, and names every other entry point.
const root = fileURLToPath(new URL('../..', import.meta.url));
const packages = publicPackages(root);
const exports = exportedNames(
  root,
  packages.map((p) => p.index),
);

describe('public API', () => {
  it('finds the packages (a broken discovery must not pass as "nothing to check")', () => {
    expect(packages.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        '@rnnkit/tensor-core',
        '@rnnkit/rnn-layers',
        '@rnnkit/tokenizers',
        '@rnnkit/audio-features',
        '@rnnkit/datasets',
        '@rnnkit/seq2seq',
        '@rnnkit/app-kit',
      ]),
    );
    expect(exports.get(packages.find((p) => p.name === '@rnnkit/rnn-layers')!.index)).toEqual(
      expect.arrayContaining(['LSTM', 'SequentialOptions']),
    );
  });

  for (const pkg of packages) {
    const names = exports.get(pkg.index)!;
    const readme = relative(root, pkg.readme);
    // A package that exports nothing yet (seq2seq) has no API to document.
    if (names.length === 0 && !existsSync(pkg.readme)) continue;

    const text = existsSync(pkg.readme) ? readFileSync(pkg.readme, 'utf8') : null;

    it(`${pkg.name}: ${readme} "## API" lists exactly the exports of src/index.ts`, () => {
      expect(text !== null, `${readme} is missing`).toBe(true);
      const api = readmeApi(text!);
      expect(api.problems, `${readme}: format problems`).toEqual([]);
      // missing: exported but not listed; extra: listed but not exported.
      expect(difference(names, api.names), `${readme} vs ${relative(root, pkg.index)}`).toEqual({
        missing: [],
        extra: [],
      });
    });

    it(`${pkg.name}: ${readme} "## API" names every entry point of package.json "exports"`, () => {
      expect(text !== null, `${readme} is missing`).toBe(true);
      const api = readmeApi(text!);
      expect(difference(pkg.subpaths, api.subpaths), `${readme} vs package.json exports`).toEqual({
        missing: [],
        extra: [],
      });
    });
  }
});

describe('the checks themselves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'public-api-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exportedNames sees export *, export * as, type-only and renamed exports', () => {
    writeFileSync(join(dir, 'a.ts'), 'export const a = 1;\nexport interface AOptions { x: number }\n');
    writeFileSync(join(dir, 'b.ts'), 'export type B = string;\nexport function b(): void {}\n');
    writeFileSync(
      join(dir, 'index.ts'),
      [
        "export * from './a.js';",
        "export * as bs from './b.js';",
        "export type { B } from './b.js';",
        "export { b as renamed } from './b.js';",
      ].join('\n'),
    );
    const index = join(dir, 'index.ts');
    expect(exportedNames(root, [index]).get(index)).toEqual(['AOptions', 'B', 'a', 'bs', 'renamed']);
  });

  it('readmeApi reads the leading names of top-level items of "## API" only', () => {
    const api = readmeApi(
      [
        '# pkg',
        '- `before` — not in the section',
        '## API',
        '### Layers',
        '- `LSTM`, `GRU` — layers; `notListed` in the description',
        '  - `nested` — free text',
        '- `@rnnkit/pkg/internal` — not covered by semver',
        '```ts',
        '- `inCode` — free text',
        '```',
        '| `inTable` | free text |',
        '## Next',
        '- `after` — not in the section',
      ].join('\n'),
    );
    expect(api).toEqual({ names: ['GRU', 'LSTM'], subpaths: ['@rnnkit/pkg/internal'], problems: [] });
  });

  it('readmeApi reports malformed items, duplicates and a missing section', () => {
    const api = readmeApi(
      [
        '## API',
        '- LSTM — no backticks',
        '- `GRU` no dash',
        '- `new Dense()` — not a bare name',
        '- `x` — once',
        '- `x` — twice',
      ].join('\n'),
    );
    expect(api.names).toEqual(['x', 'x']);
    expect(api.problems).toHaveLength(4);
    expect(api.problems.join('\n')).toMatch(
      /line 2: expected.*\n.*line 3: expected.*\n.*line 4:.*`new Dense\(\)`.*\n.*line 6: `x` is listed twice/,
    );
    expect(readmeApi('# no api here').problems).toEqual(['no "## API" section']);
  });

  it('difference names what is missing and what is extra', () => {
    expect(difference(['a', 'b', 'c'], ['c', 'd', 'a'])).toEqual({ missing: ['b'], extra: ['d'] });
  });
});
