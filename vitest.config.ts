import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real loopback servers; two cores in CI.
    pool: 'forks',
    maxWorkers: 2,
  },
});
