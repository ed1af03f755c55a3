import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { assertWellFormedText } from '../text/well_formed.js';

/** Keras's default `filters`: ASCII punctuation plus tab and newline (the apostrophe is kept). */
export const KERAS_DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

export interface TextToWordSequenceOptions {
  /** Characters replaced by `split` before splitting. Default: KERAS_DEFAULT_FILTERS. */
  filters?: string;
  /** Lower-case first (String.prototype.toLowerCase, which matches Python's str.lower for nearly all text). Default true. */
  lower?: boolean;
  /** Separator. Default ' '. */
  split?: string;
}

const TEXT_TO_WORD_SEQUENCE_OPTIONS = optionKeys<TextToWordSequenceOptions>({
  filters: true,
  lower: true,
  split: true,
});

/**
 * Keras's `text_to_word_sequence`: lower-case, replace every filter character by `split`, split on
 * `split`, drop empty strings. Filters are matched per code point, as Python's str.translate does.
 */
export function textToWordSequence(text: string, options?: TextToWordSequenceOptions): string[] {
  const {
    filters = KERAS_DEFAULT_FILTERS,
    lower = true,
    split = ' ',
  } = checkOptions('textToWordSequence', options, TEXT_TO_WORD_SEQUENCE_OPTIONS);
  assertWellFormedText(text, 'textToWordSequence: text');
  if (typeof split !== 'string' || split.length === 0)
    throw new RangeError(
      `textToWordSequence: split must be a non-empty string, got ${JSON.stringify(split)}`,
    );
  if (typeof filters !== 'string')
    throw new TypeError(`textToWordSequence: filters must be a string, got ${typeof filters}`);
  return splitWords(text, new Set(filters), lower, split);
}

/** The loop behind textToWordSequence, with the filter set built once per Tokenizer. */
export function splitWords(
  text: string,
  filters: ReadonlySet<string>,
  lower: boolean,
  split: string,
): string[] {
  let s = lower ? text.toLowerCase() : text;
  if (filters.size > 0) {
    let out = '';
    for (const ch of s) out += filters.has(ch) ? split : ch;
    s = out;
  }
  return s.split(split).filter((w) => w.length > 0);
}
