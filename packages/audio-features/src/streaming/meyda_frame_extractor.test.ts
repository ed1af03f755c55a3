import { describe, expect, it } from 'vitest';

import { fixtureRow } from '../__fixtures__/load.js';
import { meyda, MeydaFrameExtractor, resetMeydaCaches } from './meyda_frame_extractor.js';

type RawMeyda = {
  bufferSize: number;
  sampleRate: number;
  melBands: number;
  numberOfMFCCCoefficients: number;
  windowingFunction: string;
};

/** meyda used directly with a freshly built filter bank: what a correct result looks like. */
function freshMeyda(frame: Float32Array, sampleRate: number, melBands: number): number[] {
  resetMeydaCaches();
  const m = meyda as unknown as RawMeyda;
  Object.assign(m, {
    bufferSize: frame.length,
    sampleRate,
    melBands,
    numberOfMFCCCoefficients: 13,
    windowingFunction: 'hanning',
  });
  const out = (meyda.extract('mfcc', frame.slice()) as unknown as number[]).slice();
  resetMeydaCaches();
  return out;
}

describe('MeydaFrameExtractor', () => {
  const signal = fixtureRow('signal16k', 0);

  it('shows the stale filter bank of raw meyda and avoids it', () => {
    const frame = signal.slice(1000, 1512);
    const at16k = freshMeyda(frame, 16000, 26);
    const at8k = freshMeyda(frame, 8000, 26);
    // Raw meyda: build the bank at 16 kHz, then change sampleRate: the 16 kHz bank is reused.
    const m = meyda as unknown as RawMeyda;
    Object.assign(m, { bufferSize: 512, sampleRate: 16000, melBands: 26, numberOfMFCCCoefficients: 13 });
    meyda.extract('mfcc', frame.slice());
    m.sampleRate = 8000;
    const stale = meyda.extract('mfcc', frame.slice()) as unknown as number[];
    expect(stale).toEqual(at16k);
    expect(stale).not.toEqual(at8k);
    // The wrapper rebuilds it whenever its configuration differs from the cached one.
    const a = new MeydaFrameExtractor({ sampleRate: 16000 });
    const b = new MeydaFrameExtractor({ sampleRate: 8000 });
    expect(a.extract(['mfcc'], frame).mfcc).toEqual(at16k);
    expect(b.extract(['mfcc'], frame).mfcc).toEqual(at8k);
    expect(a.extract(['mfcc'], frame).mfcc).toEqual(at16k);
  });

  it('frames a signal and keeps the caller frame untouched', () => {
    const x = new MeydaFrameExtractor({ sampleRate: 16000, bufferSize: 512 });
    const frames = x.mfccFrames(signal.subarray(0, 2048), 256);
    expect(frames.length).toBe(1 + Math.floor((2048 - 512) / 256));
    expect(frames[0]!.length).toBe(13);
    const frame = signal.slice(0, 512);
    const copy = frame.slice();
    x.extract(['mfcc', 'rms'], frame);
    expect(frame).toEqual(copy);
  });

  it('rejects what meyda would mishandle', () => {
    expect(() => new MeydaFrameExtractor({ sampleRate: 16000, bufferSize: 400 })).toThrow(
      "MeydaFrameExtractor: bufferSize must be a power of two (meyda's FFT needs one), got 400",
    );
    expect(() => new MeydaFrameExtractor({ sampleRate: 16000, numberOfMFCCCoefficients: 50 })).toThrow(
      /1..40 \(meyda clamps silently\), got 50/,
    );
    expect(
      () => new MeydaFrameExtractor({ sampleRate: 16000, melBands: 10, numberOfMFCCCoefficients: 13 }),
    ).toThrow(/cannot exceed melBands \(10\)/);
    const x = new MeydaFrameExtractor({ sampleRate: 16000, bufferSize: 256 });
    expect(() => x.extract(['mfcc'], new Float32Array(512))).toThrow(
      'MeydaFrameExtractor.extract: frame has 512 samples, expected bufferSize = 256',
    );
    expect(() => x.extract(['mfcc'], new Float32Array(256).fill(Number.NaN))).toThrow(/frame\[0\] is NaN/);
  });
});
