import { SampleFormat } from '@echogarden/wave-codec';

// The RIFF/WAVE container is read here, not by @echogarden/wave-codec's decodeWaveToBuffer, because that
// walker ignores the RIFF rule that a chunk of odd length is followed by one pad byte (so valid files
// with an odd-length chunk were rejected) and trusts every header field. The library still converts
// the samples (bufferToFloat32Channels).

/** Sample rates decodeWav accepts, in Hz (768 kHz is the highest rate audio interfaces record at). */
export const WAV_MIN_SAMPLE_RATE = 1;
export const WAV_MAX_SAMPLE_RATE = 768_000;

const EXTENSIBLE = 0xfffe;
// KSDATAFORMAT_SUBTYPE_* GUIDs are the format tag followed by these 14 bytes.
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

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
};

const BIT_DEPTHS: Record<number, readonly number[]> = {
  [SampleFormat.PCM]: [8, 16, 24, 32],
  [SampleFormat.Float]: [32, 64],
  [SampleFormat.Alaw]: [8],
  [SampleFormat.Mulaw]: [8],
};

export interface WavHeader {
  sampleFormat: SampleFormat;
  channelCount: number;
  sampleRate: number;
  bitDepth: 8 | 16 | 24 | 32 | 64;
  blockAlign: number;
  /** The data chunk's bytes (a view into the input), a whole number of blocks unless truncated files are allowed. */
  data: Uint8Array;
  /** True when the data chunk claimed more bytes than the file holds (only with allowTruncated). */
  truncated: boolean;
}

/** A WAV header error: `decodeWav: <file>: <what>`; the message names the chunk and field. */
export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

const ascii = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));

/**
 * Walks the RIFF chunks (each padded to an even length, as Python's `wave` and libsndfile read them) up
 * to the first data chunk, and checks the fmt chunk's fields against each other: channels >= 1, sample
 * rate in [WAV_MIN_SAMPLE_RATE, WAV_MAX_SAMPLE_RATE], blockAlign = channels × bitsPerSample / 8 and
 * byteRate = sampleRate × blockAlign. Every length is checked against the bytes there are; nothing is
 * allocated.
 */
export function readWavHeader(bytes: Uint8Array, label: string, allowTruncated: boolean): WavHeader {
  const fail: (message: string) => never = (message) => {
    throw new WavFormatError(`decodeWav: ${label}${message}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffSize = view.getUint32(4, true);
  // 0xFFFFFFFF is what streaming writers (ffmpeg to a pipe) put when the length was unknown.
  let end = riffSize === 0xffffffff ? bytes.length : 8 + riffSize;
  if (end > bytes.length) {
    // A RIFF size one byte over is a writer that counted the final pad byte but did not write it.
    if (!allowTruncated && end - bytes.length > 1) {
      fail(
        `truncated or corrupt file: RIFF chunk size field = ${riffSize} but the file holds ${bytes.length - 8} bytes after it`,
      );
    }
    end = bytes.length;
  }
  if (end < 12)
    fail(`corrupt WAV file: RIFF chunk size field = ${riffSize}, expected at least 4 (the "WAVE" id)`);

  let fmt: Omit<WavHeader, 'data' | 'truncated'> | undefined;
  let pos = 12;
  while (pos + 8 <= end) {
    const id = ascii(bytes, pos);
    let size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'data' && size === 0xffffffff) size = end - body;
    if (id === 'data') {
      if (!fmt) fail('corrupt WAV file: the data chunk comes before the fmt chunk');
      let truncated = false;
      if (size > end - body) {
        if (!allowTruncated) {
          fail(
            `truncated or corrupt file: the data chunk's size field = ${size} but ${end - body} bytes follow it`,
          );
        }
        size = end - body;
        truncated = true;
      }
      return { ...fmt, data: bytes.subarray(body, body + size), truncated };
    }
    if (size > end - body) {
      fail(
        `truncated or corrupt file: the ${JSON.stringify(id)} chunk at byte ${pos} has size field = ${size} but ${end - body} bytes follow it`,
      );
    }
    if (id === 'fmt ') {
      if (fmt) fail(`corrupt WAV file: a second fmt chunk at byte ${pos}`);
      fmt = readFormatChunk(bytes.subarray(body, body + size), fail);
    }
    pos = body + size + (size & 1);
  }
  return fail(
    fmt
      ? 'truncated or corrupt file: no data chunk'
      : 'corrupt WAV file: no fmt chunk before the end of the RIFF chunk',
  );
}

