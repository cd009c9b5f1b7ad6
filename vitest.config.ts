import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite instances and PostgreSQL databases per file are heavy; two cores here.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
