import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

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
  return examples.map(({ text, label }, i) => {
    const raw = encode(text);
    if (!raw || typeof raw.length !== 'number') throw new Error(`encodeTexts: encoder returned no id array for examples[${i}]`);
    const ids = Int32Array.from(raw);
    return { ids: options.maxLength !== undefined ? ids.subarray(0, options.maxLength) : ids, label };
  });
}
