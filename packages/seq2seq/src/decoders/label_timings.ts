/* eslint-disable @typescript-eslint/no-non-null-assertion -- typed arrays indexed by ids below `size` */
// The start frames of a hypothesis' labels, as persistent linked lists (frame, previous) in typed
// arrays. Kept apart from the prefix trie: two beams can hold the same prefix of labels reached by
// alignments that start them at different frames, and each keeps its own.

/** The timing of the empty hypothesis. */
export const NO_TIMING = -1;

export class LabelTimings {
  size = 0;
  private frame: Int32Array = new Int32Array(1024);
  private previous: Int32Array = new Int32Array(1024);

  /** A list that is `previous` followed by a label starting at `frame`. */
  add(frame: number, previous: number): number {
    if (this.size === this.frame.length) {
      const f = new Int32Array(this.size * 2);
      const p = new Int32Array(this.size * 2);
      f.set(this.frame);
      p.set(this.previous);
      this.frame = f;
      this.previous = p;
    }
    this.frame[this.size] = frame;
    this.previous[this.size] = previous;
    return this.size++;
  }

  /** The frames of list `id`, first label first. */
  framesOf(id: number): number[] {
    const out: number[] = [];
    for (let node = id; node !== NO_TIMING; node = this.previous[node]!) out.push(this.frame[node]!);
    return out.reverse();
  }

  /** Keeps only the lists `live[0 .. count)` and renumbers them in place in `live`. */
  compact(live: Int32Array, count: number): void {
    const remap = new Int32Array(this.size).fill(-1);
    for (let i = 0; i < count; i++)
      for (let node = live[i]!; node !== NO_TIMING && remap[node] === -1; node = this.previous[node]!)
        remap[node] = 0;
    let next = 0;
    for (let id = 0; id < this.size; id++) if (remap[id] === 0) remap[id] = next++;
    // Ids only grow along a list (a node is added after its previous), so in-place moves are safe.
    for (let id = 0; id < this.size; id++) {
      const to = remap[id]!;
      if (to < 0) continue;
      const p = this.previous[id]!;
      this.frame[to] = this.frame[id]!;
      this.previous[to] = p === NO_TIMING ? NO_TIMING : remap[p]!;
    }
    this.size = next;
    for (let i = 0; i < count; i++) if (live[i] !== NO_TIMING) live[i] = remap[live[i]!]!;
  }
}
