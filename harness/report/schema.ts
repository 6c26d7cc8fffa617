// report.json: the machine-readable record of a run. Every rendering
// (report.md, junit.xml, report.html) is made from this and nothing else.
import { z } from 'zod';

export const REPORT_SCHEMA_VERSION = 1;

export const CellStatus = z.enum(['pass', 'mismatch', 'trap', 'guest-error', 'timeout', 'crash', 'hang', 'unsupported', 'skipped']);
export type CellStatus = z.infer<typeof CellStatus>;

/** One side of a comparison, in a form people can read side by side. */
export const Observed = z
  .object({
    output: z.object({ utf8: z.string().optional(), hex: z.string() }).optional(),
    values: z.array(z.string()).optional(),
    exitCode: z.number().int().optional(),
    stdout: z.string().optional(),
    stderr: z.string().optional(),
    trap: z.string().optional(),
    guestError: z.string().optional(),
    timeout: z.boolean().optional(),
    /** A host-side error (the call could not be made). */
    error: z.string().optional(),
    /** The guest wrote more than the capture cap; `stdout`/`stderr` hold only the first bytes. */
    stdoutTruncated: z.literal(true).optional(),
    stderrTruncated: z.literal(true).optional(),
    /** Calls of `record` host imports, each `module.name(TYPE:VALUE, ...)`, in order. */
    hostCalls: z.array(z.string()).optional(),
    /** The life-cycle export that trapped, timed out or failed before the call. */
    lifecycleExport: z.string().optional(),
  })
  .strict();
export type Observed = z.infer<typeof Observed>;

export const CellTimings = z.object({
  loadMs: z.number(),
  instantiateMs: z.number(),
  initMs: z.number(),
  callMs: z.number(),
  moduleCacheHit: z.boolean(),
});

export const Cell = z.object({
  suite: z.string(),
  case: z.string(),
  flavor: z.string(),
  runtime: z.string(),
  status: CellStatus,
  /** Why: the skip reason, the crash message, what differed. */
  reason: z.string().optional(),
  /** `expectation` (from the suite) or `reference` (the cell named in `referenceCell`). */
  oracle: z.enum(['expectation', 'reference', 'none']).optional(),
  referenceCell: z.string().optional(),
  /** For a trap or a timeout: whether the oracle expected exactly this outcome. */
  expectedTrap: z.boolean().optional(),
  expected: Observed.optional(),
  actual: Observed.optional(),
  timings: CellTimings.optional(),
  artifactHash: z.string().optional(),
  pid: z.number().int().optional(),
});
export type Cell = z.infer<typeof Cell>;

export const RuntimeRecord = z.object({
  id: z.string(),
  wasmtimeVersion: z.string(),
  compatibilityHash: z.string().optional(),
  /** Present when the runtime could not be used at all (e.g. not built). */
  error: z.string().optional(),
});

export const FlavorRecord = z.object({
  id: z.string(),
  available: z.boolean(),
  versions: z.record(z.string(), z.string()),
  reason: z.string().optional(),
});

export const ArtifactRecord = z.object({
  suite: z.string(),
  flavor: z.string(),
  hash: z.string(),
  sizeBytes: z.number().int(),
  kind: z.enum(['core-module', 'component', 'native']),
  cacheHit: z.boolean(),
  /** What it imports: a core module's import modules (`wasi_snapshot_preview1`), a component's interfaces with versions (`wasi:cli/stdout@0.2.12`). */
  imports: z.array(z.string()).optional(),
});

export const BaselineDiff = z.object({
  file: z.string(),
  /** Cells that passed in the baseline and do not now. */
  newlyFailing: z.array(z.string()),
  /** Cells that failed in the baseline and pass now. */
  fixed: z.array(z.string()),
});

export const Report = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.literal('wasm-matrix'),
  kind: z.enum(['run', 'bench', 'cutover']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** False while a run is going, and in the report an interrupted run leaves. */
  complete: z.boolean(),
  interrupted: z.string().optional(),
  /** The signal that stopped the run (the process then exits 130). */
  interruptedBy: z.enum(['SIGINT', 'SIGTERM']).optional(),
  /** Inputs left out because they could not be used (a broken suite.json): the run exits 2. */
  inputErrors: z.array(z.string()).optional(),
  shard: z.object({ index: z.number().int(), count: z.number().int() }).optional(),
  host: z.object({ platform: z.string(), arch: z.string(), node: z.string(), cpus: z.number().int() }),
  runtimes: z.array(RuntimeRecord),
  flavors: z.array(FlavorRecord),
  artifacts: z.array(ArtifactRecord).default([]),
  cells: z.array(Cell),
  baseline: BaselineDiff.optional(),
  /** Benchmark results (bench reports); schema in bench/schema.ts. */
  bench: z.unknown().optional(),
  /** Cut-over rehearsal results; schema in cutover/schema.ts. */
  cutover: z.unknown().optional(),
});
export type Report = z.infer<typeof Report>;

export const cellKey = (c: Pick<Cell, 'suite' | 'case' | 'flavor' | 'runtime'>): string =>
  `${c.suite}/${c.case}/${c.flavor}/${c.runtime}`;
