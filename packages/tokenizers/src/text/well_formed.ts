// In a /u regex a surrogate pair is one code point, so this class only matches lone surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Throws when `text` is not a string or holds a lone UTF-16 surrogate. Such strings have no UTF-8
 * encoding: converting them silently (to U+FFFD or to garbage bytes, depending on the encoder) would
 * give ids for text the caller never wrote.
 */
export function assertWellFormedText(text: unknown, label: string): asserts text is string {
  if (typeof text !== 'string') {
    throw new TypeError(`${label} must be a string, got ${text === null ? 'null' : typeof text}`);
  }
  const match = LONE_SURROGATE.exec(text);
  if (match) {
    const unit = text.charCodeAt(match.index).toString(16).toUpperCase();
    throw new RangeError(
      `${label} holds a lone UTF-16 surrogate U+${unit} at index ${match.index}; it has no UTF-8 encoding (use text.toWellFormed() to replace it with U+FFFD)`,
    );
  }
}
