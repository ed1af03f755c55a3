// Reads the torchaudio fixtures written by tools/fixtures/audio_features.py.
import { readFileSync } from 'node:fs';

import { readSafetensorsHeader } from '@rnnkit/tensor-core';

const dir = new URL('./', import.meta.url);

export interface FixtureCases {
  signals: Record<string, number>;
  melSpectrogram: Array<Record<string, unknown> & { name: string }>;
  mfcc: Array<Record<string, unknown> & { name: string }>;
  kaldiFbank: Array<Record<string, unknown> & { name: string }>;
  deltas: Array<{ name: string; input: string; winLength: number }>;
  resample: Array<{ name: string; signal: string; row: number; origFreq: number; newFreq: number; lowpassFilterWidth?: number; rolloff?: number }>;
}

const cases: FixtureCases = JSON.parse(readFileSync(new URL('audio_features.json', dir), 'utf8'));

/**
 * The cases of one kind, which must number `expected` (what tools/fixtures/audio_features.py writes):
 * a truncated or emptied fixture then fails at collection instead of looping over nothing.
 */
export function fixtureCases<K extends Exclude<keyof FixtureCases, 'signals'>>(
  kind: K,
  expected: number,
): FixtureCases[K] {
  const list = cases[kind] as FixtureCases[K] | undefined;
  const found = Array.isArray(list) ? list.length : 0;
  if (!Array.isArray(list) || found !== expected)
    throw new Error(
      `audio_features.json holds ${found} ${kind} cases, expected ${expected} (what tools/fixtures/audio_features.py writes)`,
    );
  return list;
}
const bytes = new Uint8Array(readFileSync(new URL('audio_features.safetensors', dir)));

const header = readSafetensorsHeader(bytes);

/** Fixture values on the host (float32), so tests make tensors on whichever backend is active. */
export function fixture(name: string): { values: Float32Array; shape: number[] } {
  const entry = header.tensors[name];
  if (!entry) throw new Error(`fixture ${name} not found`);
  const [a, b] = entry.dataOffsets;
  const copy = bytes.slice(header.dataStart + a, header.dataStart + b);
  return { values: new Float32Array(copy.buffer), shape: entry.shape };
}

/** Row `row` of a [rows, n] fixture. */
export function fixtureRow(name: string, row: number): Float32Array {
  const { values, shape } = fixture(name);
  const n = shape[shape.length - 1]!;
  return values.slice(row * n, (row + 1) * n);
}
