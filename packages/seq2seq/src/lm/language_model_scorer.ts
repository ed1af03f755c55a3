/**
 * What a CTC beam search asks of a language model (DeepSpeech's and pyctcdecode's shallow fusion):
 * a hypothesis' score is log P_acoustic + alpha · log P_lm + beta · (units emitted). Probabilities
 * are natural logs (ARPA's log10 values are converted on load). The state is immutable: `score`
 * returns a new one, so beams that share a prefix can share its state.
 */
export interface LanguageModelScorer<State = unknown> {
  /** 'char': every emitted label is scored; 'word': whole words, when a word separator is emitted. */
  readonly unit: 'char' | 'word';
  /** The state at the start of a sentence (after `<s>`). */
  start(): State;
  /** ln P(token | state) and the state after it. A char model gets one label's text, a word model a word. */
  score(state: State, token: string): { logProb: number; state: State };
  /** ln P(`</s>` | state): added when a hypothesis ends. */
  finish(state: State): number;
}
