import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { DatasetFormatError } from '../io/dataset_format_error.js';
import { readLines } from '../io/read_lines.js';
import { normalizeText, TEXT_NORMALIZATION_OPTIONS, type TextNormalization } from './normalize_text.js';

export interface TranslationPair {
  source: string;
  target: string;
  /** Third column of Tatoeba/Anki files (licence and sentence ids), when present. */
  attribution?: string;
  /** 1-based line in the file. */
  line: number;
}

export interface TabSeparatedPairsOptions {
  /**
   * 'anki': Tatoeba/ManyThings Anki exports, `source<TAB>target[<TAB>attribution]`, 2 or 3 columns
   * (Anki's `#key:value` header lines are skipped). 'tsv': any number of columns, pick them with
   * sourceColumn/targetColumn. Default 'anki'.
   */
  format?: 'anki' | 'tsv';
  /** 0-based columns. Defaults 0 and 1; swap them to translate the other way. */
  sourceColumn?: number;
  targetColumn?: number;
  /** 'tsv' only: skip the first line. Default false. */
  header?: boolean;
  /** Applied to both sides before filtering and deduplication. Default: NFC and whitespace collapsing only. */
  normalize?: TextNormalization;
  /** Keep pairs whose both sides have at least / at most this many units (after normalisation). */
  minLength?: number;
  maxLength?: number;
  /** What minLength/maxLength count: whitespace-separated 'tokens' or 'chars' (code points). Default 'tokens'. */
  lengthUnit?: 'tokens' | 'chars';
  /** Drop repeated 'pair's, or repeated 'source' sentences (keeping the first translation), or 'none'. Default 'pair'. */
  deduplicate?: 'pair' | 'source' | 'none';
}

const TAB_SEPARATED_PAIRS_OPTIONS = optionKeys<TabSeparatedPairsOptions>({
  format: true,
  sourceColumn: true,
  targetColumn: true,
  header: true,
  normalize: true,
  minLength: true,
  maxLength: true,
  lengthUnit: true,
  deduplicate: true,
});

/** Checks the options and the nested `normalize` options under the caller's name. */
function checkPairsOptions(
  fn: string,
  options: TabSeparatedPairsOptions | undefined,
): TabSeparatedPairsOptions {
  const checked = checkOptions(fn, options, TAB_SEPARATED_PAIRS_OPTIONS);
  checkOptions(`${fn}: normalize`, checked.normalize, TEXT_NORMALIZATION_OPTIONS);
  return checked;
}

export interface TabSeparatedPairsStats {
  lines: number;
  kept: number;
  droppedByLength: number;
  duplicates: number;
}

/** Streams the pairs of a tab-separated file in bounded memory (dedup keeps one set of seen keys). */
export function streamTabSeparatedPairs(
  path: string,
  options?: TabSeparatedPairsOptions,
  stats: TabSeparatedPairsStats = { lines: 0, kept: 0, droppedByLength: 0, duplicates: 0 },
): AsyncGenerator<TranslationPair> {
  return pairsOf(path, checkPairsOptions('streamTabSeparatedPairs', options), stats);
}

async function* pairsOf(
  path: string,
  options: TabSeparatedPairsOptions,
  stats: TabSeparatedPairsStats,
): AsyncGenerator<TranslationPair> {
  const format = options.format ?? 'anki';
  if (format !== 'anki' && format !== 'tsv') {
    throw new Error(`loadTabSeparatedPairs: format must be 'anki' or 'tsv', got '${String(format)}'`);
  }
  const sourceColumn = options.sourceColumn ?? 0;
  const targetColumn = options.targetColumn ?? 1;
  for (const [name, v] of [
    ['sourceColumn', sourceColumn],
    ['targetColumn', targetColumn],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`loadTabSeparatedPairs: ${name} must be a non-negative integer, got ${v}`);
  }
  const unit = options.lengthUnit ?? 'tokens';
  const lengthOf = (s: string) => (unit === 'chars' ? [...s].length : s === '' ? 0 : s.split(' ').length);
  const dedup = options.deduplicate ?? 'pair';
  const seen = new Set<string>();
  const needed = Math.max(sourceColumn, targetColumn) + 1;

  for await (const { text, lineNumber } of readLines(path, 'loadTabSeparatedPairs')) {
    if (text.trim() === '') continue;
    if (lineNumber === 1 && format === 'tsv' && options.header) continue;
    if (format === 'anki' && /^#[\w ]+:/.test(text)) continue;
    stats.lines++;
    const columns = text.split('\t');
    if (format === 'anki' && (columns.length < 2 || columns.length > 3)) {
      throw new DatasetFormatError(
        path,
        lineNumber,
        `expected 2 or 3 tab-separated columns (source, target, attribution), got ${columns.length}`,
      );
    }
    if (columns.length < needed) {
      throw new DatasetFormatError(
        path,
        lineNumber,
        `expected at least ${needed} tab-separated columns, got ${columns.length}`,
      );
    }
    const sourceText = columns[sourceColumn];
    const targetText = columns[targetColumn];
    if (sourceText === undefined || targetText === undefined) {
      throw new DatasetFormatError(
        path,
        lineNumber,
        `expected at least ${needed} tab-separated columns, got ${columns.length}`,
      );
    }
    const source = normalizeText(sourceText, options.normalize);
    const target = normalizeText(targetText, options.normalize);
    if (source === '' || target === '') {
      throw new DatasetFormatError(path, lineNumber, `empty ${source === '' ? 'source' : 'target'} sentence`);
    }
    const ls = lengthOf(source);
    const lt = lengthOf(target);
    if (
      (options.minLength !== undefined && (ls < options.minLength || lt < options.minLength)) ||
      (options.maxLength !== undefined && (ls > options.maxLength || lt > options.maxLength))
    ) {
      stats.droppedByLength++;
      continue;
    }
    if (dedup !== 'none') {
      const key = dedup === 'pair' ? `${source}\t${target}` : source;
      if (seen.has(key)) {
        stats.duplicates++;
        continue;
      }
      seen.add(key);
    }
    stats.kept++;
    const pair: TranslationPair = { source, target, line: lineNumber };
    const attribution = columns[2];
    if (format === 'anki' && columns.length === 3 && attribution !== undefined)
      pair.attribution = attribution;
    yield pair;
  }
}

/** Loads Tatoeba/Anki sentence pairs or a generic TSV of translations. */
export async function loadTabSeparatedPairs(
  path: string,
  options?: TabSeparatedPairsOptions,
): Promise<{ pairs: TranslationPair[]; stats: TabSeparatedPairsStats }> {
  checkPairsOptions('loadTabSeparatedPairs', options);
  const stats: TabSeparatedPairsStats = { lines: 0, kept: 0, droppedByLength: 0, duplicates: 0 };
  const pairs: TranslationPair[] = [];
  for await (const pair of streamTabSeparatedPairs(path, options, stats)) pairs.push(pair);
  return { pairs, stats };
}
