// What tools/bench/audio-features.ts needs from the package (built dist) and from meyda directly.
export { kaldiFbank, logMelSpectrogram, mfcc, MeydaFrameExtractor } from '@rnnkit/audio-features';
import { meyda } from '../../packages/audio-features/src/streaming/meyda_frame_extractor.js';

/** meyda.extract('mfcc') called directly (the baseline users would write), after configuring it once. */
export function meydaForBenchmark(sampleRate: number, bufferSize: number, melBands: number, nMfcc: number): (frame: Float32Array) => unknown {
  const m = meyda as unknown as Record<string, unknown>;
  Object.assign(m, { sampleRate, bufferSize, melBands, numberOfMFCCCoefficients: nMfcc, windowingFunction: 'hanning', melFilterBank: undefined });
  return (frame) => meyda.extract('mfcc', frame);
}
