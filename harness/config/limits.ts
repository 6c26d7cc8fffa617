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
