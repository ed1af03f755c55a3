import { assertWellFormedText } from '../text/well_formed.js';
import { decodeModelProto, resolveSpecialIds, type ModelProto } from './model_proto.js';
import { normalizeWhitespace, SPACE_SYMBOL } from './whitespace_normalizer.js';

interface Pair {
  left: number;
  right: number;
  score: number;
  size: number;
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
  push(p: Pair): void {
    const items = this.items;
    items.push(p);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): Pair {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.before(items[l], items[best])) best = l;
        if (r < items.length && this.before(items[r], items[best])) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best], items[i]];
        i = best;
      }
    }
    return top;
  }
}

const WORD_CACHE_LIMIT = 1 << 16;

/**
 * SentencePiece's BPE encoder (bpe_model.cc) in TypeScript, for BPE models without a character map
 * — the models `trainSentencePiece` writes, or `spm_train --model_type=bpe
 * --normalization_rule_name=identity`. Ids equal the C++ library's; no WebAssembly is loaded.
 */
export class SentencePieceBpeEncoder {
  readonly vocabSize: number;
  readonly unkId: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
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
    const t = model.trainerSpec;
    const fail = (why: string): never => { throw new Error(`SentencePieceBpeEncoder: ${why}; load this model with SentencePieceTokenizer (WebAssembly) instead`); };
    if ((t.modelType ?? 'unigram') !== 'bpe') fail(`model_type is '${t.modelType ?? 'unigram'}', not 'bpe'`);
    if ((model.normalizerSpec.precompiledCharsmap?.length ?? 0) > 0) fail(`the model normalises text with '${model.normalizerSpec.name ?? 'a character map'}' (only 'identity' models are supported)`);
    if (t.treatWhitespaceAsSuffix) fail('treat_whitespace_as_suffix is not supported');
    if (t.byteFallback) fail('byte_fallback is not supported');
    if (model.pieces.some((p) => p.type === 'unused')) fail('models with unused pieces are not supported');
    this.vocabSize = model.pieces.length;
    ({ unkId: this.unkId, bosId: this.bosId, eosId: this.eosId, padId: this.padId } = resolveSpecialIds(model));
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
    if (!Array.isArray(ids)) throw new TypeError(`SentencePieceBpeEncoder.decode: ids must be an array of integers, got ${typeof ids}`);
    let out = '';
    let atStart = this.model.normalizerSpec.addDummyPrefix ?? true;
    ids.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new RangeError(`SentencePieceBpeEncoder.decode: ids[${i}] = ${id} is not an id in [0, ${this.vocabSize})`);
      if (this.controlIds.has(id)) return;
      let piece = id === this.unkId ? this.unkSurface : this.model.pieces[id].piece;
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
      for (let k = 0; k < segment.ids.length; k++) {
        // The C++ processor merges a run of unknown pieces into one piece, for every model type.
        if (segment.ids[k] === this.unkId && ids.length > 0 && ids[ids.length - 1] === this.unkId) pieces[pieces.length - 1] += segment.pieces[k];
        else {
          ids.push(segment.ids[k]);
          pieces.push(segment.pieces[k]);
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

  /** bpe_model.cc Model::Encode on one span of normalised text. */
  private encodeSegment(s: string): { ids: number[]; pieces: string[] } {
    const starts: number[] = [];
    const lens: number[] = [];
    const frozen: boolean[] = [];
    for (let pos = 0; pos < s.length; ) {
      let len = 0;
      let isUser = false;
      for (const u of this.userSymbols) {
        if (s.startsWith(u, pos)) {
          len = u.length;
          isUser = true;
          break;
        }
      }
      if (!isUser) len = s.codePointAt(pos)! > 0xffff ? 2 : 1;
      starts.push(pos);
      lens.push(len);
      frozen.push(isUser);
      pos += len;
    }
    const n = starts.length;
    const prev = Array.from({ length: n }, (_, i) => i - 1);
    const next = Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const heap = new PairHeap();
    const tryPair = (left: number, right: number): void => {
      if (left === -1 || right === -1 || frozen[left] || frozen[right]) return;
      const size = lens[left] + lens[right];
      const score = this.scores.get(s.substr(starts[left], size));
      if (score !== undefined) heap.push({ left, right, score, size });
    };
    for (let i = 1; i < n; i++) tryPair(i - 1, i);
    while (heap.size > 0) {
      const top = heap.pop();
      // Stale entry: one side was merged away or grew since the pair was pushed.
      if (lens[top.left] === 0 || lens[top.right] === 0 || lens[top.left] + lens[top.right] !== top.size) continue;
      lens[top.left] += lens[top.right];
      lens[top.right] = 0;
      next[top.left] = next[top.right];
      if (next[top.right] >= 0) prev[next[top.right]] = top.left;
      tryPair(prev[top.left], top.left);
      tryPair(top.left, next[top.left]);
    }
    const ids: number[] = [];
    const pieces: string[] = [];
    for (let i = n > 0 ? 0 : -1; i !== -1; i = next[i]) {
      const piece = s.substr(starts[i], lens[i]);
      pieces.push(piece);
      ids.push(this.reservedIds.get(piece) ?? this.ids.get(piece) ?? this.unkId);
    }
    return { ids, pieces };
  }
}
