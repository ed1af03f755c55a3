// @rnnkit/audio-features/meyda: frame-wise features through meyda (an optional peer dependency, so
// users of the batched features do not install it).
export { MeydaFrameExtractor, resetMeydaCaches } from './streaming/meyda_frame_extractor.js';
export type { MeydaFrameExtractorOptions } from './streaming/meyda_frame_extractor.js';
