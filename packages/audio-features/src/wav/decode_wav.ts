import { decodeWaveToBuffer, bufferToFloat32Channels, SampleFormat } from '@echogarden/wave-codec';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { resample, RESAMPLE_OPTIONS, type ResampleOptions } from '../resample/resample.js';

export type WavSampleFormat = 'pcm' | 'float' | 'alaw' | 'mulaw';

export interface DecodedWav {
  /** Mono samples in [-1, 1]: the mean of the channels (resampled when targetSampleRate was given). */
  samples: Float32Array;
  /** Sample rate of `samples`. */
  sampleRate: number;
  /** Each channel before mixing, at the file's rate (only with keepChannels). */
  channels?: Float32Array[];
  /** What the file held. */
  source: { sampleRate: number; numChannels: number; bitDepth: number; sampleFormat: WavSampleFormat; numFrames: number };
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
}

const DECODE_WAV_OPTIONS = optionKeys<DecodeWavOptions>({ targetSampleRate: true, resample: true, keepChannels: true, allowTruncated: true });

// WAVE format tags of encodings people meet and that are not plain PCM/float/A-law/mu-law.
const FORMAT_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  17: 'IMA ADPCM',
  20: 'G.723 ADPCM',
  49: 'GSM 6.10',
  64: 'G.721 ADPCM',
  80: 'MPEG audio',
  85: 'MPEG Layer 3 (MP3)',
  255: 'AAC',
  8192: 'AC-3',
  65534: 'WAVE_FORMAT_EXTENSIBLE with an unknown sub-format',
};

const FORMAT_OF: Record<number, WavSampleFormat> = {
  [SampleFormat.PCM]: 'pcm',
  [SampleFormat.Float]: 'float',
  [SampleFormat.Alaw]: 'alaw',
  [SampleFormat.Mulaw]: 'mulaw',
};

function fail(message: string): never {
  throw new Error(`decodeWav: ${message}`);
}

/** Says what a decoder error means for the user: corrupt, truncated, or an encoding we do not decode. */
function explain(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const formatId = /format id (\d+)/i.exec(message);
  if (formatId) {
    const id = Number(formatId[1]);
    fail(
      `unsupported encoding: WAVE format tag ${id}${FORMAT_NAMES[id] ? ` (${FORMAT_NAMES[id]})` : ''}; ` +
        'supported: PCM 8/16/24/32-bit, IEEE float 32/64-bit, A-law, mu-law',
    );
  }
  if (/bit depth/i.test(message)) fail(`unsupported encoding: ${message}`);
  if (/format GUID/i.test(message)) fail(`unsupported encoding: ${message}`);
  if (/greater than the remaining size|chunk length/i.test(message)) fail(`truncated or corrupt file: ${message}`);
  fail(`corrupt WAV file: ${message}`);
}

/**
 * Decodes a WAV file from bytes (PCM 8/16/24/32-bit, float 32/64-bit, A-law, mu-law; any number of
 * channels, mixed down to mono by averaging). Integer PCM is scaled to [-1, 1) as torchaudio.load does.
 * Throws on truncated or corrupt files, unsupported encodings, zero-length audio and NaN/Inf samples.
 */
export function decodeWav(bytes: Uint8Array | ArrayBuffer, wavOptions?: DecodeWavOptions): DecodedWav {
  const options = checkOptions('decodeWav', wavOptions, DECODE_WAV_OPTIONS);
  checkOptions('decodeWav: resample', options.resample, RESAMPLE_OPTIONS);
  const data = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : null;
  if (!data) fail(`bytes must be a Uint8Array or an ArrayBuffer, got ${Object.prototype.toString.call(bytes)}`);
  if (data.length < 12) fail(`not a WAV file: ${data.length} bytes, shorter than the 12-byte RIFF header`);
  const magic = String.fromCharCode(...data.subarray(0, 4));
  const wave = String.fromCharCode(...data.subarray(8, 12));
  if (magic !== 'RIFF' || wave !== 'WAVE') {
    fail(`not a WAV file: starts with ${JSON.stringify(magic)}…${JSON.stringify(wave)}, expected "RIFF"…"WAVE"${magic === 'RF64' ? ' (RF64 is not supported)' : ''}`);
  }
  const strict = !options.allowTruncated;
  let decoded: ReturnType<typeof decodeWaveToBuffer>;
  try {
    decoded = decodeWaveToBuffer(data, !strict, true);
  } catch (error) {
    explain(error);
  }
  const { decodedAudioBuffer, sampleRate, channelCount, bitDepth, sampleFormat } = decoded;
  const format = FORMAT_OF[sampleFormat];
  if (!format) fail(`unsupported encoding: sample format ${sampleFormat}`);
  if (channelCount < 1) fail('corrupt WAV file: the format chunk declares 0 channels');
  if (!(sampleRate > 0)) fail(`corrupt WAV file: the format chunk declares a sample rate of ${sampleRate}`);
  const blockAlign = channelCount * (bitDepth / 8);
  let audio = decodedAudioBuffer;
  if (audio.length % blockAlign !== 0) {
    if (strict) {
      fail(`truncated or corrupt file: the data chunk holds ${audio.length} bytes, not a whole number of ${blockAlign}-byte sample frames`);
    }
    audio = audio.subarray(0, audio.length - (audio.length % blockAlign));
  }
  const numFrames = audio.length / blockAlign;
  if (numFrames === 0) fail('zero-length audio: the data chunk holds no samples');
  // Copy so typed-array views are aligned whatever the chunk offset was.
  let channels: Float32Array[];
  try {
    channels = bufferToFloat32Channels(audio.slice(), channelCount, bitDepth as never, sampleFormat);
  } catch (error) {
    explain(error);
  }
  if (format === 'float') {
    for (let c = 0; c < channelCount; c++) {
      const ch = channels[c]!;
      for (let i = 0; i < ch.length; i++) {
        if (!Number.isFinite(ch[i]!)) fail(`channel ${c} sample ${i} is ${ch[i]} (NaN or infinite samples are not valid audio)`);
      }
    }
  }
  let samples: Float32Array;
  if (channelCount === 1) {
    samples = channels[0]!;
  } else {
    samples = new Float32Array(numFrames);
    const scale = 1 / channelCount;
    for (const ch of channels) for (let i = 0; i < numFrames; i++) samples[i] += ch[i]! * scale;
  }
  let rate = sampleRate;
  if (options.targetSampleRate !== undefined && options.targetSampleRate !== sampleRate) {
    samples = resample(samples, sampleRate, options.targetSampleRate, options.resample);
    rate = options.targetSampleRate;
  }
  return {
    samples: channelCount === 1 && samples === channels[0] && options.keepChannels ? samples.slice() : samples,
    sampleRate: rate,
    ...(options.keepChannels ? { channels } : {}),
    source: { sampleRate, numChannels: channelCount, bitDepth, sampleFormat: format, numFrames },
  };
}
