import { access } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { DatasetFormatError } from '../io/dataset_format_error.js';
import { readJsonl } from '../io/read_jsonl.js';
import type { SpeechExample } from './speech_example.js';

export interface SpeechManifestOptions {
  /** Key of the audio path, relative to the manifest's folder unless absolute. Default 'audio'. */
  audioField?: string;
  /** Default 'text'. */
  textField?: string;
  /** Check that each audio file exists (one stat per line). Default true. */
  checkFiles?: boolean;
}

const SPEECH_MANIFEST_OPTIONS = optionKeys<SpeechManifestOptions>({
  audioField: true,
  textField: true,
  checkFiles: true,
});

/**
 * Streams a JSON Lines manifest, one `{ "audio": "clips/a.wav", "text": "...", "duration"?: 1.2,
 * "id"?: "..." }` per line, in bounded memory.
 */
export function streamSpeechManifest(
  path: string,
  options?: SpeechManifestOptions,
): AsyncGenerator<SpeechExample> {
  return examplesOf(path, checkOptions('streamSpeechManifest', options, SPEECH_MANIFEST_OPTIONS));
}

async function* examplesOf(path: string, options: SpeechManifestOptions): AsyncGenerator<SpeechExample> {
  const audioKey = options.audioField ?? 'audio';
  const textKey = options.textField ?? 'text';
  const checkFiles = options.checkFiles ?? true;
  const base = dirname(resolve(path));
  for await (const { value, lineNumber } of readJsonl(path, 'loadSpeechManifest')) {
    const audio = value[audioKey];
    const text = value[textKey];
    if (typeof audio !== 'string' || audio === '') {
      throw new DatasetFormatError(
        path,
        lineNumber,
        `field '${audioKey}' must be a non-empty path string, got ${JSON.stringify(audio)}`,
      );
    }
    if (typeof text !== 'string') {
      throw new DatasetFormatError(
        path,
        lineNumber,
        `field '${textKey}' must be a string, got ${JSON.stringify(text)}`,
      );
    }
    const audioPath = isAbsolute(audio) ? audio : resolve(base, audio);
    if (checkFiles) {
      try {
        await access(audioPath);
      } catch {
        throw new DatasetFormatError(path, lineNumber, `audio file not found: ${audioPath}`);
      }
    }
    const example: SpeechExample = {
      id: typeof value.id === 'string' ? value.id : audio,
      audioPath,
      text,
      line: lineNumber,
    };
    if (value.duration !== undefined) {
      if (typeof value.duration !== 'number' || !(value.duration >= 0)) {
        throw new DatasetFormatError(
          path,
          lineNumber,
          `field 'duration' must be a non-negative number of seconds, got ${JSON.stringify(value.duration)}`,
        );
      }
      example.duration = value.duration;
    }
    yield example;
  }
}

/** Loads a JSON Lines speech manifest (see streamSpeechManifest). */
export async function loadSpeechManifest(
  path: string,
  options?: SpeechManifestOptions,
): Promise<SpeechExample[]> {
  checkOptions('loadSpeechManifest', options, SPEECH_MANIFEST_OPTIONS);
  const out: SpeechExample[] = [];
  for await (const example of streamSpeechManifest(path, options)) out.push(example);
  return out;
}
