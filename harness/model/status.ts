// The one list of cell statuses (DESIGN.md, "Results and comparison").
import { z } from 'zod';

/**
 * Every cell ends in exactly one of these (the nine of DESIGN.md, plus the two an expectation list gives). Adding a status: add it here, then
 * to `isFailure`/`outcome` in verdict.ts and to the style table in
 * report/status.ts; the type checker names every other switch that must learn it.
 */
export const CellStatus = z.enum([
  'pass',
  'mismatch',
  'trap',
  'guest-error',
  'timeout',
  'crash',
  'hang',
  'unsupported',
  'skipped',
  /** Failed, and an `--expect` list names it as a known failure (with its reason): does not fail the run. */
  'known-failure',
  /** Passed, and an `--expect` list still names it as a known failure: the entry can go. */
  'fixed',
]);
/** One of the statuses above. */
export type CellStatus = z.infer<typeof CellStatus>;

/** Statuses a cell gets without any oracle (the call never ran, or the host failed it). */
export const HOST_STATUSES = ['crash', 'hang', 'unsupported', 'skipped'] as const satisfies readonly CellStatus[];
/** One of HOST_STATUSES. */
export type HostStatus = (typeof HOST_STATUSES)[number];

/** The normalised trap kinds the addon reports (runtimes/addon/src/outcome.rs `trap_kind`, plus the store limiter's `memory-limit`, the output cap's `output-limit` and a failed host import's `host-import`); `other` for the rest. */
export const TrapKind = z.enum([
  'unreachable',
  'integer-divide-by-zero',
  'integer-overflow',
  'bad-conversion-to-integer',
  'memory-out-of-bounds',
  'memory-limit',
  'heap-misaligned',
  'stack-overflow',
  'out-of-fuel',
  'table-out-of-bounds',
  'indirect-call-to-null',
  'bad-signature',
  'null-reference',
  'output-limit',
  'host-import',
  'other',
]);
/** One of the trap kinds above. */
export type TrapKind = z.infer<typeof TrapKind>;
