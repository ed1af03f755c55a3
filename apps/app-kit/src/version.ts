import { readFileSync } from 'node:fs';

/** The rnnkit release the apps belong to (app-kit's version: the workspace is versioned as one). */
export const RNNKIT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
