// The one test configuration of every package and app: each runs `vitest run --config ../../vitest.config.ts`
// from its own folder, so `src/**` is that project's source.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: process.cwd(),
    include: ['src/**/*.test.ts'],
    setupFiles: ['@rnnkit/tensor-core/testing/setup'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
