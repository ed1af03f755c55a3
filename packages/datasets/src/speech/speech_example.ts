import { readFile } from 'node:fs/promises';

export interface SpeechExample {
  /** Stable id (LJSpeech's clip id, or the manifest's `id` field, else the audio path as written). */
  id: string;
  /** Absolute path of the audio file; decoding (WAV → Float32Array) belongs to @rnnkit/audio-features. */
  audioPath: string;
  text: string;
  /** Seconds, when the manifest gives a `duration`; handy for length bucketing before decoding. */
  duration?: number;
  /** 1-based line of the manifest or metadata file. */
  line: number;
}

/** The raw bytes of an example's audio file, for a decoder. */
export async function readAudioBytes(example: Pick<SpeechExample, 'audioPath'>): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(example.audioPath));
  } catch (err) {
    throw new Error(
      `readAudioBytes: cannot read ${example.audioPath} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      { cause: err },
    );
  }
}
