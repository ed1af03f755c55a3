import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';

export interface NumberedLine {
  /** The line without its line terminator (\n or \r\n) and, on line 1, without a UTF-8 BOM. */
  text: string;
  /** 1-based. */
  lineNumber: number;
}

/** Streams a text file line by line in bounded memory, with 1-based line numbers for error messages. */
export async function* readLines(path: string, caller = 'readLines'): AsyncGenerator<NumberedLine> {
  await assertReadable(path, caller);
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const raw of lines) {
      lineNumber++;
      yield { text: lineNumber === 1 ? stripBom(raw) : raw, lineNumber };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Splits an in-memory text into numbered lines (\n or \r\n); a final empty line after the last terminator is not reported. */
export function splitLines(text: string): NumberedLine[] {
  const parts = stripBom(text).split(/\r?\n/);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ text: t, lineNumber: i + 1 }));
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Fails with the path and what was wanted, instead of a bare ENOENT from deep inside a stream. */
export async function assertReadable(path: string, fn: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new Error(`${fn}: file not found or not readable: ${path}`);
  }
}