function readFormatChunk(
  chunk: Uint8Array,
  fail: (message: string) => never,
): Omit<WavHeader, 'data' | 'truncated'> {
  if (chunk.length < 16)
    fail(`corrupt WAV file: the fmt chunk holds ${chunk.length} bytes, expected at least 16`);
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const tag = view.getUint16(0, true);
  const channelCount = view.getUint16(2, true);
  const sampleRate = view.getUint32(4, true);
  const byteRate = view.getUint32(8, true);
  const blockAlign = view.getUint16(12, true);
  const bitDepth = view.getUint16(14, true);
  let format = tag;
  if (tag === EXTENSIBLE) {
    if (chunk.length < 40)
      fail(
        `corrupt WAV file: a WAVE_FORMAT_EXTENSIBLE fmt chunk holds ${chunk.length} bytes, expected at least 40`,
      );
    const validBits = view.getUint16(18, true);
    if (validBits > bitDepth)
      fail(`corrupt WAV file: fmt wValidBitsPerSample = ${validBits} exceeds wBitsPerSample = ${bitDepth}`);
    format = view.getUint16(24, true);
    if (GUID_TAIL.some((b, i) => chunk[26 + i] !== b)) {
      const hex = Array.from(chunk.subarray(24, 40), (b) => b.toString(16).padStart(2, '0')).join('');
      fail(`unsupported encoding: WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID ${hex}`);
    }
  }
  const depths = BIT_DEPTHS[format];
  if (!depths) {
    const name = FORMAT_NAMES[format];
    fail(
      `unsupported encoding: WAVE format tag ${format}${name ? ` (${name})` : ''}${tag === EXTENSIBLE ? ' in WAVE_FORMAT_EXTENSIBLE' : ''}; ` +
        'supported: PCM 8/16/24/32-bit, IEEE float 32/64-bit, A-law, mu-law',
    );
  }
  const formatName = SampleFormat[format as SampleFormat];
  if (!depths.includes(bitDepth)) {
    fail(
      `unsupported encoding: ${formatName} audio with a bit depth of ${bitDepth} (fmt wBitsPerSample); supported: ${depths.join(', ')}`,
    );
  }
  if (channelCount < 1) fail('corrupt WAV file: fmt nChannels = 0, expected at least 1');
  if (sampleRate < WAV_MIN_SAMPLE_RATE || sampleRate > WAV_MAX_SAMPLE_RATE) {
    fail(
      `corrupt WAV file: fmt nSamplesPerSec = ${sampleRate}, expected a sample rate in [${WAV_MIN_SAMPLE_RATE}, ${WAV_MAX_SAMPLE_RATE}] Hz`,
    );
  }
  const expectedAlign = (channelCount * bitDepth) / 8;
  if (blockAlign !== expectedAlign) {
    fail(
      `corrupt WAV file: fmt nBlockAlign = ${blockAlign}, expected nChannels × wBitsPerSample / 8 = ${channelCount} × ${bitDepth} / 8 = ${expectedAlign}`,
    );
  }
  if (byteRate !== sampleRate * blockAlign) {
    fail(
      `corrupt WAV file: fmt nAvgBytesPerSec = ${byteRate}, expected nSamplesPerSec × nBlockAlign = ${sampleRate} × ${blockAlign} = ${sampleRate * blockAlign}`,
    );
  }
  return {
    sampleFormat: format as SampleFormat,
    channelCount,
    sampleRate,
    bitDepth: bitDepth as WavHeader['bitDepth'],
    blockAlign,
  };
}
