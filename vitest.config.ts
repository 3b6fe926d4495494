import { defineConfig } from 'vitest/config';

/**
 * Tests that load the whole machine run on their own, after the others: the kill loop starts the
 * built relay fifty times (about a second of CPU each) with ten clients sending, and next to it the
 * latency bounds of the flooding tests measured the two cores it took, not the relay under test.
 */
const ALONE = ['test/server/durable/kill-loop.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration tests bind ports and spawn processes; two cores do not gain from more workers.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'node_modules/**', ...ALONE] } },
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
