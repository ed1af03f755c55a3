import { padSequences, type PadSequencesOptions, type PaddedBatch } from './pad.js';

export interface LabelledSequence {
  ids: ArrayLike<number>;
  label: number;
}

/** Pads one batch of labelled id sequences (e.g. a bucketByLength batch of encodeTexts output). */
export function collateBatch(
  examples: readonly LabelledSequence[],
  options: PadSequencesOptions = {},
): { inputs: PaddedBatch; labels: Int32Array } {
  const labels = new Int32Array(examples.length);
  examples.forEach((e, i) => {
    if (!Number.isInteger(e.label)) throw new Error(`collateBatch: examples[${i}].label must be an integer class index, got ${e.label}`);
    labels[i] = e.label;
  });
  return { inputs: padSequences(examples.map((e) => e.ids), options), labels };
}
