import { defineConfig } from 'vitest/config';

// Integration tests start their own moto_server / PostgreSQL; each file runs in its own process
// (forks) because SDK clients pick their endpoint up from that process's environment.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/summary-reporter.ts'],
    // Handlers log structured JSON; keep test output to errors unless debugging.
    env: { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR' },
  },
});
