import { bufferToFloat32Channels, SampleFormat } from '@echogarden/wave-codec';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { resample, RESAMPLE_OPTIONS, type ResampleOptions } from '../resample/resample.js';
import { readWavHeader, WAV_MAX_SAMPLE_RATE } from './wav_header.js';

export type WavSampleFormat = 'pcm' | 'float' | 'alaw' | 'mulaw';

export interface DecodedWav {
  /** Mono samples in [-1, 1]: the mean of the channels (resampled when targetSampleRate was given). */
  samples: Float32Array;
  /** Sample rate of `samples`. */
  sampleRate: number;
  /** Each channel before mixing, at the file's rate (only with keepChannels). */
  channels?: Float32Array[];
  /** What the file held. */
  source: {
    sampleRate: number;
    numChannels: number;
    bitDepth: number;
    sampleFormat: WavSampleFormat;
    numFrames: number;
  };
}

export interface DecodeWavOptions {
  /** Resample the mixed-down signal to this rate (torchaudio's sinc_interp_hann resampler). */
  targetSampleRate?: number;
  /** Options for the resampler. */
  resample?: ResampleOptions;
  /** Also return the individual channels (default false). */
  keepChannels?: boolean;
  /** Accept files whose RIFF or data chunk claims more bytes than there are, decoding what is there (default false: error). */
  allowTruncated?: boolean;
  /** The file's name, put in error messages (default: none). */
  name?: string;
}

const DECODE_WAV_OPTIONS = optionKeys<DecodeWavOptions>({
  targetSampleRate: true,
  resample: true,
  keepChannels: true,
  allowTruncated: true,
  name: true,
});

const FORMAT_OF: Record<SampleFormat, WavSampleFormat> = {
  [SampleFormat.PCM]: 'pcm',
  [SampleFormat.Float]: 'float',
  [SampleFormat.Alaw]: 'alaw',
  [SampleFormat.Mulaw]: 'mulaw',
};

function fail(message: string): never {
  throw new Error(`decodeWav: ${message}`);
}

/**
 * Decodes a WAV file from bytes (PCM 8/16/24/32-bit, float 32/64-bit, A-law, mu-law; any number of
 * channels, mixed down to mono by averaging). Integer PCM is scaled to [-1, 1) as torchaudio.load does.
 * The header is checked field against field (see readWavHeader: sample rate 1..768000 Hz, blockAlign and
 * byteRate consistent with channels and bit depth); chunks of odd length are followed by a pad byte.
 * Throws on truncated or corrupt files, unsupported encodings, zero-length audio and NaN/Inf samples.
 */
export function decodeWav(bytes: Uint8Array | ArrayBuffer, wavOptions?: DecodeWavOptions): DecodedWav {
  const options = checkOptions('decodeWav', wavOptions, DECODE_WAV_OPTIONS);
  checkOptions('decodeWav: resample', options.resample, RESAMPLE_OPTIONS);
  if (options.name !== undefined && typeof options.name !== 'string')
    fail(`options.name must be a string, got ${typeof options.name}`);
  for (const key of ['keepChannels', 'allowTruncated'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean')
      fail(`options.${key} must be a boolean, got ${JSON.stringify(options[key])}`);
  }
  const target = options.targetSampleRate;
  if (target !== undefined && (!Number.isInteger(target) || target < 1 || target > WAV_MAX_SAMPLE_RATE)) {
    fail(
      `options.targetSampleRate must be an integer in [1, ${WAV_MAX_SAMPLE_RATE}] Hz, got ${String(target)}`,
    );
  }
  const label = options.name ? `${options.name}: ` : '';
  const data =
    bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : null;
  if (!data)
    fail(`bytes must be a Uint8Array or an ArrayBuffer, got ${Object.prototype.toString.call(bytes)}`);
  if (data.length < 12)
    fail(`${label}not a WAV file: ${data.length} bytes, shorter than the 12-byte RIFF header`);
  const magic = String.fromCharCode(...data.subarray(0, 4));
  const wave = String.fromCharCode(...data.subarray(8, 12));
  if (magic !== 'RIFF' || wave !== 'WAVE') {
    fail(
      `${label}not a WAV file: starts with ${JSON.stringify(magic)}…${JSON.stringify(wave)}, expected "RIFF"…"WAVE"${magic === 'RF64' ? ' (RF64 is not supported)' : ''}`,
    );
  }
  const strict = !options.allowTruncated;
  const header = readWavHeader(data, label, !strict);
  const { sampleRate, channelCount, bitDepth, sampleFormat, blockAlign } = header;
  const format = FORMAT_OF[sampleFormat];
  let audio = header.data;
  if (audio.length % blockAlign !== 0) {
    if (strict) {
      fail(
        `${label}truncated or corrupt file: the data chunk holds ${audio.length} bytes, not a whole number of ${blockAlign}-byte sample frames`,
      );
    }
    audio = audio.subarray(0, audio.length - (audio.length % blockAlign));
  }
  const numFrames = audio.length / blockAlign;
  if (numFrames === 0) fail(`${label}zero-length audio: the data chunk holds no samples`);
  // Copy so typed-array views are aligned whatever the chunk offset was.
  const channels = bufferToFloat32Channels(audio.slice(), channelCount, bitDepth, sampleFormat);
  if (format === 'float') {
    for (const [c, ch] of channels.entries()) {
      const i = ch.findIndex((v) => !Number.isFinite(v));
      if (i >= 0)
        fail(`${label}channel ${c} sample ${i} is ${ch[i]} (NaN or infinite samples are not valid audio)`);
    }
  }
  let samples: Float32Array;
  if (channelCount === 1) {
    const [only] = channels;
    if (only === undefined) fail(`${label}the decoder returned no channel for a mono file`);
    samples = only;
  } else {
    samples = new Float32Array(numFrames);
    const scale = 1 / channelCount;
    for (const ch of channels)
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- i < numFrames = samples.length = ch.length
      for (let i = 0; i < numFrames; i++) samples[i]! += ch[i]! * scale;
  }
  let rate = sampleRate;
  if (options.targetSampleRate !== undefined && options.targetSampleRate !== sampleRate) {
    samples = resample(samples, sampleRate, options.targetSampleRate, options.resample);
    rate = options.targetSampleRate;
  }
  return {
    samples:
      channelCount === 1 && samples === channels[0] && options.keepChannels ? samples.slice() : samples,
    sampleRate: rate,
    ...(options.keepChannels ? { channels } : {}),
    source: { sampleRate, numChannels: channelCount, bitDepth, sampleFormat: format, numFrames },
  };
}
