import { choiceOption, stringArgument } from './metric_arguments.js';
import { collapseWhitespace } from './python_whitespace.js';

/** sacreBLEU's tokenizers that rnnkit reproduces (its `tokenize` argument and the signature's `tok:`). */
export type BleuTokenizer = 'none' | '13a' | 'intl' | 'char';

export const BLEU_TOKENIZERS: readonly BleuTokenizer[] = Object.freeze(['none', '13a', 'intl', 'char']);

// mteval-v13a.pl as sacreBLEU's tokenizer_13a/tokenizer_re: split off ASCII punctuation and symbols
// except ' - . , (those need context), then period and comma unless beside a digit, then a dash after a
// digit. The `u` flag makes [^0-9] take a whole code point, as Python's re does, never half an emoji.
const RULES_13A: ReadonlyArray<readonly [RegExp, string]> = [
  [/([{-~[-`\u0020-&(-+:-@/])/gu, ' $1 '],
  [/([^0-9])([.,])/gu, '$1 $2 '],
  [/([.,])([^0-9])/gu, ' $1 $2'],
  [/([0-9])(-)/gu, '$1 $2 '],
];

// mteval-v14.pl's international tokenization as sacreBLEU's tokenizer_intl: Unicode punctuation (P) is
// split off unless it sits between digits (1,000.5 stays), and every symbol (S) is split off.
const RULES_INTL: ReadonlyArray<readonly [RegExp, string]> = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
];

function applyRules(line: string, rules: ReadonlyArray<readonly [RegExp, string]>): string {
  let out = line;
  for (const [pattern, replacement] of rules) out = out.replace(pattern, replacement);
  return collapseWhitespace(out);
}

function tokenize13a(text: string): string {
  let line = text.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    // In this order, as mteval does: "&amp;lt;" becomes "<".
    line = line
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  // The padding spaces let a period at the very end be split off ("in 2020." → "in 2020 .").
  return applyRules(` ${line} `, RULES_13A);
}

/**
 * Tokenizes one line as sacreBLEU's tokenizer of that name does, returning the tokens joined by single
 * spaces: `'13a'` (mteval-v13a, sacreBLEU's default), `'intl'` (mteval-v14 international, Unicode
 * punctuation and symbols), `'char'` (every code point a token, spaces kept as separators) or `'none'`.
 */
export function bleuTokenize(text: string, tokenizer: BleuTokenizer = '13a'): string {
  stringArgument('bleuTokenize', 'text', text);
  const name = choiceOption('bleuTokenize', 'tokenizer', tokenizer, BLEU_TOKENIZERS, '13a');
  switch (name) {
    case 'none':
      return text;
    case '13a':
      return tokenize13a(text);
    case 'intl':
      return applyRules(text, RULES_INTL);
    case 'char':
      // Python iterates a str by code point; Array.from does too (a string's index is a UTF-16 unit).
      return Array.from(text).join(' ');
  }
}
