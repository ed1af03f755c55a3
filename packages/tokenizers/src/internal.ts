// @rnnkit/tokenizers/internal: helpers of rnnkit's own encoders, for its packages and tools.
// Not covered by semver: names here may change or go in any release.
export { assertWellFormedText } from './text/well_formed.js';
export { validateModelProto, resolveSpecialIds } from './sentencepiece/model_proto.js';
export type { SpecialIds } from './sentencepiece/model_proto.js';
export { normalizeWhitespace, SPACE_SYMBOL } from './sentencepiece/whitespace_normalizer.js';
export { SPECIAL_TOKEN_TEXT } from './char/char_vocabulary.js';
