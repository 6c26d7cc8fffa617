// report.json: the machine-readable record of a run. Every rendering
// (report.md, junit.xml, report.html) is made from this and nothing else.
import { z } from 'zod';
import { BenchData } from '../bench/schema.js';
import { CutoverSection } from '../cutover/schema.js';
import { Cell } from '../model/cell.js';

// The cell vocabulary lives in the model stage; re-exported for readers of report.json.
export { Cell, CellTimings, caseKey, cellKey } from '../model/cell.js';
export { Observed } from '../model/observation.js';
export { CellStatus } from '../model/status.js';

/** The version of report.json's format; `merge` and `--baseline` read exactly this one. */
export const REPORT_SCHEMA_VERSION = 1;

/** A runtime as its worker described it. */
export const RuntimeRecord = z.object({
  id: z.string(),
  wasmtimeVersion: z.string(),
  compatibilityHash: z.string().optional(),
  /** Present when the runtime could not be used at all (e.g. not built). */
  error: z.string().optional(),
});

/** A flavor and whether its toolchain was found. */
export const FlavorRecord = z.object({
  id: z.string(),
  available: z.boolean(),
  versions: z.record(z.string(), z.string()),
  reason: z.string().optional(),
});

/** A built artifact. */
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

/** How the cells compare with a baseline report. */
export const BaselineDiff = z.object({
  file: z.string(),
  /** Cells that passed in the baseline and do not now. */
  newlyFailing: z.array(z.string()),
  /** Cells that failed in the baseline and pass now. */
  fixed: z.array(z.string()),
});

/** What every kind of report holds. */
const ReportBase = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.literal('wasm-matrix'),
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
});

/** `run` (and `merge`, and `run --external`): the differential matrix. */
export const RunReport = ReportBase.extend({ kind: z.literal('run') });
/** `bench`: one status per benchmark cell, and the times. */
export const BenchReport = ReportBase.extend({
  kind: z.literal('bench'),
  /** Benchmark results (bench/schema.ts); absent from a bench report that was interrupted. */
  bench: BenchData.optional(),
});
/** `cutover`: the golden calls as cells, and the rehearsal. */
export const CutoverReport = ReportBase.extend({
  kind: z.literal('cutover'),
  /** Cut-over rehearsal results (cutover/schema.ts); absent from a rehearsal that was interrupted. */
  cutover: CutoverSection.optional(),
});

/** report.json: one schema per kind, told apart by `kind`. */
export const Report = z.discriminatedUnion('kind', [RunReport, BenchReport, CutoverReport]);
/** Any report. */
export type Report = z.infer<typeof Report>;
/** A report of one kind. */
export type RunReport = z.infer<typeof RunReport>;
/** A bench report. */
export type BenchReport = z.infer<typeof BenchReport>;
/** A cut-over report. */
export type CutoverReport = z.infer<typeof CutoverReport>;
/** The kinds of report. */
export type ReportKind = Report['kind'];

/** Omit over each member of a union (TypeScript's Omit would merge them). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A report without its cells: what a writer starts from. */
export type ReportHead = DistributiveOmit<Report, 'cells'>;
