// JSON.parse moves integer-like keys ("7", "2024") to the front of an object, which would reorder
// Keras's word_counts and index_word. This reader keeps the document's key order.

export type FlatJsonEntry = [key: string, value: string | number];

// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters (RFC 8259)
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPACE = /[ \t\n\r]*/y;

/** Parses a JSON object whose values are all strings or numbers, keeping key order. */
export function parseFlatJsonObject(text: string, label: string): FlatJsonEntry[] {
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(
      `${label}: expected ${what} at offset ${pos} of ${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? '…' : ''}`,
    );
  };
  const skip = (): void => {
    SPACE.lastIndex = pos;
    SPACE.exec(text);
    pos = SPACE.lastIndex;
  };
  const token = (re: RegExp, what: string): string => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return fail(what);
    pos = re.lastIndex;
    return m[0];
  };
  const entries: FlatJsonEntry[] = [];
  skip();
  if (text[pos] !== '{') fail("'{'");
  pos++;
  skip();
  if (text[pos] === '}') {
    pos++;
  } else {
    for (;;) {
      skip();
      const key = JSON.parse(token(STRING, 'a string key')) as string;
      skip();
      if (text[pos] !== ':') fail("':'");
      pos++;
      skip();
      const value =
        text[pos] === '"'
          ? (JSON.parse(token(STRING, 'a string value')) as string)
          : Number(token(NUMBER, 'a string or number value'));
      entries.push([key, value]);
      skip();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        break;
      }
      fail("',' or '}'");
    }
  }
  skip();
  if (pos !== text.length) fail('end of input');
  return entries;
}
