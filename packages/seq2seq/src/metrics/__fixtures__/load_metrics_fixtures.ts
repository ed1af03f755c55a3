// Test-only: the reference values written by tools/fixtures/seq2seq_metrics.py (sacreBLEU run from its
// source, and Debian's python3-levenshtein).
import { readFileSync } from 'node:fs';

/**
 * What the generator writes. A smaller count means a truncated or stale fixture; a test checks each, so
 * a regenerated file with fewer cases cannot pass silently.
 */
export const SACREBLEU_FIXTURE_COUNTS = {
  cases: 44,
  tokenizerInputs: 194,
  bleuCorpus: 188,
  bleuSentence: 564,
  chrfCorpus: 36,
  chrfSentence: 176,
} as const;
export const LEVENSHTEIN_FIXTURE_PAIRS = 440;

export interface BleuFixtureRecord {
  options: Record<string, unknown>;
  nrefs: number;
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
  signature: string;
  formatted?: string;
}

export interface BleuCorpusRecord extends BleuFixtureRecord {
  subset: string;
  formatted: string;
}

export interface BleuSentenceRecord extends BleuFixtureRecord {
  case: number;
}

export interface ChrfCorpusRecord {
  subset: string;
  nrefs: number;
  options: Record<string, unknown>;
  score: number;
  name: string;
  signature: string;
  formatted: string;
}

export interface ChrfSentenceRecord {
  case: number;
  nrefs: number;
  options: Record<string, unknown>;
  score: number;
  signature: string;
}

export interface SacrebleuFixture {
  generator: string;
  sacrebleu: { version: string; commit: string | null; source: string };
  counts: Record<keyof typeof SACREBLEU_FIXTURE_COUNTS, number>;
  subsets: Record<string, number[]>;
  /** [hypothesis, reference 1, reference 2, reference 3] */
  cases: Array<[string, string, string, string]>;
  tokenizerInputs: string[];
  tokenizers: Record<string, string[]>;
  bleuCorpus: BleuCorpusRecord[];
  bleuSentence: BleuSentenceRecord[];
  chrfCorpus: ChrfCorpusRecord[];
  chrfSentence: ChrfSentenceRecord[];
}

export interface EditFixture {
  reference: string[] | string;
  hypothesis: string[] | string;
  referenceEmpty?: true;
  distance: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  hits: number;
  /** python-Levenshtein's editops: [type, position in the reference, position in the hypothesis]. */
  editops: Array<['replace' | 'delete' | 'insert', number, number]>;
}

export interface LevenshteinPair {
  options: Record<string, boolean>;
  reference: string;
  hypothesis: string;
  /** Normalised word lists. */
  word: EditFixture & { reference: string[]; hypothesis: string[] };
  /** Normalised strings; characters are their code points. */
  char: EditFixture & { reference: string; hypothesis: string };
}

export interface LevenshteinFixture {
  levenshtein: string;
  counts: { pairs: number };
  pairs: LevenshteinPair[];
}

function read<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;
}

export function loadSacrebleuFixture(): SacrebleuFixture {
  return read<SacrebleuFixture>('sacrebleu.json');
}

export function loadLevenshteinFixture(): LevenshteinFixture {
  return read<LevenshteinFixture>('levenshtein.json');
}

/** The corpus of a fixture subset: hypotheses and the first `nrefs` reference streams. */
export function subsetCorpus(
  fixture: SacrebleuFixture,
  subset: string,
  nrefs: number,
): { hypotheses: string[]; references: string[][] } {
  const indices = fixture.subsets[subset];
  if (!indices) throw new Error(`no fixture subset ${subset}`);
  const rows = indices.map((i) => fixture.cases[i]!);
  return {
    hypotheses: rows.map((row) => row[0]),
    references: [1, 2, 3].slice(0, nrefs).map((k) => rows.map((row) => row[k]!)),
  };
}
