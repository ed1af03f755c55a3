/** What a language model's tokens are: characters (code points) or whitespace-separated words. */
export type LanguageModelUnit = 'char' | 'word';

// Python's str.split() separators (str.isspace), so word tokens match NLTK fixtures made with text.split().
// eslint-disable-next-line no-control-regex -- Python counts the separators \x1c-\x1f as whitespace
const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** A text's tokens: its code points (like Python's `list(text)`) or its words (like `text.split()`). */
export function tokenizeText(text: string, unit: LanguageModelUnit): string[] {
  if (unit === 'char') return Array.from(text);
  return text.split(PYTHON_WHITESPACE).filter((token) => token !== '');
}
