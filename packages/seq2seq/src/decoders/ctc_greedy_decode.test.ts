import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { logRows, randomLogProbs } from './__fixtures__/decoder_inputs.js';
import { ctcGreedyDecode } from './ctc_greedy_decode.js';

/** [T, 1, C] frames whose per-frame argmax is `path`. */
function peaky(path: number[], C: number) {
  return {
    data: logRows(path.map((c) => Array.from({ length: C }, (_, k) => (k === c ? 0.8 : 0.05)))),
    shape: [path.length, 1, C],
  };
}

describe('ctcGreedyDecode', () => {
  it('merges repeats, drops blanks, and keeps a label repeated across a blank', () => {
    expect(ctcGreedyDecode(peaky([0, 1, 1, 0, 1, 2, 2, 0, 0, 3], 4))).toEqual([
      { labels: [1, 1, 2, 3], timesteps: [1, 4, 5, 9] },
    ]);
  });

  it('honours a blank other than 0', () => {
    expect(ctcGreedyDecode(peaky([3, 0, 0, 3, 2, 3, 0], 4), undefined, { blank: 3 })).toEqual([
      { labels: [0, 2, 0], timesteps: [1, 4, 6] },
    ]);
  });

  it('decodes each utterance of a batch within its length', () => {
    const [T, N, C] = [12, 3, 5];
    const data = randomLogProbs(4, T, N, C, 4);
    const logProbs = tf.tensor3d(data, [T, N, C]);
    try {
      const results = ctcGreedyDecode(logProbs, [12, 7, 0]);
      expect(results[2]).toEqual({ labels: [], timesteps: [] });
      results.forEach((result, n) => {
        // The reference: argmax per frame written out plainly, then collapsed.
        const length = [12, 7, 0][n]!;
        const path = Array.from({ length }, (_, t) => {
          const row = Array.from(data.subarray((t * N + n) * C, (t * N + n + 1) * C));
          return row.indexOf(Math.max(...row));
        });
        const labels = path.filter((c, t) => c !== 0 && (t === 0 || c !== path[t - 1]));
        expect(result.labels).toEqual(labels);
        expect(result.timesteps).toHaveLength(labels.length);
      });
    } finally {
      logProbs.dispose();
    }
  });
});
