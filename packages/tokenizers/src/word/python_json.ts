// Keras writes its tokenizer JSON with Python's json.dumps defaults: ", " and ": " separators and
// ensure_ascii=True (every character outside ' '..'~' becomes \uXXXX, per UTF-16 code unit).
// Reproducing that byte for byte lets rnnkit and Keras read each other's files and lets tests
// compare whole documents.

export type PythonJsonValue = string | number | boolean | null | PythonJsonObject;
export interface PythonJsonObject {
  [key: string]: PythonJsonValue;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

export function pythonJsonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    const code = value.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

export function pythonJsonDumps(value: PythonJsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new RangeError(`pythonJsonDumps: only integers are written, got ${value}`);
    return String(value);
  }
  const entries = Object.entries(value);
  return '{' + entries.map(([k, v]) => `${pythonJsonString(k)}: ${pythonJsonDumps(v)}`).join(', ') + '}';
}

/** Like pythonJsonDumps for an object, but from a Map so that integer-like keys keep insertion order. */
export function pythonJsonDumpsMap(map: ReadonlyMap<string | number, string | number>): string {
  const parts: string[] = [];
  for (const [k, v] of map)
    parts.push(
      `${pythonJsonString(String(k))}: ${typeof v === 'string' ? pythonJsonString(v) : pythonJsonDumps(v)}`,
    );
  return '{' + parts.join(', ') + '}';
}
