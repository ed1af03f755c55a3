// An NLTK-style Kneser-Ney model as ARPA entries that give the same probabilities under standard
// backoff semantics with a single <s> (KenLM's and every CTC decoder's convention).
//
// Seen n-grams carry their interpolated probability and contexts their gamma as backoff weight; an
// unseen n-gram's alpha is 0, so backing off reproduces the interpolation. NLTK pads a sentence with
// order - 1 <s>, ARPA with one: the ARPA n-gram `<s> w1..wt` stands for NLTK's `<s>^(n-1-t) w1..wt`,
// so it gets that n-gram's probability and, as a context, the product of the gammas down NLTK's chain
// `<s>^j w1..wt`, …, `<s> w1..wt` (before `w1..wt`, which both models share). Below w1..wt the
// alphas on that chain are 0 for any word ARPA does not list, so the product is exact. NLTK's own
// lower-order `<s>` n-grams and n-grams with </s> inside are not written: no history reaches them.
import type { ArpaEntry } from './arpa_writer.js';
import type { BackoffTrie } from './backoff_trie.js';

export function kneserNeyArpaEntries(
  trie: BackoffTrie,
  /** Each token id's text in the file. */
  words: readonly string[],
  startId: number,
  endId: number,
): ArpaEntry[][] {
  const n = trie.order;
  const { fail, logBackoff: backoffs, logProb: probs } = trie;
  const childCount = trie.childCounts();
  const sections: ArpaEntry[][] = Array.from({ length: n }, () => []);
  const text = (ids: readonly number[]) => ids.map((id) => words[id] ?? '');
  // Sum of ln gammas from `node` down `steps` failure links (each drops a leading <s>).
  const chainBackoff = (node: number, steps: number) => {
    let sum = 0;
    for (let i = 0, v = node; i < steps; i++, v = fail[v] ?? 0) sum += backoffs[v] ?? 0;
    return sum;
  };
  const isContext = (node: number) => (childCount[node] ?? 0) > 0;

  for (let x = 1; x < trie.size; x++) {
    const ids = trie.tokensOf(x);
    const k = ids.length;
    const end = ids.indexOf(endId);
    if (end >= 0 && end < k - 1) continue;
    let m = 0;
    while (m < k && ids[m] === startId) m++;
    const logProb = probs[x] ?? Number.NEGATIVE_INFINITY;
    if (m === 0) {
      // </s> ends every history, so it is never a context.
      const logBackoff = k < n && isContext(x) && end < 0 ? (backoffs[x] ?? 0) : undefined;
      sections[k - 1]?.push({ words: text(ids), logProb, logBackoff });
    } else if (m === k && k === 1) {
      let start = 0;
      for (let i = 0; i < n - 1; i++) start = trie.child(start, startId);
      sections[0]?.push({ words: text(ids), logProb, logBackoff: chainBackoff(start, n - 1) });
    } else if (m < k && k === n) {
      const rest = ids.slice(m);
      const r = rest.length;
      // The context this ARPA n-gram stands for is x's suffix <s>^(n-1-r) rest: its failure link.
      const context = fail[x] ?? 0;
      const logBackoff = r + 1 < n && isContext(context) ? chainBackoff(context, n - 1 - r) : undefined;
      sections[r]?.push({ words: text([startId, ...rest]), logProb, logBackoff });
    }
  }
  return sections;
}
