// Test-only: the NLTK fixtures of NGramLanguageModel, written by tools/fixtures/seq2seq_lm.py.
import { readFileSync } from 'node:fs';

/** What tools/fixtures/seq2seq_lm.py writes: a different count means a truncated or stale fixture. */
export const KNESER_NEY_FIXTURE_CASES = 2169;

export interface KneserNeyFixtureModel {
  unit: 'char' | 'word';
  order: number;
  discount: number;
  /** len(lm.vocab): every token seen, <s>, </s> and <UNK>. */
  vocabularySize: number;
  /** [word, context, lm.score(word, context)]. */
  queries: Array<[string, string[], number]>;
  /** [text, ln P of the text padded with order - 1 <s> and one </s>]. */
  sentences: Array<[string, number]>;
}

export interface KneserNeyFixture {
  nltk: string;
  corpus: string[];
  count: number;
  models: KneserNeyFixtureModel[];
}

export function loadKneserNeyFixture(): KneserNeyFixture {
  const raw = JSON.parse(readFileSync(new URL('./kneser_ney.json', import.meta.url), 'utf8')) as KneserNeyFixture;
  // JSON has no -Infinity: the generator writes it as a string.
  for (const m of raw.models) m.sentences = m.sentences.map(([text, lp]) => [text, Number(lp)]);
  return raw;
}
