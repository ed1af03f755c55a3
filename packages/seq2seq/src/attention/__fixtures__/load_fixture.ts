// Test-only: the PyTorch fixtures of the attention modules, written by tools/fixtures/seq2seq_attention.py.
import { readFileSync } from 'node:fs';

/** What tools/fixtures/seq2seq_attention.py writes: a shorter list means a truncated or stale fixture. */
export const ATTENTION_FIXTURE_CASES = 8;

export interface AttentionFixtureCase {
  kind: 'bahdanau' | 'dot' | 'general' | 'concat';
  batch: number;
  tgtLen: number;
  srcLen: number;
  querySize: number;
  keySize: number;
  attentionSize: number;
  keyLengths: number[];
  query: number[];
  keys: number[];
  state: Record<string, { shape: number[]; values: number[] }>;
  context: number[];
  weights: number[];
  projContext: number[];
  projWeights: number[];
  gradQuery: number[];
  gradKeys: number[];
  gradState: Record<string, number[]>;
}

export function loadAttentionFixture(): { torch: string; count: number; cases: AttentionFixtureCase[] } {
  return JSON.parse(readFileSync(new URL('./attention.json', import.meta.url), 'utf8')) as {
    torch: string;
    count: number;
    cases: AttentionFixtureCase[];
  };
}
