import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { itRejectsUnknownOptions, type OptionCheckCase } from '@rnnkit/tensor-core/testing';

import {
  amplitudeToDb,
  cmvn,
  computeDeltas,
  createWindow,
  decodeWav,
  frameSignal,
  GlobalCmvn,
  kaldiFbank,
  logMelSpectrogram,
  melFilterbank,
  melSpectrogram,
  mfcc,
  resample,
  specAugment,
  spectrogram,
  stft,
  StreamingFeatures,
} from './index.js';
import { MeydaFrameExtractor } from './meyda.js';

// Every public function and constructor of the package that takes an options object (nested ones
// included: mfcc's melkwargs, decodeWav's resample, StreamingFeatures' spec and options), called with a
// misspelt key and the torchaudio/librosa snake_case name. Each must fail with
// `<fn>: unknown option "<key>" — did you mean "<option>"?` instead of ignoring the key.

const signal = tf.zeros([800]) as tf.Tensor1D;
const specgram = tf.zeros([4, 10]);
afterAll(() => tf.dispose([signal, specgram]));

const cases: OptionCheckCase[] = [
  { fn: 'createWindow', call: (o) => createWindow('hann', 8, o), typo: ['periodical', 'periodic'] },
  {
    fn: 'frameSignal',
    call: (o) => frameSignal(signal, { frameLength: 4, hopLength: 2, ...o }),
    typo: ['padmode', 'padMode'],
    foreign: ['frame_length', 'frameLength'],
  },
  { fn: 'stft', call: (o) => stft(signal, o), typo: ['nfft', 'nFft'], foreign: ['hop_length', 'hopLength'] },
  {
    fn: 'spectrogram',
    call: (o) => spectrogram(signal, o),
    typo: ['powr', 'power'],
    foreign: ['win_length', 'winLength'],
  },
  {
    fn: 'melFilterbank',
    call: (o) => melFilterbank({ nFreqs: 201, fMin: 0, fMax: 8000, nMels: 40, sampleRate: 16000, ...o }),
    typo: ['melscale', 'melScale'],
    foreign: ['n_mels', 'nMels'],
  },
  {
    fn: 'melSpectrogram',
    call: (o) => melSpectrogram(signal, o),
    typo: ['nMel', 'nMels'],
    foreign: ['sample_rate', 'sampleRate'],
  },
  {
    fn: 'melSpectrogram',
    call: (o) => melSpectrogram(signal, o),
    typo: ['fmax', 'fMax'],
    foreign: ['f_min', 'fMin'],
  },
  {
    fn: 'amplitudeToDb',
    call: (o) => amplitudeToDb(specgram, o),
    typo: ['topdb', 'topDb'],
    foreign: ['top_db', 'topDb'],
  },
  {
    fn: 'logMelSpectrogram',
    call: (o) => logMelSpectrogram(signal, o),
    typo: ['floors', 'floor'],
    foreign: ['n_mels', 'nMels'],
  },
  { fn: 'mfcc', call: (o) => mfcc(signal, o), typo: ['nMfc', 'nMfcc'], foreign: ['n_mfcc', 'nMfcc'] },
  { fn: 'mfcc', call: (o) => mfcc(signal, o), typo: ['logMel', 'logMels'], foreign: ['sr', 'sampleRate'] },
  {
    fn: 'mfcc: melkwargs',
    call: (o) => mfcc(signal, { melkwargs: o }),
    typo: ['nMel', 'nMels'],
    foreign: ['n_mels', 'nMels'],
  },
  {
    fn: 'kaldiFbank',
    call: (o) => kaldiFbank(signal, o),
    typo: ['numMelBin', 'numMelBins'],
    foreign: ['num_mel_bins', 'numMelBins'],
  },
  {
    fn: 'kaldiFbank',
    call: (o) => kaldiFbank(signal, o),
    typo: ['frameshift', 'frameShift'],
    foreign: ['sample_frequency', 'sampleFrequency'],
  },
  {
    fn: 'computeDeltas',
    call: (o) => computeDeltas(specgram, o),
    typo: ['winLenght', 'winLength'],
    foreign: ['win_length', 'winLength'],
  },
  {
    fn: 'cmvn',
    call: (o) => cmvn(specgram, o),
    typo: ['normVar', 'normVars'],
    foreign: ['norm_vars', 'normVars'],
  },
  {
    fn: 'GlobalCmvn',
    call: (o) => new GlobalCmvn(o),
    typo: ['timeaxis', 'timeAxis'],
    foreign: ['norm_vars', 'normVars'],
  },
  {
    fn: 'specAugment',
    call: (o) => specAugment(specgram, { random: 0, ...o }),
    typo: ['freqMaskParm', 'freqMaskParam'],
    foreign: ['time_mask_param', 'timeMaskParam'],
  },
  {
    fn: 'decodeWav',
    call: (o) => decodeWav(new Uint8Array(0), o),
    typo: ['keepChannel', 'keepChannels'],
    foreign: ['target_sample_rate', 'targetSampleRate'],
  },
  {
    fn: 'decodeWav: resample',
    call: (o) => decodeWav(new Uint8Array(0), { resample: o }),
    typo: ['rollof', 'rolloff'],
    foreign: ['lowpass_filter_width', 'lowpassFilterWidth'],
  },
  {
    fn: 'resample',
    call: (o) => resample(new Float32Array(8), 16000, 8000, o),
    typo: ['rollOff', 'rolloff'],
    foreign: ['lowpass_filter_width', 'lowpassFilterWidth'],
  },
  {
    fn: 'StreamingFeatures',
    call: (o) => new StreamingFeatures({ kind: 'mfcc', options: {}, ...o } as never),
    typo: ['option', 'options'],
  },
  {
    fn: 'StreamingFeatures: logMelSpectrogram options',
    call: (o) => new StreamingFeatures({ kind: 'logMelSpectrogram', options: { center: false, ...o } }),
    typo: ['hopLenght', 'hopLength'],
    foreign: ['hop_length', 'hopLength'],
  },
  {
    fn: 'StreamingFeatures: melSpectrogram options',
    call: (o) => new StreamingFeatures({ kind: 'melSpectrogram', options: { center: false, ...o } }),
    typo: ['fmin', 'fMin'],
  },
  {
    fn: 'StreamingFeatures: kaldiFbank options',
    call: (o) => new StreamingFeatures({ kind: 'kaldiFbank', options: o }),
    typo: ['snipEdge', 'snipEdges'],
    foreign: ['snip_edges', 'snipEdges'],
  },
  {
    fn: 'StreamingFeatures: mfcc options',
    call: (o) => new StreamingFeatures({ kind: 'mfcc', options: o }),
    typo: ['lifters', 'lifter'],
  },
  {
    fn: 'StreamingFeatures: mfcc options: melkwargs',
    call: (o) => new StreamingFeatures({ kind: 'mfcc', options: { melkwargs: o } }),
    typo: ['nMel', 'nMels'],
    foreign: ['n_fft', 'nFft'],
  },
  {
    fn: 'MeydaFrameExtractor',
    call: (o) => new MeydaFrameExtractor({ sampleRate: 16000, ...o }),
    typo: ['buffersize', 'bufferSize'],
    foreign: ['mel_bands', 'melBands'],
  },
];

describe('every options object is checked', () => {
  itRejectsUnknownOptions(cases);

  it("melSpectrogram's options are only its own: logMelSpectrogram's log and floor are refused there", () => {
    expect(() => melSpectrogram(signal, { log: 'db' } as never)).toThrow(
      /melSpectrogram: unknown option "log"/,
    );
    expect(
      () => new StreamingFeatures({ kind: 'melSpectrogram', options: { center: false, log: 'db' } as never }),
    ).toThrow(/StreamingFeatures: melSpectrogram options: unknown option "log"/);
  });

  it('a bare number instead of an options object is an error', () => {
    expect(() => stft(signal, 400 as never)).toThrow(
      'stft: options must be an object of named options, got the number 400',
    );
  });
});
