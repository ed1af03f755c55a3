/* eslint-disable @typescript-eslint/no-non-null-assertion -- lengths were checked against the shape on entry */
import { CtcBeamSearch } from './ctc_beam_search.js';
import {
  checkClassCount,
  resolveBeamSearchOptions,
  type CtcBeamSearchOptions,
  type CtcHypothesis,
} from './ctc_beam_search_options.js';
import {
  checkDecoderRows,
  readLengths,
  readLogProbs,
  type CtcDecoderLengths,
  type CtcDecoderLogProbs,
} from './ctc_decoder_input.js';

/**
 * CTC prefix beam search over log-softmax output `logProbs` [T, N, C] (a float32 tf.Tensor or
 * `{ data, shape }`), with optional language-model fusion and hotwords. Returns, per utterance, an
 * n-best list sorted best first. With a beam wide enough to keep every prefix and no pruning
 * (`pruneLogProb: -Infinity`), the first hypothesis is the exact most probable labelling and its
 * `acousticScore` the log of its probability summed over all alignments.
 */
export function ctcPrefixBeamSearch(
  logProbs: CtcDecoderLogProbs,
  inputLengths?: CtcDecoderLengths,
  options?: CtcBeamSearchOptions,
): CtcHypothesis[][] {
  const fn = 'ctcPrefixBeamSearch';
  const resolved = resolveBeamSearchOptions(fn, options);
  const { data, shape } = readLogProbs(fn, 'logProbs', logProbs, 3, '[T, N, C]');
  const [T, N, C] = shape as [number, number, number];
  checkClassCount(fn, resolved, C, 'logProbs.shape[2]');
  const lengths = readLengths(fn, inputLengths, N, T);
  checkDecoderRows(fn, data, N, C, lengths);
  const results: CtcHypothesis[][] = [];
  for (let n = 0; n < N; n++) {
    const search = new CtcBeamSearch(resolved, C);
    for (let t = 0; t < lengths[n]!; t++) search.step(data, (t * N + n) * C);
    results.push(search.nBest());
  }
  return results;
}
