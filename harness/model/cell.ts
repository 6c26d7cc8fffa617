// The cell: (suite, case, flavor, runtime), the unit of result and of timing.
import { z } from 'zod';
import { GuestOutput, Observed } from './observation.js';
import { CellStatus } from './status.js';

/** Where a cell's time went, in milliseconds (the worker's own measurements). */
export const CellTimings = z.object({
  loadMs: z.number(),
  instantiateMs: z.number(),
  initMs: z.number(),
  callMs: z.number(),
  moduleCacheHit: z.boolean(),
});
/** A cell's timings. */
export type CellTimings = z.infer<typeof CellTimings>;

/** Who decided a cell's status: the suite's expectation, the reference cell, or nobody (host failures, skips). */
export const OracleKind = z.enum(['expectation', 'reference', 'none']);
/** One of the oracle kinds. */
export type OracleKind = z.infer<typeof OracleKind>;

/** A build that failed with its toolchain present: the cell could not run, and the run fails. */
export const BuildFailure = z.object({
  /** The first diagnostics of the build, in one line. */
  summary: z.string(),
});
/** A cell's build failure. */
export type BuildFailure = z.infer<typeof BuildFailure>;

/** One cell of a report. */
export const Cell = z.object({
  suite: z.string(),
  case: z.string(),
  flavor: z.string(),
  runtime: z.string(),
  status: CellStatus,
  /** Why: the skip reason, the crash message, what differed. */
  reason: z.string().optional(),
  /** `expectation` (from the suite) or `reference` (the cell named in `referenceCell`). */
  oracle: OracleKind.optional(),
  referenceCell: z.string().optional(),
  /** For a trap or a timeout: whether the oracle expected exactly this outcome. */
  expectedTrap: z.boolean().optional(),
  expected: Observed.optional(),
  actual: Observed.optional(),
  /** Set when the cell is `skipped` because its artifact failed to build; such a cell fails the run. */
  buildFailure: BuildFailure.optional(),
  timings: CellTimings.optional(),
  /** What the guest wrote to stdout/stderr, whatever the status (streams `actual` already holds are left out). */
  guestOutput: GuestOutput.optional(),
  /** A cell named in an `--expect` list: the list and its reason (status `known-failure` or `fixed`). */
  listed: z.object({ file: z.string(), reason: z.string() }).optional(),
  artifactHash: z.string().optional(),
  pid: z.number().int().optional(),
});
/** One cell of a report. */
export type Cell = z.infer<typeof Cell>;

/** The four coordinates that name a cell. */
export type CellCoordinates = Pick<Cell, 'suite' | 'case' | 'flavor' | 'runtime'>;

/** The one spelling of a cell's key: `suite/case/flavor/runtime`. */
export const cellKey = (c: CellCoordinates): string => `${c.suite}/${c.case}/${c.flavor}/${c.runtime}`;

/** The key of a cell's case, shared by all its flavors and runtimes: `suite/case`. */
export const caseKey = (c: Pick<Cell, 'suite' | 'case'>): string => `${c.suite}/${c.case}`;

/** The case key of a cell key (its first two parts). */
export const caseKeyOfCellKey = (key: string): string => key.split('/').slice(0, 2).join('/');
