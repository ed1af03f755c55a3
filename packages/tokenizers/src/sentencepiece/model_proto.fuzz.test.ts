import { describe, expect, it } from 'vitest';

import { fuzzParser } from '@rnnkit/tensor-core/testing/fuzz';
import { fixtureBytes } from '../__fixtures__/load_fixture.js';
import { decodeModelProto } from './model_proto.js';

describe('decodeModelProto under seeded mutation', () => {
  it('every length is bounded by the buffer; errors name the model and the field path', () => {
    const tally = fuzzParser({
      name: 'decodeModelProto (SentencePiece .model)',
      bases: [fixtureBytes('sp_bpe.model'), fixtureBytes('rnnkit_bpe.model')],
      parse: decodeModelProto,
      errorPattern: /^SentencePiece model: /,
      fields: [1, 2, 3],
      seed: 5,
      ciRuns: 300,
    });
    expect(tally.otherExamples).toEqual([]);
  });
});
