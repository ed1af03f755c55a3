/* eslint-disable @typescript-eslint/no-non-null-assertion -- typed arrays indexed by node ids below `size` */
// The labellings a CTC beam search has visited, as a trie with integer ids: extending a prefix by a
// label is one lookup in an open-addressing hash table (typed arrays, no boxed keys), two beams that reach the same labelling get the
// same id (so their probabilities merge), and no label strings are built while searching.
import type { FusionState, PrefixFusion } from './prefix_fusion.js';

export const ROOT = 0;

/** (parent, label) → child id, open addressing with linear probing; load kept at most 1/2. */
class ChildIndex {
  private parents: Int32Array;
  private labels: Int32Array;
  private children: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 16;
    while (size < 2 * capacity) size *= 2;
    this.parents = new Int32Array(size).fill(-1);
    this.labels = new Int32Array(size);
    this.children = new Int32Array(size);
    this.mask = size - 1;
  }

  private static hash(parent: number, label: number): number {
    const h = Math.imul(parent, 0x9e3779b1) + Math.imul(label + 1, 0x85ebca77);
    return h ^ (h >>> 15);
  }

  get(parent: number, label: number): number {
    const mask = this.mask;
    for (let i = ChildIndex.hash(parent, label) & mask; ; i = (i + 1) & mask) {
      const p = this.parents[i]!;
      if (p === -1) return -1;
      if (p === parent && this.labels[i] === label) return this.children[i]!;
    }
  }

  /** Adds an entry known to be absent. */
  add(parent: number, label: number, child: number): void {
    if (2 * (this.count + 1) > this.parents.length) this.rehash(this.parents.length * 2);
    const mask = this.mask;
    let i = ChildIndex.hash(parent, label) & mask;
    while (this.parents[i] !== -1) i = (i + 1) & mask;
    this.parents[i] = parent;
    this.labels[i] = label;
    this.children[i] = child;
    this.count++;
  }

  private rehash(size: number): void {
    const { parents, labels, children } = this;
    this.parents = new Int32Array(size).fill(-1);
    this.labels = new Int32Array(size);
    this.children = new Int32Array(size);
    this.mask = size - 1;
    this.count = 0;
    for (let i = 0; i < parents.length; i++)
      if (parents[i] !== -1) this.add(parents[i]!, labels[i]!, children[i]!);
  }
}

export class PrefixTree {
  /** Nodes in use; ids are 0 .. size-1, and a parent's id is below its children's. */
  size = 1;
  parent: Int32Array;
  /** The last label of each prefix (-1 at the root). */
  label: Int32Array;
  /** PrefixFusion.searchScore of each node (0 without fusion): read for every beam candidate. */
  fusionScore: Float64Array;
  /** Each node's LM and hotword state; empty without fusion. */
  fusion: FusionState[] = [];
  private children = new ChildIndex();

  constructor(
    private readonly fuser: PrefixFusion | null,
    capacity = 1024,
  ) {
    this.parent = new Int32Array(capacity);
    this.label = new Int32Array(capacity);
    this.fusionScore = new Float64Array(capacity);
    this.parent[ROOT] = -1;
    this.label[ROOT] = -1;
    if (fuser) {
      const root = fuser.root();
      this.fusion.push(root);
      this.fusionScore[ROOT] = fuser.searchScore(root);
    }
  }

  get capacity(): number {
    return this.parent.length;
  }

  /** The id of prefix `parent` + `label`, or -1 if it was never created. */
  find(parent: number, label: number): number {
    return this.children.get(parent, label);
  }

  /** Creates prefix `parent` + `label` (which must not exist yet) with its fusion state; returns its id. */
  create(parent: number, label: number): number {
    const id = this.size++;
    if (id >= this.parent.length) this.grow(this.parent.length * 2);
    this.parent[id] = parent;
    this.label[id] = label;
    const fuser = this.fuser;
    if (fuser) {
      const state = fuser.extend(this.fusion[parent]!, label);
      this.fusion.push(state);
      this.fusionScore[id] = fuser.searchScore(state);
    } else {
      this.fusionScore[id] = 0;
    }
    this.children.add(parent, label, id);
    return id;
  }

  /** The labels of prefix `id`, first to last. */
  labelsOf(id: number): number[] {
    const out: number[] = [];
    for (let node = id; node !== ROOT; node = this.parent[node]!) out.push(this.label[node]!);
    return out.reverse();
  }

  /**
   * Drops every node that is not one of `live` (the first `count` entries) or an ancestor of one, and
   * renumbers the rest in the same order; returns the map from old ids to new (-1 for dropped). Long
   * streams would otherwise keep every prefix ever tried.
   */
  compact(live: Int32Array, count: number): Int32Array {
    const remap = new Int32Array(this.size).fill(-1);
    remap[ROOT] = 0;
    for (let i = 0; i < count; i++)
      for (let node = live[i]!; remap[node] === -1; node = this.parent[node]!) remap[node] = 0;
    let next = 0;
    for (let id = 0; id < this.size; id++) if (remap[id] === 0) remap[id] = next++;
    const parent = new Int32Array(Math.max(1024, next * 2));
    const label = new Int32Array(parent.length);
    const fusionScore = new Float64Array(parent.length);
    const fusion: FusionState[] = [];
    const children = new ChildIndex(next);
    for (let id = 0; id < this.size; id++) {
      const to = remap[id]!;
      if (to < 0) continue;
      const p = id === ROOT ? -1 : remap[this.parent[id]!]!;
      parent[to] = p;
      label[to] = this.label[id]!;
      fusionScore[to] = this.fusionScore[id]!;
      if (this.fuser) fusion.push(this.fusion[id]!);
      if (p >= 0) children.add(p, label[to]!, to);
    }
    this.parent = parent;
    this.label = label;
    this.fusionScore = fusionScore;
    this.fusion = fusion;
    this.children = children;
    this.size = next;
    return remap;
  }

  private grow(capacity: number): void {
    const grown = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.parent = grown(this.parent);
    this.label = grown(this.label);
    const scores = new Float64Array(capacity);
    scores.set(this.fusionScore);
    this.fusionScore = scores;
  }
}
