import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { importOptional } from '../io/optional_import.js';

export const ESPEAK_NG_PACKAGE = 'espeak-ng';

export interface EspeakVoiceSettings {
  /** espeak-ng voice, optionally with a variant: 'en-us', 'en-gb-scotland', 'en-029', 'en-us+f3', 'en-gb-x-rp+m2'. */
  voice: string;
  /** Words per minute (espeak -s, 80-450). */
  rate: number;
  /** Pitch 0-99 (espeak -p). */
  pitch: number;
}

/** The keys of EspeakVoiceSettings, checked by every synthesiser (espeak-ng and Flite). */
export const VOICE_SETTINGS_KEYS = optionKeys<EspeakVoiceSettings>({ voice: true, rate: true, pitch: true });

/** Synthesises one utterance to WAV bytes: 16-bit mono PCM, 22,050 Hz from espeak-ng, 16,000 Hz from Flite (resample before mixing). */
export type EspeakSynthesizer = (text: string, settings: EspeakVoiceSettings) => Promise<Uint8Array>;

/**
 * Loads the espeak-ng WASM build (an optional dependency, 18 MB) once and returns a synthesiser.
 * Each utterance runs the espeak-ng program in a fresh instance of the precompiled module (the
 * build exports no re-entrant API), about half a second per utterance.
 */
export async function createEspeakSynthesizer(): Promise<EspeakSynthesizer> {
  const { default: ESpeakNg } = await importOptional(
    'createEspeakSynthesizer',
    ESPEAK_NG_PACKAGE,
    () => import('espeak-ng'),
    '18 MB WASM, no install script',
  );
  let compiled: WebAssembly.Module | undefined;
  try {
    const pkg = createRequire(import.meta.url).resolve('espeak-ng/package.json');
    compiled = await WebAssembly.compile(await readFile(join(dirname(pkg), 'dist', 'espeak-ng.wasm')));
  } catch {
    compiled = undefined; // let the module find and compile its own .wasm
  }
  const wasm = compiled;
  return async (text, settings) => {
    const { voice, rate, pitch } = checkOptions('espeak', settings, VOICE_SETTINGS_KEYS, {
      argument: 'settings',
    });
    if (!/^[\w-]+(\+[\w-]+)?$/.test(voice))
      throw new Error(`espeak: voice must look like 'en-us' or 'en-us+f3', got '${voice}'`);
    if (!Number.isInteger(rate) || rate < 80 || rate > 450)
      throw new Error(`espeak: rate must be an integer in [80, 450] words/min, got ${rate}`);
    if (!Number.isInteger(pitch) || pitch < 0 || pitch > 99)
      throw new Error(`espeak: pitch must be an integer in [0, 99], got ${pitch}`);
    if (text.trim() === '') throw new Error('espeak: text is empty');
    const errors: string[] = [];
    // A leading '-' would be read as an option.
    const arg = text.startsWith('-') ? ` ${text}` : text;
    const instance = await ESpeakNg({
      arguments: ['-v', voice, '-s', String(rate), '-p', String(pitch), '-w', '/out.wav', arg],
      print: () => {},
      // Emscripten's own exit notice is not an espeak-ng message.
      printErr: (line) => {
        if (!line.startsWith('program exited')) errors.push(line);
      },
      ...(wasm
        ? {
            instantiateWasm: (imports, done) => {
              void WebAssembly.instantiate(wasm, imports).then((inst) => done(inst, wasm));
              return {};
            },
          }
        : {}),
    });
    let wav: Uint8Array;
    try {
      wav = instance.FS.readFile('/out.wav');
    } catch {
      throw new Error(
        `espeak: no audio for voice '${voice}'${errors.length ? `: ${errors.join(' ').trim()}` : ''}`,
      );
    }
    if (wav.length <= 44)
      throw new Error(
        `espeak: voice '${voice}' produced no samples${errors.length ? `: ${errors.join(' ').trim()}` : ''}`,
      );
    return wav.slice();
  };
}

/** Duration in seconds of a PCM WAV file from its header (fmt and data chunks), without decoding samples. */
export function wavDuration(bytes: Uint8Array, name = 'audio.wav'): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE')
    throw new Error(`wavDuration: ${name} is not a RIFF/WAVE file`);
  let byteRate = 0;
  for (let o = 12; o + 8 <= bytes.length;) {
    const id = tag(o);
    const size = view.getUint32(o + 4, true);
    if (id === 'fmt ') byteRate = view.getUint32(o + 16, true);
    if (id === 'data') {
      if (byteRate === 0) throw new Error(`wavDuration: ${name} has a data chunk before its fmt chunk`);
      // espeak may leave a placeholder size when streaming; trust the bytes actually present.
      return Math.min(size, bytes.length - o - 8) / byteRate;
    }
    o += 8 + size + (size % 2);
  }
  throw new Error(`wavDuration: ${name} has no data chunk`);
}
