/**
 * Loads an optional dependency, turning "not installed" into an error that says how to install it.
 * `importer` must be a literal `() => import('pkg')` at the call site so bundlers see the name.
 */
export async function importOptional<T>(
  fn: string,
  packageName: string,
  importer: () => Promise<T>,
  note = '',
): Promise<T> {
  try {
    return await importer();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = err instanceof Error ? err.message : '';
    if (
      code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /Cannot find (module|package)/.test(message)
    ) {
      throw new Error(
        `${fn}: the optional package ${packageName} is not installed; install it with \`npm install ${packageName}\`${note ? ` (${note})` : ''}`,
        { cause: err },
      );
    }
    throw err;
  }
}
