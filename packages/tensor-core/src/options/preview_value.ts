/**
 * A short, bounded rendering of any value for an error message: at most `maxLength` characters, three
 * levels deep, eight items per level. `JSON.stringify` of a hostile input (a list nested 100,000 deep,
 * a 1 GB string) would overflow the stack or the message itself.
 */
export function previewValue(value: unknown, maxLength = 120): string {
  const render = (v: unknown, depth: number): string => {
    if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
    if (typeof v === 'bigint') return `${v}n`;
    if (v === null || typeof v !== 'object') return String(v);
    if (depth >= 3) return Array.isArray(v) ? '[…]' : '{…}';
    if (Array.isArray(v)) {
      const items = v.slice(0, 8).map((item) => render(item, depth + 1));
      if (v.length > 8) items.push(`… ${v.length - 8} more`);
      return `[${items.join(', ')}]`;
    }
    if (ArrayBuffer.isView(v))
      return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length ?? v.byteLength})`;
    const keys = Object.keys(v);
    const items = keys
      .slice(0, 8)
      .map(
        (key) =>
          `${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}: ${render((v as Record<string, unknown>)[key], depth + 1)}`,
      );
    if (keys.length > 8) items.push(`… ${keys.length - 8} more`);
    return `{${items.join(', ')}}`;
  };
  const text = render(value, 0);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
