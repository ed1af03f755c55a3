/* eslint-disable @typescript-eslint/no-non-null-assertion -- the search's hot loop over typed arrays, sized before each frame */
// CTC prefix beam search (Hannun et al. 2014, "First-Pass Large Vocabulary Continuous Speech Recognition
// using Bi-Directional Recurrent DNNs"), one frame at a time, in log space. Each prefix carries
// p_blank (its alignments so far end in a blank) and p_nonblank (they end in its last label); a label
// equal to the prefix's last one extends it only from p_blank (a repeat without a blank between merges).
// ctcPrefixBeamSearch and CtcStreamingDecoder both drive this one class.
import { HotwordMatcher } from './hotword_matcher.js';
import { LabelTimings, NO_TIMING } from './label_timings.js';
import type { CtcHypothesis, ResolvedBeamSearchOptions } from './ctc_beam_search_options.js';
import { PrefixFusion, type FusionTotals } from './prefix_fusion.js';
import { PrefixTree } from './prefix_tree.js';

const NEG = -Infinity;

/** log(exp(a) + exp(b)), exact for -Infinity. */
function logAdd(a: number, b: number): number {
  if (a < b) return b + Math.log1p(Math.exp(a - b));
  if (a === NEG) return NEG;
  return a + Math.log1p(Math.exp(b - a));
}

const NO_FUSION: FusionTotals = { lmScore: 0, hotwordScore: 0, score: 0 };

/** A growable Float64Array. */
function grownF64(a: Float64Array, capacity: number): Float64Array {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}

function grownI32(a: Int32Array, capacity: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}

/** Settings that change how the search runs, never what it returns (tests vary them to show that). */
export interface SearchTuning {
  /** The trie is compacted to the live prefixes once it holds more nodes than this (default 65536). */
  compactAbove?: number;
  /** Skip new prefixes that provably cannot enter the beam (default true). */
  skipBelowBound?: boolean;
}

export class CtcBeamSearch {
  private tree: PrefixTree;
  private readonly timings = new LabelTimings();
  private timingsCompactAt: number;
  private readonly fuser: PrefixFusion | null;
  /** Frames consumed so far. */
  frames = 0;

  // The beam after the last frame, best first.
  private beamCount = 1;
  private beamIds: Int32Array = new Int32Array(1);
  private beamPb: Float64Array = new Float64Array([0]);
  private beamPnb: Float64Array = new Float64Array([NEG]);
  private beamTiming: Int32Array = new Int32Array([NO_TIMING]);
  /** Per beam entry: the first of its children that are in the beam, and each one's next sibling there. */
  private firstChild: Int32Array = new Int32Array(1);
  private nextSibling: Int32Array = new Int32Array(1);

  // The candidates of the frame being processed, one slot per distinct prefix. `start` is the mass that
  // enters the slot's prefix by starting its last label at this frame, `carry` what stays from before.
  private nextIds: Int32Array = new Int32Array(0);
  private nextPb: Float64Array = new Float64Array(0);
  private nextPnb: Float64Array = new Float64Array(0);
  private nextStart: Float64Array = new Float64Array(0);
  private nextCarry: Float64Array = new Float64Array(0);
  private nextScore: Float64Array = new Float64Array(0);
  /** The timing of the beam entry that stays in the slot, and of the one that extends into it. */
  private nextCarryTiming: Int32Array = new Int32Array(0);
  private nextStartTiming: Int32Array = new Int32Array(0);
  private nextCount = 0;
  private order: Int32Array = new Int32Array(0);
  /** Per node: the frame stamp at which it got a slot, and the slot; a stale stamp means no slot. */
  private slotStamp: Int32Array = new Int32Array(0);
  private slotIndex: Int32Array = new Int32Array(0);
  private stamp = 0;
  private readonly candidates: Int32Array;
  private readonly kthBest = new KthBest();
  private compactAt: number;
  private readonly compactAbove: number;
  private readonly skipBelowBound: boolean;

  constructor(
    private readonly options: ResolvedBeamSearchOptions,
    private readonly classes: number,
    tuning: SearchTuning = {},
  ) {
    this.compactAbove = tuning.compactAbove ?? 1 << 16;
    this.skipBelowBound = tuning.skipBelowBound ?? true;
    const { scorer, hotwords, labels } = options;
    const fused = scorer !== null || hotwords.length > 0;
    this.fuser = fused
      ? new PrefixFusion(
          scorer,
          labels ?? [],
          options.wordSeparator,
          options.alpha,
          options.beta,
          hotwords.length > 0 ? new HotwordMatcher(hotwords, options.hotwordWeight) : null,
        )
      : null;
    this.tree = new PrefixTree(this.fuser);
    this.candidates = new Int32Array(classes);
    this.compactAt = this.compactAbove;
    this.timingsCompactAt = this.compactAbove;
  }

