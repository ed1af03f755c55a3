// Test-only: the PyTorch fixtures of ctcLoss, written by tools/fixtures/seq2seq_ctc.py.
import { readFileSync } from 'node:fs';

/** What tools/fixtures/seq2seq_ctc.py writes: a shorter list means a truncated or stale fixture. */
export const CTC_FIXTURE_CASES = 10;

export interface CtcFixtureCase {
  name: string;
  T: number;
  N: number;
  C: number;
  S: number;
  blank: number;
  reduction: 'mean' | 'sum' | 'none';
  zeroInfinity: boolean;
  /** [T, N, C] row-major. */
  logits: number[];
  logProbs: number[];
  /** [N, S] padded with the blank. */
  targets: number[][];
  targetsConcat: number[];
  inputLengths: number[];
  targetLengths: number[];
  /** One per sequence for reduction 'none'. */
  loss: number | number[];
  /** Reduction 'none': the gradient is that of sum(gradWeights * loss). */
  gradWeights?: number[];
  gradLogits: number[];
}

// JSON has no Infinity or NaN: the generator writes them as strings.
const numbers = (values: Array<number | string>): number[] => values.map(Number);

export function loadCtcFixture(): { torch: string; count: number; cases: CtcFixtureCase[] } {
  const raw = JSON.parse(readFileSync(new URL('./ctc_loss.json', import.meta.url), 'utf8')) as {
    torch: string;
    count: number;
    cases: Array<Record<string, unknown>>;
  };
  const cases = raw.cases.map((c) => ({
    ...c,
    logProbs: numbers(c['logProbs'] as Array<number | string>),
    gradLogits: numbers(c['gradLogits'] as Array<number | string>),
    loss: Array.isArray(c['loss']) ? numbers(c['loss'] as Array<number | string>) : Number(c['loss']),
  })) as unknown as CtcFixtureCase[];
  return { torch: raw.torch, count: raw.count, cases };
}
