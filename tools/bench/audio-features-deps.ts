// What tools/bench/audio-features.ts needs from the package (built dist) and from meyda directly.
export { kaldiFbank, logMelSpectrogram, mfcc } from '@rnnkit/audio-features';
export type { DftMethod } from '@rnnkit/audio-features';
export { MeydaFrameExtractor } from '@rnnkit/audio-features/meyda';
// The DFT building block (not public API) for the DFT comparison.
export { windowedRfft } from '../../packages/audio-features/src/spectral/windowed_rfft.js';
import { meyda } from '../../packages/audio-features/src/streaming/meyda_frame_extractor.js';

/** meyda.extract('mfcc') called directly (the baseline users would write), after configuring it once. */
export function meydaForBenchmark(
  sampleRate: number,
  bufferSize: number,
  melBands: number,
  nMfcc: number,
): (frame: Float32Array) => unknown {
  const m = meyda as unknown as Record<string, unknown>;
  Object.assign(m, {
    sampleRate,
    bufferSize,
    melBands,
    numberOfMFCCCoefficients: nMfcc,
    windowingFunction: 'hanning',
    melFilterBank: undefined,
  });
  return (frame) => meyda.extract('mfcc', frame);
}
