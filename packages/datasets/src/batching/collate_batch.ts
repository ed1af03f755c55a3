import { checkOptions } from '@rnnkit/tensor-core';
import { DENSE_BATCH_OPTIONS, padDenseBatchChecked, type DenseBatch, type DenseBatchOptions } from './pad.js';

export interface LabelledSequence {
  ids: ArrayLike<number>;
  label: number;
}

/** Pads one batch of labelled id sequences (e.g. a bucketByLength batch of encodeTexts output) with padDenseBatch. */
export function collateBatch(
  examples: readonly LabelledSequence[],
  options?: DenseBatchOptions,
): { inputs: DenseBatch; labels: Int32Array } {
  const checked = checkOptions('collateBatch', options, DENSE_BATCH_OPTIONS);
  const labels = new Int32Array(examples.length);
  examples.forEach((e, i) => {
    if (!Number.isInteger(e.label))
      throw new Error(`collateBatch: examples[${i}].label must be an integer class index, got ${e.label}`);
    labels[i] = e.label;
  });
  return {
    inputs: padDenseBatchChecked(
      'collateBatch',
      examples.map((e) => e.ids),
      checked,
    ),
    labels,
  };
}
