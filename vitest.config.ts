import { defineConfig } from 'vitest/config';

// Tests spawn real worker processes and compile real guests, so they get
// generous timeouts; files run in parallel only up to the machine's two cores.
export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts'],
    // A limit for a hung test only, never a speed check: a busy machine (load 20 on two
    // cores) made the whole-matrix test take over 120 s.
    testTimeout: 900_000,
    hookTimeout: 900_000,
    maxWorkers: 2,
    reporters: ['default', './harness/util/summary-reporter.ts'],
  },
});
