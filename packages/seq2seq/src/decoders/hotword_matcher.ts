/* eslint-disable @typescript-eslint/no-non-null-assertion -- trie arrays indexed by node ids the trie itself handed out */
// Hotword boosting for CTC beam search, in the spirit of pyctcdecode's hotwords: a hypothesis whose text
// ends in the beginning of a hotword gets a share of the bonus, growing with the matched part, and each
// hotword completed as whole words keeps the full bonus. The partial bonus lets a beam survive pruning on
// its way to a rare word; it vanishes again if the beam turns away from the hotword.

/**
 * Where a hypothesis stands against the hotwords: the hotword-trie nodes matched by the text since a
 * word boundary (several can be active: "york" starts inside "new york"), and the hotwords completed.
 * Immutable, so prefixes can share it.
 */
export interface HotwordState {
  readonly active: readonly number[];
  readonly completed: number;
}

/** The edge of the word separator between the words of a multi-word hotword (no character is ''). */
const SEPARATOR = '';

/**
 * A character trie of the hotwords; words inside a hotword are split on whitespace and joined by one
 * separator edge, so "new  york" matches the labels "new", separator, "york". Matching is exact and case-sensitive.
 */
export class HotwordMatcher {
  private readonly edges: Array<Map<string, number>> = [new Map()];
  /** Characters (a separator counts as one) from the root. */
  private readonly depth: number[] = [0];
  /** The length of the shortest hotword through each node. */
  private readonly shortest: number[] = [Infinity];
  private readonly terminal: boolean[] = [false];
  readonly start: HotwordState = { active: [0], completed: 0 };

  constructor(
    hotwords: readonly string[],
    readonly weight: number,
  ) {
    for (const hotword of hotwords) {
      const words = hotword.trim().split(/\s+/);
      const symbols: string[] = [];
      words.forEach((word, i) => {
        if (i > 0) symbols.push(SEPARATOR);
        for (const ch of word) symbols.push(ch);
      });
      const path = [0];
      let node = 0;
      for (const symbol of symbols) {
        let next = this.edges[node]!.get(symbol);
        if (next === undefined) {
          next = this.edges.length;
          this.edges.push(new Map());
          this.depth.push(this.depth[node]! + 1);
          this.shortest.push(Infinity);
          this.terminal.push(false);
          this.edges[node]!.set(symbol, next);
        }
        node = next;
        path.push(node);
      }
      this.terminal[node] = true;
      for (const p of path) this.shortest[p] = Math.min(this.shortest[p]!, symbols.length);
    }
  }

  /** The state after a label: `isSeparator` for the word separator, else the label's text. */
  advance(state: HotwordState, text: string, isSeparator: boolean): HotwordState {
    if (isSeparator) {
      let completed = state.completed;
      const active: number[] = [];
      for (const node of state.active) {
        if (this.terminal[node]) completed++;
        const next = this.edges[node]!.get(SEPARATOR);
        if (next !== undefined) active.push(next);
      }
      // A new hotword may start after every word boundary.
      if (!active.includes(0)) active.push(0);
      return { active, completed };
    }
    if (text === '') return state;
    let active: readonly number[] = state.active;
    for (const ch of text) {
      const next: number[] = [];
      for (const node of active) {
        const child = this.edges[node]!.get(ch);
        if (child !== undefined) next.push(child);
      }
      active = next;
    }
    return active.length === 0 && state.active.length === 0 ? state : { active, completed: state.completed };
  }

  /**
   * The bonus during the search: weight × (hotwords completed + the best matched fraction of a hotword
   * that the text is inside of, matched characters / that hotword's length).
   */
  partialBonus(state: HotwordState): number {
    if (state.completed === 0 && state.active.length === 1 && state.active[0] === 0) return 0;
    let fraction = 0;
    for (const node of state.active)
      if (node !== 0) fraction = Math.max(fraction, this.depth[node]! / this.shortest[node]!);
    return this.weight * (state.completed + fraction);
  }

  /** The bonus when the hypothesis ends (the end is a word boundary): weight × complete hotwords. */
  finalBonus(state: HotwordState): number {
    let completed = state.completed;
    for (const node of state.active) if (this.terminal[node]) completed++;
    return this.weight * completed;
  }
}
