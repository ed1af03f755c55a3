import type * as NodeFs from 'node:fs/promises';
import type * as NodePath from 'node:path';

type Fs = typeof NodeFs;
type Path = typeof NodePath;

async function nodeModules(): Promise<{ fs: Fs; path: Path }> {
  return { fs: await import('node:fs/promises'), path: await import('node:path') };
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** fsync a directory so the renames inside it survive a power cut (a no-op where the OS refuses). */
async function syncDirectory(fs: Fs, dir: string): Promise<void> {
  let handle: NodeFs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open directories; their renames are durable enough there.
  } finally {
    await handle?.close();
  }
}

const siblingPrefix = (base: string, kind: 'staging' | 'previous') => `.${base}.${kind}-`;

/**
 * Puts a directory interrupted by a crash back in place: if `dir` is missing but the copy that a
 * `writeDirectoryAtomically` was replacing still exists, it is renamed back; entries carried over into an
 * abandoned staging directory are moved back, and the staging directory removed. Node only.
 */
export async function recoverDirectory(dir: string): Promise<void> {
  const { fs, path } = await nodeModules();
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  let siblings: string[];
  try {
    siblings = await fs.readdir(parent);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  const previous = siblings.filter((name) => name.startsWith(siblingPrefix(base, 'previous'))).sort();
  const targetExists = await fs.stat(target).then(
    () => true,
    (error: unknown) => (isMissing(error) ? false : Promise.reject(error)),
  );
  if (!targetExists) {
    const latest = previous.pop();
    if (latest !== undefined) await fs.rename(path.join(parent, latest), target);
  }
  for (const stale of previous) await fs.rm(path.join(parent, stale), { recursive: true, force: true });
  for (const staging of siblings.filter((name) => name.startsWith(siblingPrefix(base, 'staging')))) {
    const stagingDir = path.join(parent, staging);
    const carried = await fs.readFile(path.join(stagingDir, CARRIED_LIST), 'utf8').then(
      (text) => text.split('\n').filter(Boolean),
      () => [],
    );
    for (const name of carried) {
      await fs
        .rename(path.join(stagingDir, name), path.join(target, name))
        .catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
    }
    await fs.rm(stagingDir, { recursive: true, force: true });
  }
  if (!targetExists || previous.length > 0) await syncDirectory(fs, parent);
}

/** Names, in an abandoned staging directory, of the entries moved there from the old directory. */
const CARRIED_LIST = '.carried-over';

export interface WriteDirectoryOptions {
  /** Entries of the old directory that are not in `files` are moved into the new one (default true). */
  carryOver?: boolean;
}

/**
 * Replaces the files of directory `dir` as a whole (Node only): everything is written into a new staging
 * directory beside it and fsynced, then the old directory is renamed aside and the new one renamed into
 * place. A process killed at any instant leaves `dir` with either all the old files or all the new
 * ones (`recoverDirectory`, which every call and rnnkit's loaders run first, undoes the one window where
 * `dir` is briefly missing). Entries that `files` does not name (a `checkpoints/` folder) are carried over.
 * Concurrent writers of one directory are not supported.
 */
export async function writeDirectoryAtomically(
  dir: string,
  files: Record<string, Uint8Array | string>,
  options: WriteDirectoryOptions = {},
): Promise<void> {
  if (typeof dir !== 'string' || dir === '')
    throw new Error(`writeDirectoryAtomically: dir must be a directory path, got ${JSON.stringify(dir)}`);
  for (const name of Object.keys(files)) {
    if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name) || name === CARRIED_LIST) {
      throw new Error(
        `writeDirectoryAtomically: file name ${JSON.stringify(name)} must be a plain name inside the directory`,
      );
    }
  }
  const { fs, path } = await nodeModules();
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  await fs.mkdir(parent, { recursive: true });
  await recoverDirectory(target);
  const stamp = `${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  const staging = path.join(parent, `${siblingPrefix(base, 'staging')}${stamp}`);
  const previous = path.join(parent, `${siblingPrefix(base, 'previous')}${stamp}`);
  await fs.mkdir(staging);
  let swapped = false;
  try {
    for (const [name, data] of Object.entries(files)) {
      const handle = await fs.open(path.join(staging, name), 'wx');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    const old = await fs
      .readdir(target)
      .catch((error: unknown) => (isMissing(error) ? null : Promise.reject(error)));
    const carried =
      (options.carryOver ?? true) && old
        ? old.filter((name) => !(name in files) && name !== CARRIED_LIST)
        : [];
    if (carried.length > 0) {
      // Listed first, so that a crash while moving lets recoverDirectory move them back.
      await fs.writeFile(path.join(staging, CARRIED_LIST), `${carried.join('\n')}\n`);
      await syncDirectory(fs, staging);
      for (const name of carried) await fs.rename(path.join(target, name), path.join(staging, name));
    }
    await syncDirectory(fs, staging);
    if (old) await fs.rename(target, previous);
    await fs.rename(staging, target);
    swapped = true;
    await syncDirectory(fs, parent);
    await fs.rm(path.join(target, CARRIED_LIST), { force: true });
    if (old) await fs.rm(previous, { recursive: true, force: true });
  } finally {
    if (!swapped) await recoverDirectory(target);
  }
}
