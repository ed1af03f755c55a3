// Test-only: the PyTorch fixtures of the encoder-decoder, written by tools/fixtures/seq2seq_model.py.
import { readFileSync } from 'node:fs';

/** What tools/fixtures/seq2seq_model.py writes: a shorter list means a truncated or stale fixture. */
export const MODEL_FIXTURE_CASES = 4;

type Named = Record<string, { shape: number[]; values: number[] }>;

export interface ModelFixtureCase {
  config: {
    vocabSize: number;
    embeddingSize: number;
    hiddenSize: number;
    attentionSize: number;
    cell: 'gru' | 'lstm';
    attention: 'bahdanau' | 'dot' | 'general' | 'concat';
    inputFeeding: boolean;
    tieWeights: boolean;
    bidirectional: boolean;
    numLayers: number;
    bridge: 'concat' | 'sum';
    ignoreIndex: number;
    labelSmoothing: number;
  };
  src: number[];
  srcLengths: number[];
  tgtIn: number[];
  tgtOut: number[];
  batch: number;
  srcLen: number;
  tgtLen: number;
  encoderState: Named;
  decoderState: Named;
  logits: number[];
  attention: number[];
  loss: number;
  encoderGrad: Record<string, number[]>;
  decoderGrad: Record<string, number[]>;
}

export function loadModelFixture(): { torch: string; count: number; cases: ModelFixtureCase[] } {
  return JSON.parse(readFileSync(new URL('./seq2seq_model.json', import.meta.url), 'utf8')) as {
    torch: string;
    count: number;
    cases: ModelFixtureCase[];
  };
}
