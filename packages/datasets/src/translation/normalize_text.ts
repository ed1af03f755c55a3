import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
export interface TextNormalization {
  /** Unicode normal form. Default 'NFC' (composed accents, so "é" is one code point whatever the source). */
  unicode?: 'NFC' | 'NFKC' | 'NFD' | 'NFKD' | 'none';
  /** Lower-case with the locale-independent mapping. Default false. */
  lowercase?: boolean;
  /**
   * Put spaces around punctuation so "Va !" and "Go." tokenise alike ("Go ."). Apostrophes and
   * hyphens between letters stay ("don't", "vingt-trois"). Default false.
   */
  spacePunctuation?: boolean;
  /** Trim and collapse runs of whitespace to one space. Default true. */
  collapseWhitespace?: boolean;
}

/** The keys of TextNormalization (also checked where it is a nested `normalize` option). */
export const TEXT_NORMALIZATION_OPTIONS = optionKeys<TextNormalization>({
  unicode: true,
  lowercase: true,
  spacePunctuation: true,
  collapseWhitespace: true,
});

const PUNCTUATION = /(\p{P})/gu;
const JOINER = /^['’\-‐]$/u;

/** Normalises one sentence for translation or classification corpora. */
export function normalizeText(text: string, normalization?: TextNormalization): string {
  const options = checkOptions('normalizeText', normalization, TEXT_NORMALIZATION_OPTIONS);
  const form = options.unicode ?? 'NFC';
  let out = form === 'none' ? text : text.normalize(form);
  if (options.lowercase) out = out.toLowerCase();
  if (options.spacePunctuation) {
    out = out.replace(PUNCTUATION, (mark: string, _p: string, offset: number, whole: string) => {
      if (JOINER.test(mark)) {
        const before = whole[offset - 1] ?? '';
        const after = whole[offset + 1] ?? '';
        if (/[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after)) return mark;
      }
      return ` ${mark} `;
    });
  }
  if (options.collapseWhitespace ?? true) out = out.replace(/\s+/gu, ' ').trim();
  return out;
}
