import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['@rnnkit/tensor-core/testing/setup'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
