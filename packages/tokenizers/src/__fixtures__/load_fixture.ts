import { readFileSync } from 'node:fs';

/** Test-only: reads a committed fixture next to this file. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./${name}`, import.meta.url)));
}

/**
 * Reads a JSON fixture. `counts` maps dotted paths of arrays in it (`'bpe.cases'`) to the lengths
 * tools/fixtures/tokenizers.py writes: a truncated or emptied fixture then fails at load instead of
 * letting a loop over its cases run nothing.
 */
export function fixtureJson<T>(name: string, counts: Record<string, number> = {}): T {
  const data: unknown = JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'));
  for (const [path, expected] of Object.entries(counts)) {
    let value = data;
    for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
    const found = Array.isArray(value) ? value.length : 0;
    if (!Array.isArray(value) || found !== expected)
      throw new Error(
        `${name}: ${path} holds ${found} entries, expected ${expected} (what tools/fixtures/tokenizers.py writes)`,
      );
  }
  return data as T;
}

export function fixturePath(name: string): string {
  return new URL(`./${name}`, import.meta.url).pathname;
}

export interface SpCase {
  text: string;
  ids: number[];
  pieces: string[];
  decoded: string;
}
export interface SpModelFixture {
  info: { vocab_size: number; unk_id: number; bos_id: number; eos_id: number; pad_id: number; pieces: string[]; scores: number[] };
  cases: SpCase[];
}
export interface SentencePieceFixture {
  held_out: string[];
  unigram: SpModelFixture;
  bpe: SpModelFixture;
}
