// Interpolated Kneser-Ney as nltk.lm.KneserNeyInterpolated (NLTK 3.8) defines it, for order n, discount d:
//   P(w | c) = alpha(c, w) + gamma(c) · P(w | c[1:])          when c has been seen as a context
//   P(w | c) = P(w | c[1:])                                    when it has not
//   P(w | ()) = N1+(• w) / N1+(• •)                            (no interpolation with a uniform)
// with, at the highest order (|c| = n - 1), raw counts:
//   alpha = max(C(c w) - d, 0) / C(c •),   gamma = d · N1+(c •) / C(c •)
// and at lower orders continuation counts N1+(• c w) (distinct words seen before c w):
//   alpha = max(N1+(• c w) - d, 0) / N1+(• c •),   gamma = d · N1+(c •) / N1+(• c •)
// Counts come from NLTK's everygrams of each sentence padded with n - 1 <s> and n - 1 </s>.
// An n-gram c w never seen has alpha = 0, so the model is exactly a backoff model whose listed
// n-grams are the seen ones and whose backoff weights are the gammas: that is what is stored.
import { BackoffTrieBuilder, type BackoffTrie } from './backoff_trie.js';

/**
 * Counts every n-gram of length 1..order in the (already padded) sentences and stores the
 * interpolated Kneser-Ney probabilities. `extraUnigrams` (the unknown token) are listed with P = 0.
 */
export function estimateKneserNey(
  paddedSentences: readonly (readonly number[])[],
  order: number,
  discount: number,
  vocabularySize: number,
  extraUnigrams: readonly number[],
): BackoffTrie {
  const builder = new BackoffTrieBuilder(vocabularySize);
  const counts: number[] = [0];
  for (const tokens of paddedSentences) {
    for (let i = 0; i < tokens.length; i++) {
      let node = 0;
      const end = Math.min(tokens.length, i + order);
      for (let j = i; j < end; j++) {
        node = builder.childOrInsert(node, tokens[j] ?? 0);
        counts[node] = (counts[node] ?? 0) + 1;
      }
    }
  }
  for (const token of extraUnigrams) counts[builder.childOrInsert(0, token)] ??= 0;

  const size = builder.size;
  // Every index below is a node id < size (or a parent or failure link of one).
  const at = (a: ArrayLike<number | undefined>, i: number) => a[i] ?? 0;
  const { depth, parent } = builder;
  // Everygrams are closed under taking suffixes, so a node's failure link is its suffix n-gram.
  const fail = builder.suffixLinks();
  const leftExtensions = new Float64Array(size); // N1+(• x) for node x
  const childCount = new Float64Array(size); // N1+(c •)
  const childTotal = new Float64Array(size); // C(c •)
  for (let x = 1; x < size; x++) {
    const c = at(parent, x);
    const seen = at(counts, x) > 0 ? 1 : 0;
    if (at(depth, x) >= 2) leftExtensions[at(fail, x)] = at(leftExtensions, at(fail, x)) + seen;
    childCount[c] = at(childCount, c) + seen;
    childTotal[c] = at(childTotal, c) + at(counts, x);
  }
  const leftTotal = new Float64Array(size); // N1+(• c •) = sum over children c w of N1+(• c w)
  for (let x = 1; x < size; x++)
    leftTotal[at(parent, x)] = at(leftTotal, at(parent, x)) + at(leftExtensions, x);

  const prob = new Float64Array(size);
  const gamma = new Float64Array(size).fill(1);
  const byDepth = Array.from({ length: size - 1 }, (_, i) => i + 1).sort(
    (a, b) => at(depth, a) - at(depth, b),
  );
  for (const x of byDepth) {
    const c = at(parent, x);
    if (c === 0) {
      prob[x] = at(leftExtensions, x) / at(leftTotal, 0);
      continue;
    }
    const top = at(depth, c) === order - 1;
    const numerator = top ? at(counts, x) : at(leftExtensions, x);
    const total = top ? at(childTotal, c) : at(leftTotal, c);
    // total = 0 cannot happen for a seen context (every lower-order context has a word before it);
    // alpha = 0, gamma = 1 keeps the guard harmless.
    const alpha = total > 0 ? Math.max(numerator - discount, 0) / total : 0;
    const g = total > 0 ? (discount * at(childCount, c)) / total : 1;
    gamma[c] = g;
    prob[x] = alpha + g * at(prob, at(fail, x));
  }

  for (let x = 1; x < size; x++) {
    builder.logProb[x] = Math.log(at(prob, x));
    // Only contexts back off; the root's "backoff" is never used (every token is a unigram).
    builder.logBackoff[x] = at(childCount, x) > 0 ? Math.log(at(gamma, x)) : 0;
  }
  return builder.build(order, fail);
}
