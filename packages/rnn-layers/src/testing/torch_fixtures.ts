// Loads the PyTorch fixtures written by tools/fixtures/rnn_layers.py (tests only).
import { readFileSync } from 'node:fs';

import type * as tf from '@tensorflow/tfjs-core';
import { readSafetensors } from '@rnnkit/tensor-core';

export interface TorchCase {
  name: string;
  cell: 'rnn_tanh' | 'rnn_relu' | 'lstm' | 'gru';
  numLayers: number;
  bidirectional: boolean;
  lengths: number[] | null;
  time: number;
  batch: number;
  inputSize: number;
  hiddenSize: number;
  parameters: string[];
}

const dir = new URL('../__fixtures__/', import.meta.url);

/**
 * The case list, which must hold `expectedCount` cases (the number tools/fixtures/rnn_layers.py writes):
 * a truncated or emptied fixture then fails at collection instead of looping over nothing.
 */
export function loadTorchCases(expectedCount: number): TorchCase[] {
  const { cases } = JSON.parse(readFileSync(new URL('rnn_layers.json', dir), 'utf8')) as {
    cases?: TorchCase[];
  };
  const found = Array.isArray(cases) ? cases.length : 0;
  if (!Array.isArray(cases) || found !== expectedCount)
    throw new Error(
      `rnn_layers.json holds ${found} cases, expected ${expectedCount} (what tools/fixtures/rnn_layers.py writes)`,
    );
  return cases;
}

/** All fixture tensors of one case, keyed without the "<case>/" prefix. The caller disposes them. */
export function loadTorchTensors(name: string): Record<string, tf.Tensor> {
  const all = readSafetensors(readFileSync(new URL('rnn_layers.safetensors', dir)));
  const out: Record<string, tf.Tensor> = {};
  for (const [key, t] of Object.entries(all)) {
    if (key.startsWith(`${name}/`)) out[key.slice(name.length + 1)] = t;
    else t.dispose();
  }
  return out;
}
