// Reads ARPA back-off language model text (SRILM's format, as KenLM writes and reads it):
//   \data\              then "ngram N=count" for N = 1, 2, …
//   \N-grams:           then per line: log10prob <TAB> w1 … wN [<TAB> log10backoff]
//   \end\
// Fields may be separated by tabs or spaces. Probabilities are stored as natural logs.
import { BackoffTrieBuilder, type BackoffTrie } from './backoff_trie.js';

export const ARPA_START = '<s>';
export const ARPA_END = '</s>';
export const ARPA_UNKNOWN = '<unk>';
/** KenLM's stand-in log10 probability for <unk>, <s> or </s> when a file lacks them. */
export const ARPA_MISSING_LOG10 = -100;

export interface ParsedArpa {
  trie: BackoffTrie;
  /** Counts as declared in `\data\` (index N - 1). */
  counts: number[];
  /** Unigram tokens in file order, then any of <s>, </s>, <unk> the file lacked. */
  vocabulary: string[];
  ids: Map<string, number>;
}

interface Line {
  text: string;
  /** 1-based. */
  number: number;
}

function* linesOf(text: string): Generator<Line> {
  let start = 0;
  for (let number = 1; start <= text.length; number++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    yield { text: line.endsWith('\r') ? line.slice(0, -1) : line, number };
    start = end + 1;
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NEG_INF = /^-inf(inity)?$/i;
const FIELD_SEPARATOR = /[ \t]+/;

function quote(line: string): string {
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
}

export function parseArpa(text: string, fn: string): ParsedArpa {
  if (typeof text !== 'string') throw new Error(`${fn}: text must be a string (the ARPA file's contents)`);
  const lines = linesOf(text);
  let current: Line | undefined;
  const advance = () => {
    const r = lines.next();
    current = r.done ? undefined : r.value;
    return current;
  };
  const skipBlank = () => {
    let line = advance();
    while (line && line.text.trim() === '') line = advance();
    return line;
  };
  const fail = (line: Line, what: string) => new Error(`${fn}: line ${line.number}: ${what}`);

  // \data\ and the counts.
  const header = skipBlank();
  if (!header) throw new Error(`${fn}: the text is empty; expected an ARPA file starting with \\data\\`);
  if (header.text.trim() !== '\\data\\')
    throw fail(header, `expected the \\data\\ header, got ${quote(header.text)}`);
  const counts: number[] = [];
  for (;;) {
    const line = advance();
    if (!line || line.text.trim() === '' || line.text.trim().startsWith('\\')) break;
    const m = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(line.text.trim());
    if (!m) throw fail(line, `expected "ngram N=count" in \\data\\, got ${quote(line.text)}`);
    const n = Number(m[1]);
    if (n !== counts.length + 1)
      throw fail(
        line,
        `expected "ngram ${counts.length + 1}=…" (orders in sequence from 1), got ${quote(line.text)}`,
      );
    counts.push(Number(m[2]));
  }
  if (counts.length === 0) throw new Error(`${fn}: \\data\\ declares no n-gram counts ("ngram 1=…" lines)`);
  if (counts[0] === 0) throw new Error(`${fn}: \\data\\ declares ngram 1=0; a model needs unigrams`);
  const order = counts.length;

  // Created once the unigrams (the vocabulary, which sizes its keys) are read.
  let builder = new BackoffTrieBuilder(0);
  const vocabulary: string[] = [];
  const ids = new Map<string, number>();
  const unigrams: Array<[number, number]> = []; // [ln prob, ln backoff] by token id
  const tokenIds = new Array<number>(order);

  if (current && current.text.trim() === '') skipBlank();
  for (let n = 1; n <= order; n++) {
    const sectionName = `\\${n}-grams:`;
    const declared = `\\data\\ declares ngram ${n}=${counts[n - 1]}`;
    if (!current)
      throw new Error(`${fn}: missing the ${sectionName} section (${declared}); the text ends first`);
    if (current.text.trim() !== sectionName)
      throw fail(current, `missing the ${sectionName} section (${declared}); got ${quote(current.text)}`);
    const fieldsWithoutBackoff = n + 1;
    const form = `"log10prob<TAB>${n === 1 ? 'word' : `${n} words`}${n < order ? '[<TAB>log10backoff]' : ''}"`;
    let entries = 0;
    for (;;) {
      const line = advance();
      if (!line) break;
      const trimmed = line.text.trim();
      if (trimmed === '') {
        skipBlank();
        break;
      }
      if (trimmed.startsWith('\\')) break;
      const fields = trimmed.split(FIELD_SEPARATOR);
      const withBackoff = fields.length === fieldsWithoutBackoff + 1 && n < order;
      if (fields.length !== fieldsWithoutBackoff && !withBackoff)
        throw fail(line, `expected ${form} in ${sectionName}, got ${quote(line.text)}`);
      const probField = fields[0] ?? '';
      const logProb = parseLog10(probField);
      if (logProb === undefined || logProb > 0)
        throw fail(line, `log10 probability must be a number ≤ 0, got ${quote(probField)}`);
      let logBackoff = 0;
      if (withBackoff) {
        const backoffField = fields[n + 1] ?? '';
        const bo = parseLog10(backoffField);
        if (bo === undefined) throw fail(line, `log10 backoff must be a number, got ${quote(backoffField)}`);
        logBackoff = bo;
      }
      entries++;
      if (n === 1) {
        const word = fields[1] ?? '';
        if (ids.has(word)) throw fail(line, `duplicate unigram ${quote(word)}`);
        ids.set(word, vocabulary.length);
        vocabulary.push(word);
        unigrams.push([logProb, logBackoff]);
        continue;
      }
      let node = 0;
      for (let i = 0; i < n; i++) {
        const word = fields[i + 1] ?? '';
        const id = ids.get(word);
        if (id === undefined) throw fail(line, `word ${quote(word)} is not in \\1-grams:`);
        tokenIds[i] = id;
      }
      for (let i = 0; i < n; i++) node = builder.childOrInsert(node, tokenIds[i] ?? 0);
      if (!Number.isNaN(builder.logProb[node]))
        throw fail(line, `duplicate n-gram ${quote(fields.slice(1, n + 1).join(' '))}`);
      builder.logProb[node] = logProb;
      builder.logBackoff[node] = logBackoff;
    }
    if (entries !== counts[n - 1])
      throw new Error(`${fn}: ${sectionName} has ${entries} entries but ${declared}`);
    if (n === 1) {
      for (const special of [ARPA_START, ARPA_END, ARPA_UNKNOWN]) {
        if (ids.has(special)) continue;
        ids.set(special, vocabulary.length);
        vocabulary.push(special);
        unigrams.push([ARPA_MISSING_LOG10 * Math.LN10, 0]);
      }
      const unigramTrie = new BackoffTrieBuilder(vocabulary.length);
      unigrams.forEach(([logProb, logBackoff], id) => {
        const node = unigramTrie.childOrInsert(0, id);
        unigramTrie.logProb[node] = logProb;
        unigramTrie.logBackoff[node] = logBackoff;
      });
      builder = unigramTrie;
    }
  }

  if (!current)
    throw new Error(`${fn}: missing \\end\\ after the \\${order}-grams: section; the text ends first`);
  if (current.text.trim() !== '\\end\\')
    throw fail(current, `expected \\end\\ after the \\${order}-grams: section, got ${quote(current.text)}`);
  return { trie: builder.build(order), counts, vocabulary, ids };
}

/** ln of a log10 field, or undefined if it is not a number. */
function parseLog10(field: string): number | undefined {
  if (NEG_INF.test(field)) return Number.NEGATIVE_INFINITY;
  if (!NUMBER.test(field)) return undefined;
  return Number(field) * Math.LN10;
}
