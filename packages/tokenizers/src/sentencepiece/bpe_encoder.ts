import { assertWellFormedText } from '../text/well_formed.js';
import { decodeModelProto, type ModelProto } from './model_proto.js';
import { SentencePieceIds } from './sentencepiece_ids.js';
import { normalizeWhitespace, SPACE_SYMBOL } from './whitespace_normalizer.js';

interface Pair {
  left: number;
  right: number;
  score: number;
  size: number;
  /** Vocabulary id of the merged piece. */
  merged: number;
}

/** Max-heap on (score, then smaller left): SentencePiece's SymbolPairComparator. */
class PairHeap {
  private items: Pair[] = [];
  get size(): number {
    return this.items.length;
  }
  private before(a: Pair, b: Pair): boolean {
    return a.score > b.score || (a.score === b.score && a.left < b.left);
  }
  private at(i: number): Pair {
    const item = this.items[i];
    if (item === undefined) throw new Error(`PairHeap: no item at ${i} (size ${this.items.length})`);
    return item;
  }
  push(p: Pair): void {
    const items = this.items;
    items.push(p);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const child = this.at(i);
      const up = this.at(parent);
      if (!this.before(child, up)) break;
      [items[i], items[parent]] = [up, child];
      i = parent;
    }
  }
  /** Removes and returns the best pair; the heap must not be empty. */
  pop(): Pair {
    const items = this.items;
    const top = this.at(0);
    const last = this.at(items.length - 1);
    items.pop();
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.before(this.at(l), this.at(best))) best = l;
        if (r < items.length && this.before(this.at(r), this.at(best))) best = r;
        if (best === i) break;
        [items[i], items[best]] = [this.at(best), this.at(i)];
        i = best;
      }
    }
    return top;
  }
}

/** One symbol of a segment being merged. */
interface BpeSymbol {
  start: number;
  /** Length in UTF-16 units; 0 once merged into its left neighbour. */
  len: number;
  /** Vocabulary id of the symbol's current text, -1 if none. */
  sid: number;
  /** User-defined symbols are never merged. */
  frozen: boolean;
  prev: number;
  next: number;
}

const WORD_CACHE_LIMIT = 1 << 16;

/**
 * SentencePiece's BPE encoder (bpe_model.cc) in TypeScript, for BPE models without a character map
 * — the models `trainSentencePiece` writes, or `spm_train --model_type=bpe
 * --normalization_rule_name=identity`. Ids equal the C++ library's; no WebAssembly is loaded.
 */
export class SentencePieceBpeEncoder extends SentencePieceIds {
  private readonly scores = new Map<string, number>(); // normal, user-defined and unused pieces
  private readonly ids = new Map<string, number>();
  private readonly reservedIds = new Map<string, number>(); // control, unknown, byte
  private readonly userSymbols: string[];
  private readonly controlIds: Set<number>;
  private readonly unkSurface: string;
  /** Words can be encoded one at a time only when no piece spans a word boundary. */
  private readonly wordwise: boolean;
  private readonly cache = new Map<string, { ids: number[]; pieces: string[] }>();

  constructor(readonly model: ModelProto) {
    super(model);
    const t = model.trainerSpec;
    const fail = (why: string): never => {
      throw new Error(
        `SentencePieceBpeEncoder: ${why}; load this model with SentencePieceTokenizer (WebAssembly) instead`,
      );
    };
    if ((t.modelType ?? 'unigram') !== 'bpe') fail(`model_type is '${t.modelType ?? 'unigram'}', not 'bpe'`);
    if ((model.normalizerSpec.precompiledCharsmap?.length ?? 0) > 0)
      fail(
        `the model normalises text with '${model.normalizerSpec.name ?? 'a character map'}' (only 'identity' models are supported)`,
      );
    if (t.treatWhitespaceAsSuffix) fail('treat_whitespace_as_suffix is not supported');
    if (t.byteFallback) fail('byte_fallback is not supported');
    if (model.pieces.some((p) => p.type === 'unused')) fail('models with unused pieces are not supported');
    const users: string[] = [];
    let crossesWords = false;
    model.pieces.forEach((p, id) => {
      if (p.type === 'normal' || p.type === 'user_defined') {
        this.scores.set(p.piece, p.score);
        this.ids.set(p.piece, id);
        if (p.type === 'user_defined') users.push(p.piece);
        if (p.piece.indexOf(SPACE_SYMBOL, 1) > 0) crossesWords = true;
      } else this.reservedIds.set(p.piece, id);
    });
    this.userSymbols = users.sort((a, b) => b.length - a.length); // longest match first, as the C++ prefix matcher
    if (users.some((u) => u.includes(SPACE_SYMBOL) || u.includes(' '))) crossesWords = true;
    this.wordwise = !crossesWords;
    this.controlIds = new Set(model.pieces.flatMap((p, id) => (p.type === 'control' ? [id] : [])));
    this.unkSurface = t.unkSurface ?? ' \u2047 ';
  }

