import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itRejectsUnknownOptions, type OptionCheckCase } from '@rnnkit/tensor-core/testing';

import { fixtureBytes } from './__fixtures__/load_fixture.js';
import {
  CharVocabulary,
  encodeBatch,
  padBatch,
  padSequences,
  SentencePieceTokenizer,
  textToWordSequence,
  Tokenizer,
  trainSentencePiece,
} from './index.js';

// Every public function, constructor and method of the package that takes an options object, called
// with a misspelt key and (where Keras or Python has one) its snake_case name. Each must fail with
// `<fn>: unknown option "<key>" — did you mean "<option>"?` instead of ignoring the key.

let sp: SentencePieceTokenizer;
beforeAll(async () => {
  sp = await SentencePieceTokenizer.fromBytes(fixtureBytes('sp_bpe.model'));
});
afterAll(() => sp.dispose());

const vocab = new CharVocabulary({ alphabet: 'abc' });
const cases: OptionCheckCase[] = [
  {
    fn: 'Tokenizer',
    call: (o) => new Tokenizer(o),
    typo: ['numWord', 'numWords'],
    foreign: ['num_words', 'numWords'],
  },
  {
    fn: 'Tokenizer',
    call: (o) => new Tokenizer(o),
    typo: ['oovTokn', 'oovToken'],
    foreign: ['oov_token', 'oovToken'],
  },
  {
    fn: 'Tokenizer',
    call: (o) => new Tokenizer(o),
    typo: ['charlevel', 'charLevel'],
    foreign: ['char_level', 'charLevel'],
  },
  {
    fn: 'textToWordSequence',
    call: (o) => textToWordSequence('a b', o),
    typo: ['filter', 'filters'],
    foreign: ['Lower', 'lower'],
  },
  {
    fn: 'padSequences',
    call: (o) => padSequences([[1]], o),
    typo: ['maxLenght', 'maxLength'],
    foreign: ['maxlen', 'maxLength'],
  },
  { fn: 'padSequences', call: (o) => padSequences([[1]], o), typo: ['truncation', 'truncating'] },
  {
    fn: 'CharVocabulary',
    call: (o) => new CharVocabulary({ alphabet: 'abc', ...o }),
    typo: ['lowerCase', 'lowercase'],
    foreign: ['lower_case', 'lowercase'],
  },
  {
    fn: 'CharVocabulary.encode',
    call: (o) => vocab.encode('ab', o),
    typo: ['addBOS', 'addBos'],
    foreign: ['add_eos', 'addEos'],
  },
  {
    fn: 'CharVocabulary.decode',
    call: (o) => vocab.decode([2], o),
    typo: ['skipSpecial', 'skipSpecials'],
    foreign: ['skip_specials', 'skipSpecials'],
  },
  {
    fn: 'SentencePieceTokenizer.encode',
    call: (o) => sp.encode('ab', o),
    typo: ['addBOS', 'addBos'],
    foreign: ['add_bos', 'addBos'],
  },
  {
    fn: 'trainSentencePiece',
    call: (o) => trainSentencePiece({ texts: ['a b'], vocabSize: 8, ...o }),
    typo: ['characterCoverge', 'characterCoverage'],
    foreign: ['user_defined_symbols', 'userDefinedSymbols'],
  },
  {
    fn: 'trainSentencePiece',
    call: (o) => trainSentencePiece({ texts: ['a b'], vocabSize: 8, ...o }),
    typo: ['vocabSise', 'vocabSize'],
    foreign: ['model_type', 'modelType'],
  },
  {
    fn: 'padBatch',
    call: (o) => padBatch([[1]], o),
    typo: ['padid', 'padId'],
    foreign: ['max_length', 'maxLength'],
  },
  {
    fn: 'encodeBatch',
    call: (o) => encodeBatch(['ab'], vocab, o),
    typo: ['truncation', 'truncating'],
    foreign: ['pad_id', 'padId'],
  },
];

describe('every options object is checked', () => {
  itRejectsUnknownOptions(cases);

  it('the examples of the issue', () => {
    expect(() => new Tokenizer({ num_words: 100 } as never)).toThrow(
      'Tokenizer: unknown option "num_words" — did you mean "numWords"?',
    );
    expect(() => padSequences([[1, 2]], { maxlen: 5 } as never)).toThrow(
      'padSequences: unknown option "maxlen" — did you mean "maxLength"?',
    );
  });

  it('a key with no near option lists the known ones; a non-object options argument is an error', () => {
    expect(() => padBatch([[1]], { colour: 'red' } as never)).toThrow(
      'padBatch: unknown option "colour" (known options: "maxLength", "padId", "padding", "truncating")',
    );
    expect(() => padSequences([[1]], 5 as never)).toThrow(
      /padSequences: options must be an object of named options, got the number 5/,
    );
    expect(() => new CharVocabulary(undefined as never)).toThrow(/CharVocabulary: options must be an object/);
  });
});
