/**
 * Bad data in a file: the message starts with `file:line:` (line omitted when it is not known) so
 * editors and terminals link straight to the offending line.
 */
export class DatasetFormatError extends Error {
  override readonly name = 'DatasetFormatError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${reason}`);
  }
}
