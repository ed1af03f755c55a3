// Public API of @rnnkit/audio-features: WAV decoding, log-mel, MFCC and Kaldi fbank on tensors, streaming features.
export { createWindow } from './spectral/window.js';
export type { WindowType, WindowOptions } from './spectral/window.js';
export { frameSignal, numFrames } from './spectral/frames.js';
export type { FrameOptions, PadMode } from './spectral/frames.js';
export { stft, spectrogram } from './spectral/stft.js';
export type { DftMethod } from './spectral/windowed_rfft.js';
export type { StftOptions, SpectrogramOptions } from './spectral/stft.js';
export { melFilterbank, hzToMel, melToHz } from './spectral/mel_scale.js';
export type { MelFilterbankOptions, MelScale, MelNorm } from './spectral/mel_scale.js';
export { createDct } from './spectral/dct.js';

export { melSpectrogram } from './features/mel_spectrogram.js';
export type { MelSpectrogramOptions } from './features/mel_spectrogram.js';
export { amplitudeToDb } from './features/amplitude_to_db.js';
export type { AmplitudeToDbOptions } from './features/amplitude_to_db.js';
export { logMelSpectrogram } from './features/log_mel_spectrogram.js';
export type { LogMelSpectrogramOptions } from './features/log_mel_spectrogram.js';
export { mfcc } from './features/mfcc.js';
export type { MfccOptions } from './features/mfcc.js';

export { kaldiFbank } from './kaldi/kaldi_fbank.js';
export type { KaldiFbankOptions } from './kaldi/kaldi_fbank.js';

export { computeDeltas } from './features/deltas.js';
export type { DeltasOptions } from './features/deltas.js';
export { cmvn, GlobalCmvn } from './features/cmvn.js';
export type { CmvnOptions } from './features/cmvn.js';
export { specAugment } from './features/spec_augment.js';
export type { SpecAugmentOptions } from './features/spec_augment.js';

export { decodeWav } from './wav/decode_wav.js';
export type { DecodedWav, DecodeWavOptions, WavSampleFormat } from './wav/decode_wav.js';
export { resample } from './resample/resample.js';
export type { ResampleOptions } from './resample/resample.js';

// MeydaFrameExtractor lives in '@rnnkit/audio-features/meyda' (meyda is an optional peer dependency).
export { StreamingFeatures } from './streaming/streaming_features.js';
export type { StreamingFeatureSpec } from './streaming/streaming_features.js';
