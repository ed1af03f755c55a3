import type { NormalizerSpec } from './model_proto.js';

/** U+2581, SentencePiece's visible stand-in for a space. */
export const SPACE_SYMBOL = '\u2581';

/**
 * SentencePiece's normaliser for models without a character map (normalization_rule_name
 * 'identity'): only U+0020 is whitespace. Extra spaces are dropped, a dummy-prefix space is
 * added, and spaces become U+2581 — the same steps, in the same order, as normalizer.cc.
 */
export function normalizeWhitespace(text: string, spec: NormalizerSpec): string {
  const removeExtra = spec.removeExtraWhitespaces ?? true;
  let s = removeExtra ? text.replace(/ {2,}/g, ' ').replace(/^ /, '').replace(/ $/, '') : text;
  if (s.length === 0) return '';
  if (spec.addDummyPrefix ?? true) s = ' ' + s;
  const escape = spec.escapeWhitespaces ?? true;
  if (escape) s = s.replaceAll(' ', SPACE_SYMBOL);
  if (removeExtra) {
    // normalizer.cc strips trailing *escaped* spaces last, so a literal U+2581 at the end goes too
    // ("a\u2581" -> "\u2581a", and "\u2581" alone -> "").
    const space = escape ? SPACE_SYMBOL : ' ';
    while (s.endsWith(space)) s = s.slice(0, -space.length);
  }
  return s;
}
