/* eslint-disable @typescript-eslint/no-non-null-assertion -- a loop over typed arrays whose shape and lengths were checked on entry */
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import {
  blankOption,
  checkBlank,
  checkDecoderRows,
  readLengths,
  readLogProbs,
  type CtcDecoderLengths,
  type CtcDecoderLogProbs,
} from './ctc_decoder_input.js';

export interface CtcGreedyDecodeOptions {
  /** The blank's class id (default 0). */
  blank?: number;
}

/** One utterance's best path: label ids, and the frame at which each label starts. */
export interface CtcGreedyResult {
  labels: number[];
  timesteps: number[];
}

const OPTIONS = optionKeys<CtcGreedyDecodeOptions>({ blank: true });

/**
 * Best-path CTC decoding: the most probable class of each frame (the lowest id on ties), repeats merged,
 * blanks dropped. `logProbs` is log-softmax output [T, N, C]; `inputLengths` (default: all T) gives each
 * utterance's frames. `timesteps[i]` is the frame where `labels[i]` starts.
 */
export function ctcGreedyDecode(
  logProbs: CtcDecoderLogProbs,
  inputLengths?: CtcDecoderLengths,
  options?: CtcGreedyDecodeOptions,
): CtcGreedyResult[] {
  const fn = 'ctcGreedyDecode';
  const opts = checkOptions(fn, options, OPTIONS);
  const { data, shape } = readLogProbs(fn, 'logProbs', logProbs, 3, '[T, N, C]');
  const [T, N, C] = shape as [number, number, number];
  const blank = blankOption(fn, opts.blank);
  checkBlank(fn, blank, C, 'logProbs.shape[2]');
  const lengths = readLengths(fn, inputLengths, N, T);
  checkDecoderRows(fn, data, N, C, lengths);
  const results: CtcGreedyResult[] = [];
  for (let n = 0; n < N; n++) {
    const length = lengths[n]!;
    const labels: number[] = [];
    const timesteps: number[] = [];
    let previous = -1;
    for (let t = 0; t < length; t++) {
      const offset = (t * N + n) * C;
      let best = 0;
      let bestValue = data[offset]!;
      for (let c = 1; c < C; c++) {
        const v = data[offset + c]!;
        if (v > bestValue) {
          bestValue = v;
          best = c;
        }
      }
      if (best !== previous && best !== blank) {
        labels.push(best);
        timesteps.push(t);
      }
      previous = best;
    }
    results.push({ labels, timesteps });
  }
  return results;
}
