import { access, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { DatasetFormatError } from '../io/dataset_format_error.js';
import { readLines } from '../io/read_lines.js';
import type { SpeechExample } from './speech_example.js';

export interface LJSpeechOptions {
  /** LJSpeech's third column spells out numbers and abbreviations ('normalized', default); the second is the 'raw' transcript. */
  transcript?: 'normalized' | 'raw';
  /** Check that wavs/<id>.wav exists for every line. Default true. */
  checkFiles?: boolean;
}

const LJSPEECH_OPTIONS = optionKeys<LJSpeechOptions>({ transcript: true, checkFiles: true });

/**
 * Loads the LJSpeech layout: `metadata.csv` with `id|raw transcript|normalized transcript` per line
 * (pipe-separated, no quoting: transcripts contain quotes) and the audio in `wavs/<id>.wav`.
 */
export async function loadLJSpeech(root: string, ljOptions?: LJSpeechOptions): Promise<SpeechExample[]> {
  const options = checkOptions('loadLJSpeech', ljOptions, LJSPEECH_OPTIONS);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory())
    throw new Error(`loadLJSpeech: ${root} is not a directory (expected metadata.csv and wavs/ inside)`);
  const transcript = options.transcript ?? 'normalized';
  if (transcript !== 'normalized' && transcript !== 'raw') {
    throw new Error(`loadLJSpeech: transcript must be 'normalized' or 'raw', got '${String(transcript)}'`);
  }
  const checkFiles = options.checkFiles ?? true;
  const metadata = join(root, 'metadata.csv');
  const wavs = resolve(root, 'wavs');
  const out: SpeechExample[] = [];
  const seen = new Set<string>();
  for await (const { text, lineNumber } of readLines(metadata, 'loadLJSpeech')) {
    if (text.trim() === '') continue;
    const columns = text.split('|');
    if (columns.length !== 3) {
      throw new DatasetFormatError(
        metadata,
        lineNumber,
        `expected 3 '|'-separated columns (id|raw|normalized), got ${columns.length}`,
      );
    }
    const [id, raw, normalized] = columns as [string, string, string];
    if (!/^[\w.-]+$/.test(id))
      throw new DatasetFormatError(metadata, lineNumber, `clip id '${id}' is not a file name`);
    if (seen.has(id)) throw new DatasetFormatError(metadata, lineNumber, `clip id '${id}' appears twice`);
    seen.add(id);
    const audioPath = join(wavs, `${id}.wav`);
    if (checkFiles) {
      try {
        await access(audioPath);
      } catch {
        throw new DatasetFormatError(metadata, lineNumber, `audio file not found: ${audioPath}`);
      }
    }
    // A few LJSpeech lines leave the normalized column empty; fall back to the raw text.
    const chosen = transcript === 'raw' || normalized === '' ? raw : normalized;
    out.push({ id, audioPath, text: chosen, line: lineNumber });
  }
  return out;
}
