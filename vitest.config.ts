import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration tests bind ports and spawn processes; two cores do not gain from more workers.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