  /** Parses and checks a `.model` file; synchronous, no WebAssembly. */
  static fromBytes(modelBytes: Uint8Array | ArrayBuffer): SentencePieceBpeEncoder {
    return new SentencePieceBpeEncoder(decodeModelProto(modelBytes));
  }

  encode(text: string): number[] {
    return this.run(text, 'encode').ids;
  }

  encodePieces(text: string): string[] {
    return this.run(text, 'encodePieces').pieces;
  }

  /** Same rules as the C++ decoder: controls vanish, unknown ids print the unk surface, U+2581 is a space. */
  decode(ids: readonly number[]): string {
    if (!Array.isArray(ids))
      throw new TypeError(
        `SentencePieceBpeEncoder.decode: ids must be an array of integers, got ${typeof ids}`,
      );
    let out = '';
    // The C++ decoder drops the first piece's leading U+2581 even when add_dummy_prefix is false
    // (checked against the WASM build in the tests).
    let atStart = true;
    ids.forEach((id, i) => {
      const entry = this.model.pieces[id];
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize || entry === undefined)
        throw new RangeError(
          `SentencePieceBpeEncoder.decode: ids[${i}] = ${id} is not an id in [0, ${this.vocabSize})`,
        );
      if (this.controlIds.has(id)) return;
      let piece = id === this.unkId ? this.unkSurface : entry.piece;
      if (atStart && piece.startsWith(SPACE_SYMBOL)) piece = piece.slice(1);
      if (piece.length > 0) atStart = false;
      out += piece.replaceAll(SPACE_SYMBOL, ' ');
    });
    return out;
  }

  private run(text: string, method: string): { ids: number[]; pieces: string[] } {
    assertWellFormedText(text, `SentencePieceBpeEncoder.${method}: text`);
    const normalized = normalizeWhitespace(text, this.model.normalizerSpec);
    const ids: number[] = [];
    const pieces: string[] = [];
    const emit = (segment: { ids: number[]; pieces: string[] }): void => {
      for (const [k, id] of segment.ids.entries()) {
        const piece = segment.pieces[k];
        if (piece === undefined)
          throw new Error(`SentencePieceBpeEncoder: segment has no piece for ids[${k}]`);
        // The C++ processor merges a run of unknown pieces into one piece, for every model type.
        const previous = id === this.unkId && ids.at(-1) === this.unkId ? pieces.pop() : undefined;
        if (previous !== undefined) pieces.push(previous + piece);
        else {
          ids.push(id);
          pieces.push(piece);
        }
      }
    };
    if (!this.wordwise) {
      emit(this.encodeSegment(normalized));
      return { ids, pieces };
    }
    let start = 0;
    while (start < normalized.length) {
      let end = normalized.indexOf(SPACE_SYMBOL, start + 1);
      if (end < 0) end = normalized.length;
      const word = normalized.slice(start, end);
      let cached = this.cache.get(word);
      if (!cached) {
        cached = this.encodeSegment(word);
        if (this.cache.size >= WORD_CACHE_LIMIT) this.cache.clear();
        this.cache.set(word, cached);
      }
      emit(cached);
      start = end;
    }
    return { ids, pieces };
  }

  /**
   * For two vocabulary pieces L and R whose concatenation is a mergeable piece P: key id(L) * V + id(R)
   * → id(P). Merged symbols are always vocabulary pieces, so after the first merge every lookup is a
   * number lookup instead of a substring hash; only pairs involving an out-of-vocabulary character
   * fall back to the string map. Same answers as looking up the concatenation, built on first use.
   */
  private pairTable: Map<number, number> | undefined;

  /** Vocabulary id of each single UTF-16 code unit piece (-1: none), built with pairTable. */
  private unitIds = new Int32Array(0);

  private buildPairTable(): Map<number, number> {
    this.unitIds = new Int32Array(0x10000).fill(-1);
    for (const [piece, id] of this.ids) if (piece.length === 1) this.unitIds[piece.charCodeAt(0)] = id;
    const table = new Map<number, number>();
    const V = this.vocabSize;
    for (const [piece, id] of this.ids) {
      for (let k = 1; k < piece.length; k++) {
        const l = this.ids.get(piece.slice(0, k));
        const r = this.ids.get(piece.slice(k));
        if (l !== undefined && r !== undefined) table.set(l * V + r, id);
      }
    }
    return table;
  }

  /** bpe_model.cc Model::Encode on one span of normalised text. */
  private encodeSegment(s: string): { ids: number[]; pieces: string[] } {
    const table = (this.pairTable ??= this.buildPairTable());
    const V = this.vocabSize;
    // The symbols in order, a doubly linked list through prev and next (-1: none).
    const symbols: BpeSymbol[] = [];
    const symbol = (i: number): BpeSymbol => {
      const sym = symbols[i];
      if (sym === undefined) throw new Error(`SentencePieceBpeEncoder: no symbol ${i} of ${symbols.length}`);
      return sym;
    };
    const hasUsers = this.userSymbols.length > 0;
    for (let pos = 0; pos < s.length;) {
      let len = 0;
      let isUser = false;
      if (hasUsers) {
        for (const u of this.userSymbols) {
          if (s.startsWith(u, pos)) {
            len = u.length;
            isUser = true;
            break;
          }
        }
      }
      if (!isUser) {
        const c = s.charCodeAt(pos);
        len = c >= 0xd800 && c <= 0xdbff ? 2 : 1; // input is well-formed, so a high surrogate has its pair
      }
      let sid: number; // vocabulary id of the symbol's current text, -1 if none
      if (len === 1 && !isUser) {
        const unitId = this.unitIds[s.charCodeAt(pos)];
        if (unitId === undefined) throw new Error('SentencePieceBpeEncoder: the unit table is not built');
        sid = unitId;
      } else sid = this.ids.get(s.substr(pos, len)) ?? -1;
      symbols.push({ start: pos, len, sid, frozen: isUser, prev: symbols.length - 1, next: -1 });
      pos += len;
    }
    const n = symbols.length;
    symbols.forEach((sym, i) => {
      sym.next = i + 1 < n ? i + 1 : -1;
    });
    const heap = new PairHeap();
    const tryPair = (left: number, right: number): void => {
      if (left === -1 || right === -1) return;
      const l = symbol(left);
      const r = symbol(right);
      if (l.frozen || r.frozen) return;
      const size = l.len + r.len;
      let merged: number | undefined;
      if (l.sid >= 0 && r.sid >= 0) merged = table.get(l.sid * V + r.sid);
      else merged = this.ids.get(s.substr(l.start, size));
      if (merged === undefined) return;
      const entry = this.model.pieces[merged];
      if (entry === undefined) throw new Error(`SentencePieceBpeEncoder: merged id ${merged} is not a piece`);
      heap.push({ left, right, score: entry.score, size, merged });
    };
    for (let i = 1; i < n; i++) tryPair(i - 1, i);
    while (heap.size > 0) {
      const top = heap.pop();
      const l = symbol(top.left);
      const r = symbol(top.right);
      // Stale entry: one side was merged away or grew since the pair was pushed.
      if (l.len === 0 || r.len === 0 || l.len + r.len !== top.size) continue;
      l.len += r.len;
      r.len = 0;
      l.sid = top.merged;
      l.next = r.next;
      if (r.next >= 0) symbol(r.next).prev = top.left;
      tryPair(l.prev, top.left);
      tryPair(top.left, l.next);
    }
    const ids: number[] = [];
    const pieces: string[] = [];
    for (let i = n > 0 ? 0 : -1; i !== -1;) {
      const sym = symbol(i);
      const piece = s.substr(sym.start, sym.len);
      pieces.push(piece);
      ids.push(this.reservedIds.get(piece) ?? (sym.sid >= 0 ? sym.sid : this.unkId));
      i = sym.next;
    }
    return { ids, pieces };
  }
}
