// sacreBLEU splits and strips with Python's str.split()/rstrip(), whose whitespace (str.isspace) is not
// JavaScript's \s: Python has U+001C–U+001F and U+0085, JavaScript has U+FEFF. Using \s would change the
// tokens of such lines.
const PYTHON_WHITESPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const RUN = new RegExp(`[${PYTHON_WHITESPACE}]+`, 'u');
const TRAILING = new RegExp(`[${PYTHON_WHITESPACE}]+$`, 'u');
const RUNS = new RegExp(`[${PYTHON_WHITESPACE}]+`, 'gu');

/** Python's `text.split()`: the non-empty runs between whitespace. */
export function splitWhitespace(text: string): string[] {
  return text.split(RUN).filter((part) => part.length > 0);
}

/** Python's `text.rstrip()`. */
export function stripTrailingWhitespace(text: string): string {
  return text.replace(TRAILING, '');
}

/** Python's `' '.join(text.split())`: one space between words, none at the ends. */
export function collapseWhitespace(text: string): string {
  return text.replace(RUNS, ' ').replace(/^ | $/g, '');
}

/** Python's `''.join(text.split())`. */
export function removeWhitespace(text: string): string {
  return text.replace(RUNS, '');
}
