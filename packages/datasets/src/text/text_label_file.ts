import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { DatasetFormatError } from '../io/dataset_format_error.js';
import { parseJsonlObject } from '../io/read_jsonl.js';
import { splitLines, stripBom } from '../io/read_lines.js';

export type TextLabelFormat = 'csv' | 'tsv' | 'jsonl';

export interface TextLabelFileOptions {
  /** Default: from the extension (.csv; .tsv/.tab; .jsonl/.ndjson). */
  format?: TextLabelFormat;
  /** Column name (with a header, or a JSONL key) or 0-based column index. Default 'text', or 0 without a header. */
  textField?: string | number;
  /** Default 'label', or 1 without a header. */
  labelField?: string | number;
  /** CSV/TSV: the first row names the columns. Default true. */
  header?: boolean;
  /**
   * The allowed labels, in class-index order; any other label is an error naming file and line.
   * Default: every label found, sorted, so the mapping does not depend on row order.
   */
  labels?: readonly string[];
  /** TSV only: allow double quotes around fields (RFC 4180 style). Default false: quotes are literal text. */
  tsvQuotes?: boolean;
}

const TEXT_LABEL_FILE_OPTIONS = optionKeys<TextLabelFileOptions>({
  format: true,
  textField: true,
  labelField: true,
  header: true,
  labels: true,
  tsvQuotes: true,
});

export interface TextLabelExample {
  text: string;
  /** Index into `labels`. */
  label: number;
  labelName: string;
  /** 1-based line where the record ends in the file. */
  line: number;
}

export interface TextLabelData {
  examples: TextLabelExample[];
  labels: string[];
}

/** Loads a text-classification file in CSV, TSV or JSONL with one example per record. */
export async function loadTextLabelFile(
  path: string,
  options?: TextLabelFileOptions,
): Promise<TextLabelData> {
  checkOptions('loadTextLabelFile', options, TEXT_LABEL_FILE_OPTIONS);
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `loadTextLabelFile: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      { cause: err },
    );
  }
  return parseTextLabelFile(content, path, options);
}

/** The parsing half of loadTextLabelFile, for text already in memory; `file` names it in errors. */
export function parseTextLabelFile(
  content: string,
  file: string,
  fileOptions?: TextLabelFileOptions,
): TextLabelData {
  const options = checkOptions('parseTextLabelFile', fileOptions, TEXT_LABEL_FILE_OPTIONS);
  const format = options.format ?? formatFromExtension(file);
  const rows =
    format === 'jsonl' ? jsonlRows(content, file, options) : delimitedRows(content, file, format, options);
  const labelSet = options.labels ? [...options.labels] : [...new Set(rows.map((r) => r.label))].sort();
  const labelIndex = new Map(labelSet.map((l, i) => [l, i]));
  if (labelIndex.size !== labelSet.length)
    throw new Error(`loadTextLabelFile: options.labels has duplicates: ${labelSet.join(', ')}`);
  const examples = rows.map((r) => {
    const index = labelIndex.get(r.label);
    if (index === undefined) {
      throw new DatasetFormatError(
        file,
        r.line,
        `unknown label '${r.label}'; expected one of: ${labelSet.join(', ')}`,
      );
    }
    return { text: r.text, label: index, labelName: r.label, line: r.line };
  });
  return { examples, labels: labelSet };
}

function formatFromExtension(file: string): TextLabelFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new Error(
    `loadTextLabelFile: cannot tell the format of ${file} from '${ext}'; pass options.format ('csv', 'tsv' or 'jsonl')`,
  );
}

interface Row {
  text: string;
  label: string;
  line: number;
}

function jsonlRows(content: string, file: string, options: TextLabelFileOptions): Row[] {
  const textKey = String(options.textField ?? 'text');
  const labelKey = String(options.labelField ?? 'label');
  const rows: Row[] = [];
  for (const { text, lineNumber } of splitLines(content)) {
    if (text.trim() === '') continue;
    const record = parseJsonlObject(text, file, lineNumber);
    rows.push({
      text: fieldText(record[textKey], textKey, file, lineNumber, true),
      label: fieldText(record[labelKey], labelKey, file, lineNumber, false),
      line: lineNumber,
    });
  }
  return rows;
}

function fieldText(value: unknown, key: string, file: string, line: number, isText: boolean): string {
  if (value === undefined || value === null)
    throw new DatasetFormatError(file, line, `missing field '${key}'`);
  if (typeof value === 'string') return value;
  if (!isText && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  throw new DatasetFormatError(
    file,
    line,
    `field '${key}' must be a string${isText ? '' : ', number or boolean'}, got ${JSON.stringify(value)}`,
  );
}

function delimitedRows(
  content: string,
  file: string,
  format: 'csv' | 'tsv',
  options: TextLabelFileOptions,
): Row[] {
  const header = options.header ?? true;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(stripBom(content), {
      delimiter: format === 'tsv' ? '\t' : ',',
      quote: format === 'tsv' && !options.tsvQuotes ? null : '"',
      info: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new DatasetFormatError(file, e.lines, e.message);
  }
  const first = records[0];
  if (first === undefined) return [];
  let textColumn: number;
  let labelColumn: number;
  let body = records;
  if (header) {
    const names = first.record;
    const find = (field: string | number | undefined, fallback: string) => {
      if (typeof field === 'number') return field;
      const name = field ?? fallback;
      const i = names.indexOf(name);
      if (i < 0)
        throw new DatasetFormatError(
          file,
          first.info.lines,
          `no column '${name}' in header (${names.join(', ')})`,
        );
      return i;
    };
    textColumn = find(options.textField, 'text');
    labelColumn = find(options.labelField, 'label');
    body = records.slice(1);
  } else {
    if (typeof options.textField === 'string' || typeof options.labelField === 'string') {
      throw new Error(
        `loadTextLabelFile: ${file}: column names need header: true; give 0-based column indexes instead`,
      );
    }
    textColumn = options.textField ?? 0;
    labelColumn = options.labelField ?? 1;
  }
  return body.map(({ record, info }) => {
    const text = record[textColumn];
    const label = record[labelColumn];
    if (text === undefined || label === undefined) {
      throw new DatasetFormatError(
        file,
        info.lines,
        `expected at least ${Math.max(textColumn, labelColumn) + 1} columns, got ${record.length}`,
      );
    }
    return { text, label, line: info.lines };
  });
}
