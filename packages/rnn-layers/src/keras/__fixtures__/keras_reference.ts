// Test-only: the PyTorch reference written by tools/fixtures/rnn_layers_keras.py (kept out of dist).
import { readFileSync } from 'node:fs';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const reference: any = JSON.parse(readFileSync(new URL('./keras_reference.json', import.meta.url), 'utf8'));
