// @rnnkit/audio-features/internal: for rnnkit's own packages and tools, beyond the public API.
// Not covered by semver: names here may change or go in any release.
export { WINDOW_TYPES } from './spectral/window.js';
