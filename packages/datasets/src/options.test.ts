import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itRejectsUnknownOptions, type OptionCheckCase } from '@rnnkit/tensor-core/testing';

import {
  bucketByLength,
  collateBatch,
  createEspeakSynthesizer,
  createFliteSynthesizer,
  decodeKerasImdb,
  digitStringTexts,
  encodeTexts,
  generateNumberPhrases,
  invertKerasImdbWordIndex,
  loadAclImdb,
  loadKerasImdb,
  loadLJSpeech,
  loadSpamAssassin,
  loadSpeechManifest,
  loadTabSeparatedPairs,
  loadTextLabelFile,
  normalizeText,
  padDenseBatch,
  padSequences,
  parseTextLabelFile,
  splitByKey,
  stratifiedSplit,
  streamAclImdb,
  streamBatches,
  streamSpeechManifest,
  streamTabSeparatedPairs,
  synthesizeSpokenCorpus,
  synthesizeSpokenDigits,
} from './index.js';
import { kerasImdbFromArrays } from './internal.js';

// Every public function of the package that takes an options object (nested ones included), called
// with a misspelt key and, where Keras or Python has one, its snake_case name. Each must fail with
// `<fn>: unknown option "<key>" — did you mean "<option>"?` instead of ignoring the key.

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const imdbRoot = here('./__fixtures__/aclImdb');
const missing = here('./__fixtures__/no-such-file.txt');
const wordIndex = new Map([['the', 1]]);

const cases: OptionCheckCase[] = [
  {
    fn: 'splitByKey',
    call: (o) => splitByKey([1], { key: String, ...o }),
    typo: ['validaton', 'validation'],
  },
  {
    fn: 'stratifiedSplit',
    call: (o) => stratifiedSplit([1], { key: String, label: String, ...o }),
    typo: ['labels', 'label'],
  },
  {
    fn: 'bucketByLength',
    call: (o) => bucketByLength([1, 2], { batchSize: 1, ...o }),
    typo: ['poolsize', 'poolSize'],
    foreign: ['drop_remainder', 'dropRemainder'],
  },
  {
    fn: 'padDenseBatch',
    call: (o) => padDenseBatch([[1]], o),
    typo: ['values', 'value'],
    foreign: ['max_length', 'maxLength'],
  },
  {
    fn: 'padDenseBatch',
    call: (o) => padDenseBatch([[1]], o),
    typo: ['featureSise', 'featureSize'],
    foreign: ['maxlen', 'maxLength'],
  },
  {
    fn: 'padSequences',
    call: (o) => padSequences([[1]], o),
    typo: ['truncation', 'truncating'],
    foreign: ['maxlen', 'maxLength'],
  },
  {
    fn: 'collateBatch',
    call: (o) => collateBatch([{ ids: [1], label: 0 }], o),
    typo: ['values', 'value'],
    foreign: ['feature_size', 'featureSize'],
  },
  {
    fn: 'streamBatches',
    call: (o) => streamBatches([1], { batchSize: 1, ...o }),
    typo: ['bufferSise', 'bufferSize'],
    foreign: ['batch_size', 'batchSize'],
  },
  {
    fn: 'streamAclImdb',
    call: (o) => streamAclImdb(imdbRoot, 'train', o),
    typo: ['replaceBreakTag', 'replaceBreakTags'],
  },
  {
    fn: 'loadAclImdb',
    call: (o) => loadAclImdb(imdbRoot, o),
    typo: ['includeUnsupp', 'includeUnsup'],
    foreign: ['include_unsup', 'includeUnsup'],
  },
  {
    fn: 'loadKerasImdb',
    call: (o) => loadKerasImdb(missing, o),
    typo: ['numWord', 'numWords'],
    foreign: ['maxlen', 'maxLength'],
  },
  {
    fn: 'loadKerasImdb',
    call: (o) => loadKerasImdb(missing, o),
    typo: ['skiptop', 'skipTop'],
    foreign: ['num_words', 'numWords'],
  },
  {
    fn: 'kerasImdbFromArrays',
    call: (o) => kerasImdbFromArrays({}, 'imdb.npz', o),
    typo: ['indexFrm', 'indexFrom'],
    foreign: ['oov_char', 'oovChar'],
  },
  {
    fn: 'invertKerasImdbWordIndex',
    call: (o) => invertKerasImdbWordIndex(wordIndex, o),
    typo: ['startToken_', 'startToken'],
    foreign: ['index_from', 'indexFrom'],
  },
  {
    fn: 'decodeKerasImdb',
    call: (o) => decodeKerasImdb([1], wordIndex, o),
    typo: ['padTokens', 'padToken'],
    foreign: ['start_char', 'startChar'],
  },
  {
    fn: 'loadTextLabelFile',
    call: (o) => loadTextLabelFile(missing, o),
    typo: ['textfield', 'textField'],
    foreign: ['label_field', 'labelField'],
  },
  {
    fn: 'parseTextLabelFile',
    call: (o) => parseTextLabelFile('text,label\na,b\n', 'x.csv', o),
    typo: ['headers', 'header'],
    foreign: ['tsv_quotes', 'tsvQuotes'],
  },
  { fn: 'loadSpamAssassin', call: (o) => loadSpamAssassin(o), typo: ['group', 'groups'] },
  {
    fn: 'encodeTexts',
    call: (o) => encodeTexts([{ text: 'a', label: 0 }], () => [1], o),
    typo: ['maxLenght', 'maxLength'],
    foreign: ['maxlen', 'maxLength'],
  },
  {
    fn: 'normalizeText',
    call: (o) => normalizeText('A', o),
    typo: ['lowerCase', 'lowercase'],
    foreign: ['space_punctuation', 'spacePunctuation'],
  },
  {
    fn: 'streamTabSeparatedPairs',
    call: (o) => streamTabSeparatedPairs(missing, o),
    typo: ['sourceColum', 'sourceColumn'],
    foreign: ['length_unit', 'lengthUnit'],
  },
  {
    fn: 'loadTabSeparatedPairs',
    call: (o) => loadTabSeparatedPairs(missing, o),
    typo: ['deduplicated', 'deduplicate'],
    foreign: ['min_length', 'minLength'],
  },
  {
    fn: 'loadTabSeparatedPairs: normalize',
    call: (o) => loadTabSeparatedPairs(missing, { normalize: o }),
    typo: ['lowerCase', 'lowercase'],
    foreign: ['collapse_whitespace', 'collapseWhitespace'],
  },
  {
    fn: 'streamTabSeparatedPairs: normalize',
    call: (o) => streamTabSeparatedPairs(missing, { normalize: o }),
    typo: ['unicod', 'unicode'],
  },
  {
    fn: 'generateNumberPhrases',
    call: (o) => generateNumberPhrases(o),
    typo: ['maxNumbr', 'maxNumber'],
    foreign: ['held_out', 'heldOut'],
  },
  {
    fn: 'streamSpeechManifest',
    call: (o) => streamSpeechManifest(missing, o),
    typo: ['audiofield', 'audioField'],
    foreign: ['text_field', 'textField'],
  },
  {
    fn: 'loadSpeechManifest',
    call: (o) => loadSpeechManifest(missing, o),
    typo: ['checkFile', 'checkFiles'],
    foreign: ['audio_field', 'audioField'],
  },
  {
    fn: 'loadLJSpeech',
    call: (o) => loadLJSpeech(missing, o),
    typo: ['transcripts', 'transcript'],
    foreign: ['check_files', 'checkFiles'],
  },
  {
    fn: 'synthesizeSpokenCorpus',
    call: (o) => synthesizeSpokenCorpus({ texts: ['1'], cacheDir: missing, ...o }),
    typo: ['voice', 'voices'],
    foreign: ['engine_id', 'engineId'],
  },
  {
    fn: 'digitStringTexts',
    call: (o) => digitStringTexts(2, o),
    typo: ['minDigit', 'minDigits'],
    foreign: ['max_digits', 'maxDigits'],
  },
  {
    fn: 'synthesizeSpokenDigits',
    call: (o) => synthesizeSpokenDigits({ cacheDir: missing, ...o }),
    typo: ['trainSise', 'trainSize'],
    foreign: ['test_size', 'testSize'],
  },
];

