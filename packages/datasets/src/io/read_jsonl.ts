import { DatasetFormatError } from './dataset_format_error.js';
import { readLines } from './read_lines.js';

export interface JsonlRecord {
  value: Record<string, unknown>;
  /** 1-based. */
  lineNumber: number;
}

/** Streams the objects of a JSON Lines file (blank lines skipped); a bad line fails with file and line. */
export async function* readJsonl(path: string, caller = 'readJsonl'): AsyncGenerator<JsonlRecord> {
  for await (const { text, lineNumber } of readLines(path, caller)) {
    if (text.trim() === '') continue;
    yield { value: parseJsonlObject(text, path, lineNumber), lineNumber };
  }
}

/** One JSON Lines record: a JSON object, or an error naming file and line. */
export function parseJsonlObject(text: string, path: string, lineNumber: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DatasetFormatError(
      path,
      lineNumber,
      `invalid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DatasetFormatError(path, lineNumber, 'expected a JSON object per line');
  }
  return value as Record<string, unknown>;
}
