// Public API of @rnnkit/audio-features: WAV decoding, log-mel, MFCC and Kaldi fbank on tensors, streaming features.
export {};
