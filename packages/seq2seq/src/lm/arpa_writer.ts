/** One line of an ARPA `\N-grams:` section, in natural logs (written as log10). */
export interface ArpaEntry {
  readonly words: readonly string[];
  readonly logProb: number;
  /** Omitted for n-grams that are not contexts. */
  readonly logBackoff?: number;
}

// SRILM and KenLM write log10 0 (P = 0) as -99: ARPA has no -inf.
const ZERO_LOG10 = -99;

function log10Field(ln: number): string {
  const v = ln / Math.LN10;
  return Number.isFinite(v) ? String(v === 0 ? 0 : v) : String(ZERO_LOG10);
}

/** ARPA text: `\data\` with the counts, one `\N-grams:` section per order (entries[N - 1]), `\end\`. */
export function formatArpa(entries: readonly (readonly ArpaEntry[])[]): string {
  const out: string[] = ['\\data\\'];
  entries.forEach((section, i) => out.push(`ngram ${i + 1}=${section.length}`));
  entries.forEach((section, i) => {
    out.push('', `\\${i + 1}-grams:`);
    for (const e of section) {
      const line = `${log10Field(e.logProb)}\t${e.words.join(' ')}`;
      out.push(e.logBackoff === undefined ? line : `${line}\t${log10Field(e.logBackoff)}`);
    }
  });
  out.push('', '\\end\\', '');
  return out.join('\n');
}
