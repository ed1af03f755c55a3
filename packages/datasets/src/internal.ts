// @rnnkit/datasets/internal: what the loaders are built from, for rnnkit's own packages, tests and tools.
// Not covered by semver: names here may change or go in any release.
export { stableHash, hashToUnit } from './batching/stable_hash.js';
export { splitLines } from './io/read_lines.js';
export { NumpyRandomState } from './numpy/numpy_random_state.js';
export { listAclImdbFiles } from './text/acl_imdb.js';
export { kerasImdbFromArrays } from './text/keras_imdb.js';
export { stripEmailHeaders, SPAM_ASSASSIN_PACKAGE } from './text/spam_assassin.js';
export { numberSpeller, NUMBER_LANGUAGES } from './translation/number_phrases.js';
export { wavDuration, ESPEAK_NG_PACKAGE } from './speech/espeak_synthesizer.js';
export { DEFAULT_ESPEAK_VOICES } from './speech/spoken_corpus.js';
export { FLITE_VOICES, FLITE_PACKAGE } from './speech/flite_synthesizer.js';
