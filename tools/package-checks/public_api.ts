import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import ts from 'typescript';

/** A workspace package with a public entry point: its `exports` map has ".", built from src/index.ts. */
export interface PublicPackage {
  name: string;
  dir: string;
  index: string;
  readme: string;
  /** The package's other entry points as import specifiers (`@rnnkit/x/internal`), without ./package.json. */
  subpaths: string[];
}

export function publicPackages(root: string): PublicPackage[] {
  const found: PublicPackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const folder of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, folder);
      const manifestFile = join(dir, 'package.json');
      if (!existsSync(manifestFile)) continue;
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
        name: string;
        exports?: Record<string, unknown>;
      };
      const index = join(dir, 'src/index.ts');
      if (!manifest.exports?.['.'] || !existsSync(index)) continue;
      const subpaths = Object.keys(manifest.exports)
        .filter((key) => key !== '.' && key !== './package.json')
        .map((key) => `${manifest.name}/${key.slice(2)}`);
      found.push({ name: manifest.name, dir, index, readme: join(dir, 'README.md'), subpaths });
    }
  }
  return found;
}

/**
 * Every name a module exports, values and types, as the TypeScript checker sees them: `export *`,
 * `export * as ns` and `export type` included. One program for all files (they share most imports).
 */
export function exportedNames(root: string, files: readonly string[]): Map<string, string[]> {
  const base = ts.readConfigFile(join(root, 'tsconfig.base.json'), (path) => ts.sys.readFile(path));
  if (base.error) throw new Error(ts.flattenDiagnosticMessageText(base.error.messageText, '\n'));
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    (base.config as { compilerOptions: unknown }).compilerOptions,
    root,
  );
  const [error] = errors;
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const program = ts.createProgram(files, { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const result = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${file}: not part of the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    // A file without import/export statements is not a module and has no symbol: it exports nothing.
    const names = moduleSymbol ? checker.getExportsOfModule(moduleSymbol).map((s) => s.getName()) : [];
    result.set(file, names.sort());
  }
  return result;
}

export interface ReadmeApi {
  /** Export names listed (the backticked identifiers that start each top-level list item). */
  names: string[];
  /** Entry points listed the same way (`@rnnkit/x/internal`). */
  subpaths: string[];
  /** Lines that break the format, and names listed twice. */
  problems: string[];
}

const ENTRY = /^`([^`]+)`/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const SUBPATH = /^@rnnkit\/[\w-]+\/[\w./-]+$/;

/**
 * The names a README's `## API` section lists. The format, the same in every README:
 * the section runs from the line `## API` to the next `## ` heading (`###` headings group inside it);
 * every top-level list item in it starts with one or more backticked names separated by commas, then
 * ` — ` and a few words: `` - `LSTM`, `GRU` — PyTorch's recurrent layers ``. A name is an export of
 * src/index.ts or one of the package's entry points (`@rnnkit/x/internal`). Backticks after the dash,
 * nested list items, tables and paragraphs are free text and list nothing.
 */
export function readmeApi(markdown: string): ReadmeApi {
  const api: ReadmeApi = { names: [], subpaths: [], problems: [] };
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trimEnd() === '## API');
  if (start < 0) {
    api.problems.push('no "## API" section');
    return api;
  }
  const seen = new Set<string>();
  let fenced = false;
  for (const [offset, line] of lines.slice(start + 1).entries()) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    if (/^##? /.test(line)) break;
    if (!/^[-*] /.test(line)) continue;
    const where = `line ${start + offset + 2}`;
    let rest = line.slice(2);
    const entries: string[] = [];
    for (let match = ENTRY.exec(rest); match; match = ENTRY.exec(rest)) {
      const [whole, entry = ''] = match;
      entries.push(entry);
      rest = rest.slice(whole.length);
      if (!rest.startsWith(', ')) break;
      rest = rest.slice(2);
    }
    if (entries.length === 0 || !/^ — \S/.test(rest)) {
      api.problems.push(`${where}: expected "- \`name\`, \`name\` — what it is", got "${line}"`);
      continue;
    }
    for (const entry of entries) {
      if (seen.has(entry)) api.problems.push(`${where}: \`${entry}\` is listed twice`);
      seen.add(entry);
      if (IDENTIFIER.test(entry)) api.names.push(entry);
      else if (SUBPATH.test(entry)) api.subpaths.push(entry);
      else api.problems.push(`${where}: \`${entry}\` is neither an export name nor an @rnnkit/ entry point`);
    }
  }
  api.names.sort();
  api.subpaths.sort();
  return api;
}

/** What one set has that the other lacks, sorted: the message of a failed comparison. */
export function difference(
  exported: readonly string[],
  listed: readonly string[],
): { missing: string[]; extra: string[] } {
  const inListed = new Set(listed);
  const inExported = new Set(exported);
  return {
    missing: exported.filter((name) => !inListed.has(name)).sort(),
    extra: listed.filter((name) => !inExported.has(name)).sort(),
  };
}
