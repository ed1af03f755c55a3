import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { assertWellFormedText } from '../text/well_formed.js';
import { encodeModelProto, type ModelProto, type SentencePieceEntry } from './model_proto.js';
import { normalizeWhitespace, SPACE_SYMBOL } from './whitespace_normalizer.js';

export interface TrainSentencePieceProgress {
  merges: number;
  targetMerges: number;
}

export interface TrainSentencePieceOptions {
  /** Training sentences (one text per element). */
  texts: Iterable<string>;
  /** Number of pieces in the model, special and user-defined pieces included. */
  vocabSize: number;
  /** Only 'bpe' is implemented; 'unigram' throws (see the package README). Default 'bpe'. */
  modelType?: 'bpe' | 'unigram';
  /** Fraction of character occurrences the alphabet must cover; rarer characters become <unk>. Default 0.9995 (spm_train's). */
  characterCoverage?: number;
  /** Pieces that are always one token and never merged (e.g. '<sep>'). They must not contain spaces or U+2581. */
  userDefinedSymbols?: readonly string[];
  /** Extra control pieces (never produced by encoding, e.g. '<mask>'). */
  controlSymbols?: readonly string[];
  /** Longest piece, in code points. Default 16 (spm_train's). */
  maxPieceLength?: number;
  /** Ids of <unk>, <s>, </s>, <pad>; -1 disables one (not unk). Defaults 0, 1, 2, -1 (spm_train's). Enabled ids must be 0..k-1. */
  unkId?: number;
  bosId?: number;
  eosId?: number;
  padId?: number;
  /** Add a space before each text so that a word is the same piece at the start and inside a sentence. Default true. */
  addDummyPrefix?: boolean;
  /** Called every 100 merges and at the end. */
  onProgress?: (progress: TrainSentencePieceProgress) => void;
}

const TRAIN_SENTENCEPIECE_OPTIONS = optionKeys<TrainSentencePieceOptions>({
  texts: true,
  vocabSize: true,
  modelType: true,
  characterCoverage: true,
  userDefinedSymbols: true,
  controlSymbols: true,
  maxPieceLength: true,
  unkId: true,
  bosId: true,
  eosId: true,
  padId: true,
  addDummyPrefix: true,
  onProgress: true,
});

interface Word {
  symbols: number[];
  count: number;
}

const NO_SYMBOL = -1; // a character outside the covered alphabet: never merged, encodes to <unk>
const PAIR_SHIFT = 2 ** 26;

/** Binary max-heap on (count, then merged string ascending), with lazy deletion. */
class CandidateHeap {
  private items: { count: number; key: number; text: string }[] = [];
  get size(): number {
    return this.items.length;
  }
  private before(a: { count: number; text: string }, b: { count: number; text: string }): boolean {
    return a.count > b.count || (a.count === b.count && a.text < b.text);
  }
  private at(i: number): { count: number; key: number; text: string } {
    const item = this.items[i];
    if (item === undefined) throw new Error(`CandidateHeap: no item at ${i} (size ${this.items.length})`);
    return item;
  }
  push(item: { count: number; key: number; text: string }): void {
    const h = this.items;
    h.push(item);
    // Swaps by hand: a destructuring swap allocates, and the heap sees millions of moves.
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      const child = this.at(i);
      const parent = this.at(p);
      if (!this.before(child, parent)) break;
      h[i] = parent;
      h[p] = child;
      i = p;
    }
  }
  /** Removes and returns the best candidate; the heap must not be empty. */
  pop(): { count: number; key: number; text: string } {
    const h = this.items;
    const top = this.at(0);
    const last = this.at(h.length - 1);
    h.pop();
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        let best = i;
        if (l < h.length && this.before(this.at(l), this.at(best))) best = l;
        if (l + 1 < h.length && this.before(this.at(l + 1), this.at(best))) best = l + 1;
        if (best === i) break;
        const t = this.at(i);
        h[i] = this.at(best);
        h[best] = t;
        i = best;
      }
    }
    return top;
  }
}

function fail(message: string): never {
  throw new RangeError(`trainSentencePiece: ${message}`);
}

/**
 * Trains a SentencePiece BPE model in TypeScript and returns the bytes of a standard `.model` file
 * (ModelProto) that the C++ library, Python's `sentencepiece` and SentencePieceTokenizer load.
 * Normalisation is 'identity' (whitespace handling only, no NFKC character map), so
 * SentencePieceBpeEncoder reproduces the C++ ids exactly. Deterministic: same input, same bytes.
 */
