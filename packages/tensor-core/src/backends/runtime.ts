/** True in Node.js (and Node-compatible runtimes), false in browsers and workers. */
export const IS_NODE: boolean = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** Dynamic import that bundlers and TypeScript leave alone: for optional, Node-only packages. */
export function importOptional<T = unknown>(specifier: string): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
}

/** Whether a package can be resolved from here (Node only): tells "not installed" from "broken". */
export function isInstalled(specifier: string): boolean {
  try {
    // getBuiltinModule keeps this file free of static node: imports, so browser bundles load it.
    const { createRequire } = process.getBuiltinModule('node:module');
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
