import { defineConfig } from 'vitest/config';

// Tests spawn real worker processes and compile real guests, so they get
// generous timeouts; files run in parallel only up to the machine's two cores.
export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    maxWorkers: 2,
    reporters: ['default', './harness/util/summary-reporter.ts'],
  },
});