describe('every options object is checked', () => {
  itRejectsUnknownOptions(cases);

  it('the old padSequences of this package is padDenseBatch, and its padValue is now value', () => {
    expect(() => padDenseBatch([[1]], { padValue: 0 } as never)).toThrow(
      'padDenseBatch: unknown option "padValue" — did you mean "value"?',
    );
    expect(padDenseBatch([[1, 2], [3]], { value: -1 }).values).toEqual(Int32Array.of(1, 2, 3, -1));
  });

  it('stream functions check their options when called, before the first item is read', () => {
    expect(() => streamBatches([1], { batchSize: 1, bogus: 1 } as never)).toThrow(
      /streamBatches: unknown option "bogus"/,
    );
    expect(() => streamAclImdb(imdbRoot, 'train', { bogus: 1 } as never)).toThrow(
      /streamAclImdb: unknown option "bogus"/,
    );
    expect(() => streamSpeechManifest(missing, { bogus: 1 } as never)).toThrow(
      /streamSpeechManifest: unknown option "bogus"/,
    );
    expect(() => streamTabSeparatedPairs(missing, { bogus: 1 } as never)).toThrow(
      /streamTabSeparatedPairs: unknown option "bogus"/,
    );
  });

  it('the synthesisers check their voice settings', async () => {
    const espeak = await createEspeakSynthesizer();
    await expect(
      espeak('one', { voice: 'en-us', rate: 160, pitch: 50, speed: 160 } as never),
    ).rejects.toThrow('espeak: unknown option "speed" (known options: "voice", "rate", "pitch")');
    await expect(espeak('one', { voice: 'en-us', rate: 160, pich: 50 } as never)).rejects.toThrow(
      'espeak: unknown option "pich" — did you mean "pitch"?',
    );
    const flite = await createFliteSynthesizer();
    await expect(flite('one', { voice: 'kal', rates: 160, pitch: 50 } as never)).rejects.toThrow(
      'flite: unknown option "rates" — did you mean "rate"?',
    );
  });

  it('padSequences is the Keras one from @rnnkit/tokenizers', () => {
    expect(padSequences([[1, 2, 3], [4]], { maxLength: 2 })).toEqual([
      [2, 3],
      [0, 4],
    ]);
  });
});
