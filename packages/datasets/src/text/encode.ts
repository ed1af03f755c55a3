import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { checkIntegerOption } from '../options/option_values.js';

/**
 * The hand-off to a tokenizer: any function from text to ids (for example an @rnnkit/tokenizers
 * encoder's `encode`). Kept as a plain function type so datasets does not depend on one tokenizer.
 */
export type TextToIds = (text: string) => readonly number[] | Int32Array;

export interface EncodeTextsOptions {
  /** Keep at most this many ids of each text (the first ones). Default: all. */
  maxLength?: number;
}

const ENCODE_TEXTS_OPTIONS = optionKeys<EncodeTextsOptions>({ maxLength: true });

export interface EncodedExample<L> {
  ids: Int32Array;
  label: L;
}

/** Encodes labelled texts; pair with bucketByLength(ids lengths) and collateBatch or padDenseBatch. */
export function encodeTexts<L>(
  examples: readonly { text: string; label: L }[],
  encode: TextToIds,
  encodeOptions?: EncodeTextsOptions,
): EncodedExample<L>[] {
  const options = checkOptions('encodeTexts', encodeOptions, ENCODE_TEXTS_OPTIONS);
  checkIntegerOption('encodeTexts', 'options.maxLength', options.maxLength, 0);
  return examples.map(({ text, label }, i) => {
    const raw = encode(text);
    if (!raw || typeof raw.length !== 'number')
      throw new Error(`encodeTexts: encoder returned no id array for examples[${i}]`);
    for (let j = 0; j < raw.length; j++) {
      const id = raw[j];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < -(2 ** 31) || id >= 2 ** 31) {
        throw new Error(
          `encodeTexts: the encoder returned ${String(id)} at examples[${i}] position ${j}, expected an int32 id`,
        );
      }
    }
    const ids = Int32Array.from(raw);
    return { ids: options.maxLength !== undefined ? ids.subarray(0, options.maxLength) : ids, label };
  });
}
