import { describe, expect, it } from 'vitest';

import { checkOptions, optionKeys, suggestOption } from './check_options.js';

interface FitLike {
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  verbose?: 0 | 1 | 2;
}
const FIT = optionKeys<FitLike>({ epochs: true, batchSize: true, validationSplit: true, verbose: true });

describe('checkOptions', () => {
  it('passes known keys through and turns undefined into {}', () => {
    const options = { epochs: 3, batchSize: undefined };
    expect(checkOptions('fit', options, FIT)).toBe(options);
    expect(checkOptions<FitLike>('fit', undefined, FIT)).toEqual({});
    expect(checkOptions('fit', Object.create(null) as FitLike, FIT)).toEqual({});
  });

  it('names an unknown key and the option meant by its snake_case spelling', () => {
    expect(() => checkOptions('fit', { batch_size: 128 } as FitLike, FIT)).toThrow(
      'fit: unknown option "batch_size" — did you mean "batchSize"?',
    );
    expect(() => checkOptions('fit', { validation_split: 0.2 } as FitLike, FIT)).toThrow(
      'did you mean "validationSplit"?',
    );
  });

  it('suggests close spellings and says the known options when nothing is close', () => {
    expect(() => checkOptions('fit', { epoch: 3 } as FitLike, FIT)).toThrow('did you mean "epochs"?');
    expect(() => checkOptions('fit', { batchsize: 3 } as FitLike, FIT)).toThrow('did you mean "batchSize"?');
    expect(() => checkOptions('fit', { shuffle: true } as FitLike, FIT)).toThrow(
      'fit: unknown option "shuffle" (known options: "epochs", "batchSize", "validationSplit", "verbose")',
    );
  });

  it('maps Keras and Python names onto rnnkit names only when the function takes them', () => {
    expect(suggestOption('units', ['inputSize', 'hiddenSize'])).toBe('hiddenSize');
    expect(suggestOption('units', ['units', 'activation'])).toBe('units');
    expect(suggestOption('maxlen', ['maxLength', 'padding'])).toBe('maxLength');
    expect(suggestOption('num_words', ['numWords', 'oovToken'])).toBe('numWords');
    expect(suggestOption('lr', ['epochs'])).toBeUndefined();
    expect(suggestOption('batch', ['epochs', 'batchSize'])).toBe('batchSize');
    expect(suggestOption('padValue', ['maxLength', 'value'])).toBe('value');
  });

  it('rejects values that are not plain objects, with a hint for a bare value', () => {
    expect(() => checkOptions('fit', 32 as unknown as FitLike, FIT)).toThrow(
      'fit: options must be an object of named options, got the number 32',
    );
    expect(() => checkOptions('fit', null as unknown as FitLike, FIT)).toThrow('got null');
    expect(() => checkOptions('fit', [1] as unknown as FitLike, FIT)).toThrow('got an array of length 1');
    expect(() => checkOptions('fit', new Map() as unknown as FitLike, FIT)).toThrow('got an instance of Map');
    expect(() =>
      checkOptions('SimpleRNN', 32 as unknown as FitLike, FIT, {
        bareValueHint: (v) => `new SimpleRNN({ hiddenSize: ${String(v)} })`,
      }),
    ).toThrow(
      'SimpleRNN: options must be an object of named options, got the number 32 — did you mean new SimpleRNN({ hiddenSize: 32 })?',
    );
  });
});

describe('previewValue', () => {
  it('bounds depth, width and length, even for hostile values', async () => {
    const { previewValue } = await import('./preview_value.js');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(previewValue(deep)).toBe('[[[[…]]]]');
    expect(previewValue({ shape: [3, '4x'] })).toBe('{"shape": [3, "4x"]}');
    expect(previewValue(Array.from({ length: 20 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, 6, 7, … 12 more]');
    expect(previewValue('x'.repeat(1e6)).length).toBeLessThanOrEqual(120);
    expect(previewValue(undefined)).toBe('undefined');
  });
});