  /** Consumes one frame: the C log-probabilities data[offset .. offset + C). */
  step(data: Float32Array | Float64Array, offset: number): void {
    const C = this.classes;
    const { blank, pruneLogProb, beamSize } = this.options;
    const t = this.frames++;
    const tree = this.tree;

    // The labels this frame may start: those above the threshold, and always the most probable one.
    const candidates = this.candidates;
    let candidateCount = 0;
    let best = -1;
    let bestLp = NEG;
    for (let c = 0; c < C; c++) {
      if (c === blank) continue;
      const lp = data[offset + c]!;
      if (lp > bestLp) {
        bestLp = lp;
        best = c;
      }
      if (lp >= pruneLogProb && lp > NEG) candidates[candidateCount++] = c;
    }
    if (best >= 0 && bestLp < pruneLogProb && bestLp > NEG) candidates[candidateCount++] = best;

    this.reserve(this.beamCount * (1 + candidateCount));
    this.stamp++;
    this.nextCount = 0;
    const pBlank = data[offset + blank]!;
    const nextPb = this.nextPb;
    const nextPnb = this.nextPnb;
    const nextStart = this.nextStart;
    const nextCarry = this.nextCarry;
    const kth = this.kthBest;
    kth.reset(beamSize);
    // Pass 1: every beam prefix stays, by a blank or by its last label again (merged).
    for (let i = 0; i < this.beamCount; i++) {
      const prefix = this.beamIds[i]!;
      const pb = this.beamPb[i]!;
      const pnb = this.beamPnb[i]!;
      const last = tree.label[prefix]!;
      const s = this.slot(prefix);
      this.nextCarryTiming[s] = this.beamTiming[i]!;
      const viaBlank = logAdd(pb, pnb) + pBlank;
      nextPb[s] = logAdd(nextPb[s]!, viaBlank);
      nextCarry[s] = logAdd(nextCarry[s]!, viaBlank);
      if (last >= 0) {
        const viaRepeat = pnb + data[offset + last]!;
        nextPnb[s] = logAdd(nextPnb[s]!, viaRepeat);
        nextCarry[s] = logAdd(nextCarry[s]!, viaRepeat);
      }
    }
    // Beam prefixes whose parent is in the beam too: an extension of that parent merges into them.
    // Slot i holds beam entry i (pass 1 opened them in order), so lists are by beam index.
    const firstChild = this.firstChild;
    const nextSibling = this.nextSibling;
    firstChild.fill(-1, 0, this.beamCount);
    for (let i = 0; i < this.beamCount; i++) {
      const parent = tree.parent[this.beamIds[i]!]!;
      if (parent < 0 || parent >= this.slotStamp.length || this.slotStamp[parent] !== this.stamp) continue;
      const j = this.slotIndex[parent]!;
      nextSibling[i] = firstChild[j]!;
      firstChild[j] = i;
    }
    // What stays is a lower bound of each such prefix' score (pass 2 can only add to it), so the
    // beamSize-th best of these bounds is a score every prefix must beat to enter the beam.
    for (let s = 0; s < this.nextCount; s++)
      kth.offer(logAdd(nextPb[s]!, nextPnb[s]!) + tree.fusionScore[this.nextIds[s]!]!);
    // Pass 2: every prefix is extended by the candidate labels. A new prefix gets mass from its one
    // parent only, so its score is final at once; when even the most its fusion score can gain
    // (maxGain) leaves it below the threshold, it is skipped before its trie node and LM score exist.
    const maxGain = !this.skipBelowBound ? null : this.fuser ? this.fuser.maxGain : 0;
    for (let i = 0; i < this.beamCount; i++) {
      const prefix = this.beamIds[i]!;
      const pb = this.beamPb[i]!;
      const total = logAdd(pb, this.beamPnb[i]!);
      const last = tree.label[prefix]!;
      const bound = maxGain === null ? Infinity : tree.fusionScore[prefix]! + maxGain;
      for (let k = 0; k < candidateCount; k++) {
        const c = candidates[k]!;
        const mass = (c === last ? pb : total) + data[offset + c]!;
        if (mass === NEG) continue;
        let merged = -1;
        for (let x = firstChild[i]!; x >= 0; x = nextSibling[x]!)
          if (tree.label[this.beamIds[x]!] === c) merged = x;
        if (merged >= 0) {
          // The extension reaches a prefix that is in the beam itself (slot = its beam index).
          this.nextStartTiming[merged] = this.beamTiming[i]!;
          nextPnb[merged] = logAdd(nextPnb[merged]!, mass);
          nextStart[merged] = logAdd(nextStart[merged]!, mass);
          continue;
        }
        if (mass + bound < kth.threshold) continue;
        let child = tree.find(prefix, c);
        if (child < 0) child = tree.create(prefix, c);
        const s = this.slot(child);
        this.nextStartTiming[s] = this.beamTiming[i]!;
        nextPnb[s] = mass;
        nextStart[s] = mass;
        kth.offer(mass + tree.fusionScore[child]!);
      }
    }

    // Score the candidates.
    const count = this.nextCount;
    const ids = this.nextIds;
    const scores = this.nextScore;
    const order = this.order;
    let finite = 0;
    for (let s = 0; s < count; s++) {
      const id = ids[s]!;
      const total = logAdd(nextPb[s]!, nextPnb[s]!);
      if (total === NEG) continue;
      scores[s] = total + tree.fusionScore[id]!;
      order[finite++] = s;
    }
    const kept = selectBest(order, finite, scores, beamSize);
    if (kept > this.beamIds.length) {
      const capacity = Math.max(kept, this.beamIds.length * 2);
      this.beamIds = new Int32Array(capacity);
      this.beamPb = new Float64Array(capacity);
      this.beamPnb = new Float64Array(capacity);
      this.beamTiming = new Int32Array(capacity);
      this.firstChild = new Int32Array(capacity);
      this.nextSibling = new Int32Array(capacity);
    }
    for (let i = 0; i < kept; i++) {
      const s = order[i]!;
      this.beamIds[i] = ids[s]!;
      this.beamPb[i] = nextPb[s]!;
      this.beamPnb[i] = nextPnb[s]!;
      // The last label starts now if most of the prefix' mass enters by starting it here (always, for a
      // prefix that was not in the beam); else the timing of the alignments that stayed is kept.
      this.beamTiming[i] =
        nextStart[s]! > nextCarry[s]!
          ? this.timings.add(t, this.nextStartTiming[s]!)
          : this.nextCarryTiming[s]!;
    }
    this.beamCount = kept;

    if (tree.size > this.compactAt) {
      const remap = tree.compact(this.beamIds, this.beamCount);
      for (let i = 0; i < this.beamCount; i++) this.beamIds[i] = remap[this.beamIds[i]!]!;
      this.compactAt = Math.max(this.compactAbove, 4 * tree.size);
    }
    if (this.timings.size > this.timingsCompactAt) {
      this.timings.compact(this.beamTiming, this.beamCount);
      this.timingsCompactAt = Math.max(this.compactAbove, 4 * this.timings.size);
    }
  }

