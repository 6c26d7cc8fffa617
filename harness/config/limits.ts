// Bounds on numbers people write (suite files, specs, flags), so a value
// the host cannot honour is refused up front instead of misbehaving later.
import { z } from 'zod';

/**
 * The longest guest deadline: 24 hours. Node's timers hold at most 2^31-1 ms
 * (about 24.8 days) and fire at once past it, and the worker watchdog waits
 * the deadline plus a grace, so the maximum leaves room for both.
 */
export const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** A guest deadline in milliseconds: positive, at most MAX_TIMEOUT_MS. */
export const TimeoutMs = z
  .number()
  .positive()
  .max(MAX_TIMEOUT_MS, `at most ${MAX_TIMEOUT_MS} ms (24 hours)`);

/**
 * The capture cap of a program nobody here built (`run --external`,
 * `bench --external`) unless `--output-cap` gives one: 64 MiB per stream.
 * Their own runners write output to files with no cap (sightglass's
 * pulldown-cmark prints 1.2 MB), so the suites' 1 MiB would fail them; the
 * cap still bounds a guest that prints in a loop.
 */
export const EXTERNAL_OUTPUT_CAP_BYTES = 64 << 20;

/** The largest capture cap a flag may ask for: 1 GiB per stream, held in the worker's memory. */
export const MAX_OUTPUT_CAP_BYTES = 1 << 30;

/** A capture cap in bytes per stream: a whole number from 1 to MAX_OUTPUT_CAP_BYTES. */
export const OutputCapBytes = z
  .number()
  .int()
  .positive()
  .max(MAX_OUTPUT_CAP_BYTES, `at most ${MAX_OUTPUT_CAP_BYTES} bytes (1 GiB)`);