export function trainSentencePiece(options: TrainSentencePieceOptions): Uint8Array {
  const {
    texts,
    vocabSize,
    modelType = 'bpe',
    characterCoverage = 0.9995,
    userDefinedSymbols = [],
    controlSymbols = [],
    maxPieceLength = 16,
    unkId = 0,
    bosId = 1,
    eosId = 2,
    padId = -1,
    addDummyPrefix = true,
    onProgress,
  } = checkOptions('trainSentencePiece', options, TRAIN_SENTENCEPIECE_OPTIONS);
  if (modelType === 'unigram')
    fail(
      "modelType 'unigram' is not implemented in TypeScript; train it with spm_train and load it with SentencePieceTokenizer",
    );
  if (modelType !== 'bpe') fail(`modelType must be 'bpe', got ${JSON.stringify(modelType)}`);
  if (!Number.isSafeInteger(vocabSize) || vocabSize < 1)
    fail(`vocabSize must be a positive integer, got ${vocabSize}`);
  if (!(characterCoverage > 0 && characterCoverage <= 1))
    fail(`characterCoverage must be in (0, 1], got ${characterCoverage}`);
  if (!Number.isSafeInteger(maxPieceLength) || maxPieceLength < 1)
    fail(`maxPieceLength must be a positive integer, got ${maxPieceLength}`);
  if (
    texts === null ||
    typeof texts !== 'object' ||
    typeof (texts as Iterable<string>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(
      `trainSentencePiece: texts must be an iterable of strings, got ${texts === null ? 'null' : typeof texts}`,
    );
  }

  // Meta pieces at their ids; the enabled ids must be exactly 0..k-1 so no id is left without a piece.
  const specials: [number, SentencePieceEntry][] = [];
  for (const [name, id, piece, type] of [
    ['unkId', unkId, '<unk>', 'unknown'],
    ['bosId', bosId, '<s>', 'control'],
    ['eosId', eosId, '</s>', 'control'],
    ['padId', padId, '<pad>', 'control'],
  ] as const) {
    if (!Number.isSafeInteger(id) || id < -1 || (name === 'unkId' && id < 0))
      fail(
        `${name} must be ${name === 'unkId' ? 'a non-negative integer' : '-1 or a non-negative integer'}, got ${id}`,
      );
    if (id >= 0) specials.push([id, { piece, score: 0, type }]);
  }
  specials.sort((a, b) => a[0] - b[0]);
  specials.forEach(([id], i) => {
    if (id !== i)
      fail(
        `special ids must be 0..${specials.length - 1} without gaps or repeats, got unkId=${unkId} bosId=${bosId} eosId=${eosId} padId=${padId}`,
      );
  });
  const pieces: SentencePieceEntry[] = specials.map(([, e]) => e);
  const taken = new Set(pieces.map((p) => p.piece));
  for (const [list, type] of [
    [controlSymbols, 'control'],
    [userDefinedSymbols, 'user_defined'],
  ] as const) {
    list.forEach((s, i) => {
      assertWellFormedText(
        s,
        `trainSentencePiece: ${type === 'control' ? 'controlSymbols' : 'userDefinedSymbols'}[${i}]`,
      );
      if (s.length === 0 || s.includes(' ') || s.includes(SPACE_SYMBOL))
        fail(
          `${type === 'control' ? 'controlSymbols' : 'userDefinedSymbols'}[${i}] = ${JSON.stringify(s)} must be non-empty without spaces or U+2581`,
        );
      if (taken.has(s)) fail(`symbol ${JSON.stringify(s)} is defined twice`);
      taken.add(s);
      pieces.push({ piece: s, score: 0, type });
    });
  }
  const userSymbols = [...userDefinedSymbols].sort((a, b) => b.length - a.length);

  // Count words (whitespace-delimited, each starting with U+2581) after the encoder's normalisation.
  const wordCounts = new Map<string, number>();
  let index = 0;
  for (const text of texts) {
    assertWellFormedText(text, `trainSentencePiece: texts[${index}]`);
    index++;
    const normalized = normalizeWhitespace(text, { addDummyPrefix });
    for (let start = 0; start < normalized.length;) {
      let end = normalized.indexOf(SPACE_SYMBOL, start + 1);
      if (end < 0) end = normalized.length;
      const w = normalized.slice(start, end);
      wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
      start = end;
    }
  }
  if (wordCounts.size === 0) fail('texts hold no characters to learn from');

  // Split words into characters and user-defined symbols (longest match first, as the encoder does).
  const split = (w: string): string[] => {
    const out: string[] = [];
    for (let pos = 0; pos < w.length;) {
      const user = userSymbols.find((u) => w.startsWith(u, pos));
      let len: number;
      if (user) len = user.length;
      else {
        const codePoint = w.codePointAt(pos);
        if (codePoint === undefined) throw new Error(`trainSentencePiece: no character at ${pos} of a word`);
        len = codePoint > 0xffff ? 2 : 1;
      }
      out.push(w.slice(pos, pos + len));
      pos += len;
    }
    return out;
  };
  const userSet = new Set(userDefinedSymbols);
  const charCounts = new Map<string, number>();
  const splitWords: [string[], number][] = [];
  for (const [w, count] of wordCounts) {
    const parts = split(w);
    splitWords.push([parts, count]);
    for (const p of parts) if (!userSet.has(p)) charCounts.set(p, (charCounts.get(p) ?? 0) + count);
  }

  // Alphabet by character coverage (spm_train's rule: add characters, most frequent first, until covered).
  const byCount = [...charCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const total = byCount.reduce((s, [, c]) => s + c, 0);
  const alphabet: [string, number][] = [];
  let covered = 0;
  for (const entry of byCount) {
    if (covered / total >= characterCoverage && entry[0] !== SPACE_SYMBOL) continue;
    covered += entry[1];
    alphabet.push(entry);
  }
  const targetMerges = vocabSize - pieces.length - alphabet.length;
  if (targetMerges < 0)
    fail(
      `vocabSize = ${vocabSize} is too small: ${pieces.length} special/user pieces and ${alphabet.length} characters need at least ${pieces.length + alphabet.length}`,
    );

  const symbolText: string[] = [];
  const symbolLength: number[] = []; // in code points
  const symbolId = new Map<string, number>();
  const frozen = new Set<number>();
  const addSymbol = (text: string, length: number): number => {
    const id = symbolText.length;
    symbolText.push(text);
    symbolLength.push(length);
    symbolId.set(text, id);
    return id;
  };
  for (const [ch] of alphabet) addSymbol(ch, 1);
  for (const u of userDefinedSymbols) frozen.add(addSymbol(u, Infinity));
  const words: Word[] = splitWords.map(([parts, count]) => ({
    symbols: parts.map((p) => symbolId.get(p) ?? NO_SYMBOL),
    count,
  }));

  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const heap = new CandidateHeap();
  const mergeable = (a: number, b: number): boolean =>
    a !== NO_SYMBOL && b !== NO_SYMBOL && !frozen.has(a) && !frozen.has(b);
  // Keys whose count changed in this step, with their count before it. Only increases need a heap
  // push: a popped entry whose count is stale is re-pushed with the current count (see below).
  const touched = new Map<number, number>();
  const banned = new Set<number>(); // pairs longer than maxPieceLength or spelling a reserved piece
  /**
   * Counts (sign 1) or uncounts (-1) the word's pairs that start at `starts[0..startCount)` (all pairs
   * when omitted); starts may be out of range (skipped) but not repeated.
   */
  const addPairs = (wi: number, sign: 1 | -1, starts?: Int32Array, startCount = 0): void => {
    const word = words[wi];
    if (word === undefined) throw new Error(`trainSentencePiece: no word ${wi}`);
    const { symbols, count } = word;
    const n = starts ? startCount : symbols.length;
    for (let s = 0; s < n; s++) {
      const start = starts ? starts[s] : s;
      if (start === undefined) throw new Error(`trainSentencePiece: ${n} pair starts, but only ${s} given`);
      // Out-of-range starts (before the first or at the last symbol) have no pair and are skipped.
      const a = symbols[start];
      const b = symbols[start + 1];
      if (a === undefined || b === undefined || !mergeable(a, b)) continue;
      const key = a * PAIR_SHIFT + b;
      if (banned.has(key)) continue;
      const current = pairCount.get(key) ?? 0;
      if (!touched.has(key)) touched.set(key, current);
      pairCount.set(key, current + sign * count);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(wi);
      }
    }
  };
  const pushTouched = (): void => {
    for (const [key, before] of touched) {
      const count = pairCount.get(key);
      if (count === undefined) throw new Error(`trainSentencePiece: touched pair ${key} has no count`);
      if (count > before) {
        const left = symbolText[Math.floor(key / PAIR_SHIFT)];
        const right = symbolText[key % PAIR_SHIFT];
        if (left === undefined || right === undefined)
          throw new Error(`trainSentencePiece: pair ${key} names an unknown symbol`);
        heap.push({ count, key, text: left + right });
      } else if (count <= 0) {
        pairCount.delete(key);
        pairWords.delete(key);
      }
    }
    touched.clear();
  };
  words.forEach((_, wi) => addPairs(wi, 1));
  pushTouched();

  const merged: SentencePieceEntry[] = [];
  const reserved = new Set(pieces.map((p) => p.piece));
  // Pair starts around the merges in one word, reused: a word of n symbols has at most n + 1 of each.
  const longest = words.reduce((m, w) => Math.max(m, w.symbols.length), 0);
  const oldStarts = new Int32Array(longest + 2);
  const newStarts = new Int32Array(longest + 2);
  while (merged.length < targetMerges) {
    if (heap.size === 0) {
      fail(
        `vocabSize = ${vocabSize} is too large for these texts: only ${pieces.length + alphabet.length + merged.length} pieces can be learned`,
      );
    }
    const top = heap.pop();
    const current = pairCount.get(top.key);
    if (current !== top.count) {
      // Stale: the pair's count fell since this entry was pushed. Every live pair keeps an entry
      // whose count is >= its true count, so a top entry that is up to date is the true maximum.
      if (current !== undefined && current > 0) heap.push({ ...top, count: current });
      continue;
    }
    const a = Math.floor(top.key / PAIR_SHIFT);
    const b = top.key % PAIR_SHIFT;
    const lengthA = symbolLength[a];
    const lengthB = symbolLength[b];
    if (lengthA === undefined || lengthB === undefined)
      throw new Error(`trainSentencePiece: pair ${top.key} names an unknown symbol`);
    const length = lengthA + lengthB;
    if (length > maxPieceLength || reserved.has(top.text)) {
      banned.add(top.key); // never mergeable; forget it so it is not counted or pushed again
      pairCount.delete(top.key);
      pairWords.delete(top.key);
      continue;
    }
    let c = symbolId.get(top.text);
    if (c === undefined) {
      c = addSymbol(top.text, length);
      merged.push({ piece: top.text, score: -merged.length, type: 'normal' });
      if (onProgress && merged.length % 100 === 0) onProgress({ merges: merged.length, targetMerges });
    }
    // Only the pairs next to a merge change: uncount the old ones around each merged pair, count the
    // new ones around each new symbol (a full rescan per word is quadratic in long words). The new
    // pairs all hold c, so the set of words holding (a, b) does not change while it is walked.
    for (const wi of pairWords.get(top.key) ?? []) {
      const word = words[wi];
      if (word === undefined) throw new Error(`trainSentencePiece: no word ${wi}`);
      const symbols = word.symbols;
      // Starts ascend, so a repeat (two merges in a row share a neighbour) is always the last one added.
      let oldCount = 0;
      let newCount = 0;
      let lastOld = 0; // oldStarts[oldCount - 1] once oldCount > 0; likewise lastNew
      let lastNew = 0;
      let write = 0;
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
          for (let k = i - 1; k <= i + 1; k++)
            if (oldCount === 0 || lastOld < k) oldStarts[oldCount++] = lastOld = k;
          for (let k = write - 1; k <= write; k++)
            if (newCount === 0 || lastNew < k) newStarts[newCount++] = lastNew = k;
          write++;
          i++;
        } else write++;
      }
      if (oldCount === 0) continue;
      addPairs(wi, -1, oldStarts, oldCount);
      // Merge in place: the write position never passes the read position.
      write = 0;
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
          symbols[write++] = c;
          i++;
          // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- i < symbols.length (loop bound)
        } else symbols[write++] = symbols[i]!;
      }
      symbols.length = write;
      addPairs(wi, 1, newStarts, newCount);
    }
    pairCount.delete(top.key);
    pairWords.delete(top.key);
    touched.delete(top.key);
    pushTouched();
  }
  onProgress?.({ merges: merged.length, targetMerges });

  // Characters go last, most frequent first, with scores continuing below the merges (as spm_train writes BPE vocabularies).
  const chars = alphabet.map(([ch], i): SentencePieceEntry => ({
    piece: ch,
    score: -(merged.length + i),
    type: 'normal',
  }));
  const model: ModelProto = {
    pieces: [...pieces, ...merged, ...chars],
    trainerSpec: {
      modelType: 'bpe',
      vocabSize,
      characterCoverage,
      maxSentencepieceLength: maxPieceLength,
      splitByWhitespace: true,
      ...(controlSymbols.length ? { controlSymbols: [...controlSymbols] } : {}),
      ...(userDefinedSymbols.length ? { userDefinedSymbols: [...userDefinedSymbols] } : {}),
      unkId,
      bosId,
      eosId,
      padId,
    },
    normalizerSpec: {
      name: 'identity',
      addDummyPrefix,
      removeExtraWhitespaces: true,
      escapeWhitespaces: true,
    },
  };
  return encodeModelProto(model);
}