  /** The best prefix so far by the search's score (LM units scored so far, partial hotword bonus). */
  best(): CtcHypothesis {
    const id = this.beamIds[0]!;
    const fusion = this.fuser ? this.fuser.partial(this.tree.fusion[id]!) : NO_FUSION;
    return this.hypothesis(id, this.beamTiming[0]!, logAdd(this.beamPb[0]!, this.beamPnb[0]!), fusion);
  }

  /** The final beam rescored with each hypothesis' last word and end of sentence, best first, at most topK. */
  nBest(): CtcHypothesis[] {
    const finals: Array<{ index: number; hypothesis: CtcHypothesis }> = [];
    for (let i = 0; i < this.beamCount; i++) {
      const id = this.beamIds[i]!;
      const fusion = this.fuser ? this.fuser.finish(this.tree.fusion[id]!) : NO_FUSION;
      const acoustic = logAdd(this.beamPb[i]!, this.beamPnb[i]!);
      finals.push({ index: i, hypothesis: this.hypothesis(id, this.beamTiming[i]!, acoustic, fusion) });
    }
    finals.sort((a, b) => b.hypothesis.score - a.hypothesis.score || a.index - b.index);
    return finals.slice(0, this.options.topK).map((f) => f.hypothesis);
  }

  private hypothesis(id: number, timing: number, acousticScore: number, fusion: FusionTotals): CtcHypothesis {
    const labels = this.tree.labelsOf(id);
    const texts = this.options.labels;
    return {
      labels,
      ...(texts ? { text: labels.map((c) => texts[c]).join('') } : {}),
      score: acousticScore + fusion.score,
      acousticScore,
      lmScore: fusion.lmScore,
      hotwordScore: fusion.hotwordScore,
      timesteps: this.timings.framesOf(timing),
    };
  }

