import { CtcBeamSearch } from './ctc_beam_search.js';
import {
  checkClassCount,
  resolveBeamSearchOptions,
  type CtcBeamSearchOptions,
  type CtcHypothesis,
  type ResolvedBeamSearchOptions,
} from './ctc_beam_search_options.js';
import {
  CHECKED_FRAMES,
  checkLogProbRow,
  checkLogSoftmaxRow,
  readLogProbs,
  type CtcDecoderLogProbs,
} from './ctc_decoder_input.js';

/**
 * CTC prefix beam search over one utterance whose frames arrive in chunks. `push` consumes a chunk
 * [t, C] of log-softmax output and returns the best hypothesis so far; `finish` returns the n-best list,
 * the same as `ctcPrefixBeamSearch` on all the frames at once (both run the same search step). `reset`
 * starts a new utterance with the same options.
 */
export class CtcStreamingDecoder {
  private readonly options: ResolvedBeamSearchOptions;
  private search: CtcBeamSearch | null = null;
  private classes = 0;
  private finished = false;

  constructor(options?: CtcBeamSearchOptions) {
    this.options = resolveBeamSearchOptions('CtcStreamingDecoder', options);
  }

  /** Frames consumed since the start (or the last reset). */
  get frames(): number {
    return this.search?.frames ?? 0;
  }

  /** Consumes `logProbsChunk` [t, C] (t may be 0); returns the current best partial hypothesis. */
  push(logProbsChunk: CtcDecoderLogProbs): CtcHypothesis {
    const fn = 'CtcStreamingDecoder.push';
    if (this.finished) throw new Error(`${fn}: the utterance is finished; call reset() to decode another`);
    const { data, shape } = readLogProbs(fn, 'logProbsChunk', logProbsChunk, 2, '[t, C]');
    const [t, C] = shape as [number, number];
    if (this.search && C !== this.classes)
      throw new Error(
        `${fn}: logProbsChunk.shape[1] = ${C} does not match the earlier chunks' class count C = ${this.classes}`,
      );
    if (!this.search) {
      checkClassCount(fn, this.options, C, 'logProbsChunk.shape[1]');
      this.classes = C;
      this.search = new CtcBeamSearch(this.options, C);
    }
    const search = this.search;
    for (let i = 0; i < Math.min(t, CHECKED_FRAMES - search.frames); i++)
      checkLogSoftmaxRow(fn, 'logProbsChunk', data, i * C, C, `row t=${search.frames + i} of the utterance`);
    for (let i = 0; i < t; i++) checkLogProbRow(fn, data, i * C, C, `logProbsChunk[${i}]`);
    for (let i = 0; i < t; i++) search.step(data, i * C);
    return search.best();
  }

  /** Ends the utterance; returns its n-best list, best first. */
  finish(): CtcHypothesis[] {
    if (this.finished) throw new Error('CtcStreamingDecoder.finish: already finished; call reset() first');
    this.finished = true;
    // No chunk at all: the empty hypothesis, as the offline search gives for length 0.
    this.search ??= new CtcBeamSearch(this.options, this.options.labels?.length ?? 1);
    return this.search.nBest();
  }

  /** Forgets the utterance, to decode the next one. */
  reset(): void {
    this.search = null;
    this.classes = 0;
    this.finished = false;
  }
}
