// Decoding the attention encoder-decoder (src/decoding): greedy and batched beam search.
export { greedyDecode } from './greedy_decode.js';
export type { GreedyDecodeOptions } from './greedy_decode.js';
export { beamSearch } from './beam_search.js';
export type { BeamSearchOptions, CoveragePenalty, LengthPenalty } from './beam_search.js';
export type { DecodedSequence } from './decoding_rows.js';