  /** The slot of prefix `id` in this frame's candidates, opened on first use. */
  private slot(id: number): number {
    if (id >= this.slotStamp.length) {
      const capacity = Math.max(this.tree.capacity, id + 1);
      this.slotStamp = grownI32(this.slotStamp, capacity);
      this.slotIndex = grownI32(this.slotIndex, capacity);
    }
    if (this.slotStamp[id] === this.stamp) return this.slotIndex[id]!;
    const s = this.nextCount++;
    this.slotStamp[id] = this.stamp;
    this.slotIndex[id] = s;
    this.nextIds[s] = id;
    this.nextPb[s] = NEG;
    this.nextPnb[s] = NEG;
    this.nextStart[s] = NEG;
    this.nextCarry[s] = NEG;
    return s;
  }

  /** Room for `count` candidate slots this frame. */
  private reserve(count: number): void {
    if (count <= this.nextIds.length) return;
    const capacity = Math.max(count, this.nextIds.length * 2);
    this.nextIds = grownI32(this.nextIds, capacity);
    this.order = new Int32Array(capacity);
    this.nextPb = grownF64(this.nextPb, capacity);
    this.nextPnb = grownF64(this.nextPnb, capacity);
    this.nextStart = grownF64(this.nextStart, capacity);
    this.nextCarry = grownF64(this.nextCarry, capacity);
    this.nextScore = grownF64(this.nextScore, capacity);
    this.nextCarryTiming = grownI32(this.nextCarryTiming, capacity);
    this.nextStartTiming = grownI32(this.nextStartTiming, capacity);
  }
}

/** The k-th largest of the values offered since reset(k): a min-heap of the k largest. */
class KthBest {
  private values: Float64Array = new Float64Array(16);
  private size = 0;
  private k = 1;

  reset(k: number): void {
    this.k = k;
    this.size = 0;
  }

  /** The k-th largest value offered so far; -Infinity while fewer than k were. */
  get threshold(): number {
    return this.size < this.k ? NEG : this.values[0]!;
  }

  offer(value: number): void {
    const v = this.values;
    if (this.size < this.k) {
      if (this.size === v.length) this.values = grownF64(v, v.length * 2);
      const heap = this.values;
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heap[parent]! <= value) break;
        heap[i] = heap[parent]!;
        i = parent;
      }
      heap[i] = value;
      return;
    }
    if (value <= v[0]!) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const smaller = r < this.size && v[r]! < v[l]! ? r : l;
      if (v[smaller]! >= value) break;
      v[i] = v[smaller]!;
      i = smaller;
    }
    v[i] = value;
  }
}

/** Whether slot a ranks before slot b: higher score, then the slot opened first (a tie-break independent of node ids). */
function before(scores: Float64Array, a: number, b: number): boolean {
  const sa = scores[a]!;
  const sb = scores[b]!;
  return sa > sb || (sa === sb && a < b);
}

/**
 * Reorders order[0 .. count) so that its first min(count, k) entries are the best slots, best first;
 * returns how many. A min-heap of the k best so far: O(count · log k).
 */
function selectBest(order: Int32Array, count: number, scores: Float64Array, k: number): number {
  if (count > k) {
    // order[0 .. k) becomes a heap whose root is the worst of the k kept.
    const siftDown = (start: number) => {
      let i = start;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k) return;
        const r = l + 1;
        const worse = r < k && before(scores, order[l]!, order[r]!) ? r : l;
        if (!before(scores, order[i]!, order[worse]!)) return;
        const tmp = order[i]!;
        order[i] = order[worse]!;
        order[worse] = tmp;
        i = worse;
      }
    };
    for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i);
    for (let j = k; j < count; j++) {
      if (before(scores, order[j]!, order[0]!)) {
        order[0] = order[j]!;
        siftDown(0);
      }
    }
    count = k;
  }
  if (count > 32) {
    order.subarray(0, count).sort((a, b) => (before(scores, a, b) ? -1 : before(scores, b, a) ? 1 : 0));
    return count;
  }
  // Insertion sort for the usual small beams.
  for (let i = 1; i < count; i++) {
    const s = order[i]!;
    let j = i - 1;
    while (j >= 0 && before(scores, s, order[j]!)) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = s;
  }
  return count;
}
