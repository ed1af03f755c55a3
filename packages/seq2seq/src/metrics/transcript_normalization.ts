import { booleanOption } from '@rnnkit/tensor-core/internal';

import { collapseWhitespace, splitWhitespace } from './python_whitespace.js';

/** How references and hypotheses are normalised before WER/CER. */
export interface TranscriptNormalization {
  /** Lowercase both sides first (default false). */
  lowercase?: boolean;
  /** Remove Unicode punctuation (general category P: `.,!?'"«»…—` and the like; default false). */
  removePunctuation?: boolean;
  /**
   * Collapse whitespace runs to one space and strip both ends (default true). Words are split on
   * whitespace either way, so this only changes CER, where spaces are characters.
   */
  collapseWhitespace?: boolean;
}

export interface NormalizationSettings {
  lowercase: boolean;
  removePunctuation: boolean;
  collapseWhitespace: boolean;
}

export function normalizationSettings(fn: string, o: TranscriptNormalization): NormalizationSettings {
  return {
    lowercase: booleanOption(fn, 'lowercase', o.lowercase, false),
    removePunctuation: booleanOption(fn, 'removePunctuation', o.removePunctuation, false),
    collapseWhitespace: booleanOption(fn, 'collapseWhitespace', o.collapseWhitespace, true),
  };
}

const PUNCTUATION = /\p{P}/gu;

/** Lowercase, then drop punctuation, then collapse whitespace: each step as configured. */
export function normalizeTranscript(text: string, s: NormalizationSettings): string {
  let out = s.lowercase ? text.toLowerCase() : text;
  if (s.removePunctuation) out = out.replace(PUNCTUATION, '');
  if (s.collapseWhitespace) out = collapseWhitespace(out);
  return out;
}

/** Words (split on whitespace, Python's str.split set) or characters (code points) of a normalised text. */
export function transcriptTokens(text: string, unit: 'word' | 'char'): string[] {
  return unit === 'word' ? splitWhitespace(text) : Array.from(text);
}
