// The lookup structure behind both n-gram scorers: a prefix trie of token-id n-grams, each node holding
// ln P(last token | the tokens before it) and the ln backoff weight of the node as a context. Suffix
// links (Aho–Corasick failure links) make a scorer's state one node: the longest suffix of the history
// that starts some listed n-gram, which is all that later probabilities can depend on.

/** Growable arrays that the ARPA reader and the Kneser-Ney estimator fill before freezing a BackoffTrie. */
export class BackoffTrieBuilder {
  /** Node 0 is the root (the empty context). */
  readonly depth: number[] = [0];
  readonly parent: number[] = [-1];
  readonly lastToken: number[] = [-1];
  /** ln P of the node's n-gram; NaN where the node only prefixes longer n-grams (not listed itself). */
  readonly logProb: number[] = [Number.NaN];
  /** ln backoff weight of the node as a context (0 when it has none). */
  readonly logBackoff: number[] = [0];
  private readonly children = new Map<number, number>();
  private readonly stride: number;

  constructor(readonly vocabularySize: number) {
    this.stride = Math.max(1, vocabularySize);
  }

  get size(): number {
    return this.depth.length;
  }

  /** The child of `node` along `token`, or -1. */
  child(node: number, token: number): number {
    return this.children.get(node * this.stride + token) ?? -1;
  }

  childOrInsert(node: number, token: number): number {
    const key = node * this.stride + token;
    const found = this.children.get(key);
    if (found !== undefined) return found;
    const id = this.depth.length;
    this.children.set(key, id);
    this.depth.push((this.depth[node] ?? 0) + 1);
    this.parent.push(node);
    this.lastToken.push(token);
    this.logProb.push(Number.NaN);
    this.logBackoff.push(0);
    return id;
  }

  /** Failure links: for each node, the node of its longest proper suffix that is in the trie. */
  suffixLinks(): Int32Array {
    const n = this.size;
    const fail = new Int32Array(n);
    // Parents before children: visit nodes by depth.
    const depth = this.depth;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (depth[a] ?? 0) - (depth[b] ?? 0));
    for (const x of order) {
      if ((depth[x] ?? 0) <= 1) continue;
      const token = this.lastToken[x] ?? -1;
      let v = fail[this.parent[x] ?? 0] ?? 0;
      for (;;) {
        const c = this.child(v, token);
        if (c >= 0) {
          fail[x] = c;
          break;
        }
        if (v === 0) break;
        v = fail[v] ?? 0;
      }
    }
    return fail;
  }

  /** Freezes the trie; states are limited to `order - 1` tokens of history. */
  build(order: number, fail: Int32Array = this.suffixLinks()): BackoffTrie {
    return new BackoffTrie(
      order,
      this.children,
      this.stride,
      Int32Array.from(this.depth),
      Int32Array.from(this.parent),
      Int32Array.from(this.lastToken),
      fail,
      Float64Array.from(this.logProb),
      Float64Array.from(this.logBackoff),
    );
  }
}

export class BackoffTrie {
  constructor(
    /** The longest n-gram: states hold at most order - 1 tokens. */
    readonly order: number,
    private readonly children: ReadonlyMap<number, number>,
    private readonly stride: number,
    readonly depth: Int32Array,
    readonly parent: Int32Array,
    readonly lastToken: Int32Array,
    readonly fail: Int32Array,
    readonly logProb: Float64Array,
    readonly logBackoff: Float64Array,
  ) {}

  get size(): number {
    return this.depth.length;
  }

  child(node: number, token: number): number {
    return this.children.get(node * this.stride + token) ?? -1;
  }

  /** The state after `token` is appended to the history that `state` stands for. */
  next(state: number, token: number): number {
    if (this.order <= 1) return 0;
    // A full-length history loses its first token: its longest trie suffix is the failure link.
    let v = (this.depth[state] ?? 0) >= this.order - 1 ? (this.fail[state] ?? 0) : state;
    for (;;) {
      const c = this.children.get(v * this.stride + token);
      if (c !== undefined) return c;
      if (v === 0) return 0;
      v = this.fail[v] ?? 0;
    }
  }

  /**
   * Backoff semantics: ln P(w | h) = ln P*(h w) if listed, else ln bo(h) + ln P(w | h minus its first
   * token). Suffixes of h outside the trie list nothing and have no weight, so only the failure chain
   * is visited.
   */
  logProbAt(state: number, token: number): number {
    let acc = 0;
    let v = state;
    for (;;) {
      const c = this.children.get(v * this.stride + token);
      if (c !== undefined) {
        const p = this.logProb[c] ?? Number.NaN;
        if (p === p) return acc + p; // not NaN: the n-gram is listed
      }
      if (v === 0) return Number.NEGATIVE_INFINITY;
      acc += this.logBackoff[v] ?? 0;
      v = this.fail[v] ?? 0;
    }
  }

  /** The token ids of node `node`'s n-gram, first to last. */
  tokensOf(node: number): number[] {
    const out: number[] = [];
    for (let v = node; v > 0; v = this.parent[v] ?? 0) out.push(this.lastToken[v] ?? -1);
    return out.reverse();
  }

  /** How many children each node has. */
  childCounts(): Int32Array {
    const counts = new Int32Array(this.size);
    for (let x = 1; x < this.size; x++) {
      const p = this.parent[x] ?? 0;
      counts[p] = (counts[p] ?? 0) + 1;
    }
    return counts;
  }
}
