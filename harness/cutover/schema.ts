// The cut-over stage's file formats: the integrity record beside each cache
// entry, and the `cutover` section of a cutover report (report.json's
// `cutover` field). These zod schemas are their only definition.
import { z } from 'zod';
import { Observed } from '../model/observation.js';
import { EngineOptions, IntegrityRecord } from '../workers/protocol.js';

/** The version of the cutover section. */
export const CUTOVER_SCHEMA_VERSION = 1;

/** Engine compatibility hashes and artifact hashes name folders and files: hex only. */
export const CompatHash = z.string().regex(/^[0-9a-f]{16,128}$/, 'a lowercase hex engine compatibility hash');
/** An artifact hash (sha256 hex). */
export const ArtifactHash = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-digit lowercase hex artifact hash');

/**
 * `<cache>/<compatibility hash>/<artifact hash>.cwasm.json`: the worker's
 * integrity record (sha256 of the `.cwasm`, Wasmtime version, compatibility
 * hash) with the source artifact's hash required.
 */
export const CacheRecord = IntegrityRecord.extend({
  compatibilityHash: CompatHash,
  artifactHash: ArtifactHash,
});
/** A `CacheRecord` value, as the schema above parses it. */
export type CacheRecord = z.infer<typeof CacheRecord>;

/** What a cache lock file holds: who fills the entry. */
export const LockRecord = z.object({ pid: z.number().int(), token: z.string().min(1), since: z.string() });
/** A `LockRecord` value, as the schema above parses it. */
export type LockRecord = z.infer<typeof LockRecord>;

const Ms = z.number().nonnegative();

/** One cache entry of a fill: made, present, replaced or failed. */
export const FillItem = z.object({
  suite: z.string(),
  flavor: z.string(),
  artifactHash: z.string(),
  /** `default`, `fuel`, ...: which engine configuration (see cutover/engines.ts). */
  engine: z.string(),
  compatibilityHash: z.string().optional(),
  /** present: already valid; filled: precompiled now; replaced: a corrupt entry was refused and recompiled; failed. */
  status: z.enum(['present', 'filled', 'replaced', 'failed']),
  /** Wall time for this entry, lock wait and publication included. */
  ms: Ms,
  /** Precompile time inside the worker. */
  precompileMs: Ms.optional(),
  bytes: z.number().int().nonnegative().optional(),
  path: z.string().optional(),
  /** Why a replaced entry was refused, or why the fill failed. */
  message: z.string().optional(),
});
/** A `FillItem` value, as the schema above parses it. */
export type FillItem = z.infer<typeof FillItem>;

/** A cache fill: entries, counts, time and bytes. */
export const FillSummary = z.object({
  runtime: z.string(),
  wasmtimeVersion: z.string(),
  /** Wall time of the whole fill. */
  wallMs: Ms,
  /** Sum of the precompile times inside the worker. */
  precompileMs: Ms,
  entries: z.number().int(),
  counts: z.object({ present: z.number().int(), filled: z.number().int(), replaced: z.number().int(), failed: z.number().int() }),
  bytes: z.number().int().nonnegative(),
  items: z.array(FillItem),
});
/** A `FillSummary` value, as the schema above parses it. */
export type FillSummary = z.infer<typeof FillSummary>;

/** Serving latency of one window on one runtime. */
export const LatencyWindow = z.object({
  window: z.enum(['before-fill', 'during-fill', 'after-fill', 'after-switch']),
  runtime: z.string(),
  calls: z.number().int(),
  /** Client-side latency (issue to answer, queueing at the worker included). */
  p50Ms: Ms.optional(),
  p90Ms: Ms.optional(),
  p99Ms: Ms.optional(),
  maxMs: Ms.optional(),
  meanMs: Ms.optional(),
  /** Time spent inside the worker (instantiate, init, call; load when not cached), median. */
  serviceP50Ms: Ms.optional(),
  durationMs: Ms,
});
/** A `LatencyWindow` value, as the schema above parses it. */
export type LatencyWindow = z.infer<typeof LatencyWindow>;

/** A served call that failed. */
export const StreamFailure = z.object({
  n: z.number().int(),
  key: z.string(),
  runtime: z.string(),
  reason: z.string(),
});

/** The serving stream: every call issued, answered, served, failed, lost, duplicated. */
export const StreamSummary = z.object({
  /** Calls in flight at once (each slot issues its next call when the last one is answered). */
  concurrency: z.number().int().positive(),
  goldenCalls: z.number().int(),
  issued: z.number().int(),
  answered: z.number().int(),
  /** Answered with the golden answer. */
  served: z.number().int(),
  /** Answered, but wrongly or with a host failure (crash, hang, load error). */
  failed: z.number().int(),
  /** Issued and never answered: must be 0. */
  lost: z.number().int(),
  /** Answered more than once: must be 0. */
  duplicated: z.number().int(),
  byRuntime: z.array(z.object({ runtime: z.string(), served: z.number().int(), failed: z.number().int() })),
  switch: z
    .object({
      /** Since the stream started. */
      atMs: Ms,
      /** Calls issued to the old runtime and unanswered at the switch; each was answered by the old runtime. */
      inFlight: z.number().int(),
      drainedOnOld: z.number().int(),
      /** The last old answer and the first new answer, relative to the switch. */
      lastOldAnswerMs: z.number().optional(),
      firstNewAnswerMs: z.number().optional(),
      /** Longest time without any answer from 1 s before to 1 s after the switch. */
      longestGapMs: Ms.optional(),
    })
    .optional(),
  failures: z.array(StreamFailure),
  /** Cases left out of the stream (they are still compared once). */
  notStreamed: z.array(z.object({ key: z.string(), reason: z.string() })),
});
/** A `StreamSummary` value, as the schema above parses it. */
export type StreamSummary = z.infer<typeof StreamSummary>;

/** A golden case the new runtime answers differently, both answers shown. */
export const Mismatch = z.object({
  key: z.string(),
  suite: z.string(),
  case: z.string(),
  flavor: z.string(),
  reason: z.string(),
  old: Observed.optional(),
  new: Observed.optional(),
});
/** A `Mismatch` value, as the schema above parses it. */
export type Mismatch = z.infer<typeof Mismatch>;

/** An old cache entry tried on the new engine, and whether it was refused. */
export const RefusalCheck = z.object({
  /** The old runtime's entry the new engine was asked to load. */
  entry: z.string(),
  artifact: z.string(),
  /** as-is: the old record unchanged; relabelled: the old bytes with a record claiming the new engine hash. */
  mode: z.enum(['as-is', 'relabelled']),
  refused: z.boolean(),
  message: z.string(),
});

/** A corrupt entry found before use, and whether it was recompiled. */
export const CorruptionEvent = z.object({
  entry: z.string(),
  reason: z.string(),
  recompiled: z.boolean(),
  message: z.string().optional(),
});

/** A cold start's phases. */
export const ColdTimes = z.object({
  loadMs: Ms,
  instantiateMs: Ms,
  initMs: Ms,
  firstCallMs: Ms,
  totalMs: Ms,
});
/** A `ColdTimes` value, as the schema above parses it. */
export type ColdTimes = z.infer<typeof ColdTimes>;

/** Cold start of one artifact, compiled against from the cache. */
export const ColdStart = z.object({
  suite: z.string(),
  flavor: z.string(),
  artifactHash: z.string(),
  case: z.string(),
  wasmBytes: z.number().int().optional(),
  cwasmBytes: z.number().int().optional(),
  /** Medians over the rounds; each round is a fresh worker process. */
  compiled: ColdTimes,
  cached: ColdTimes,
  /** compiled.totalMs / cached.totalMs */
  speedup: z.number(),
  error: z.string().optional(),
});
/** A `ColdStart` value, as the schema above parses it. */
export type ColdStart = z.infer<typeof ColdStart>;

/** A runtime of the rehearsal with its engine hash. */
export const RuntimeSide = z.object({ id: z.string(), wasmtimeVersion: z.string(), compatibilityHash: z.string() });

/** The `cutover` section of a cut-over report: the verdict and its figures. */
export const CutoverSection = z.object({
  schemaVersion: z.literal(CUTOVER_SCHEMA_VERSION),
  from: RuntimeSide,
  to: RuntimeSide,
  cacheDir: z.string(),
  suites: z.array(z.string()),
  flavors: z.array(z.string()),
  durationS: z.number().positive(),
  verdict: z.enum(['go', 'no-go']),
  /** Each reason for a no-go, one line each; empty for go. */
  reasons: z.array(z.string()),
  golden: z.object({
    /** (suite, case, flavor) triples compared on both runtimes. */
    cases: z.number().int(),
    /** Candidates that are not golden, and why (e.g. they fail on the old runtime already). */
    excluded: z.array(z.object({ key: z.string(), reason: z.string() })),
    /** Whole (suite, flavor) pairs that were not built (missing toolchain). */
    notBuilt: z.array(z.object({ suite: z.string(), flavor: z.string(), reason: z.string() })),
  }),
  mismatches: z.array(Mismatch),
  stream: StreamSummary,
  latency: z.array(LatencyWindow),
  /** The old runtime's own cache, which it serves from. */
  oldCache: FillSummary,
  fill: FillSummary,
  refusals: z.array(RefusalCheck),
  corruption: z.object({
    /** A copy of one new entry with one byte flipped, handed to the new engine: it must refuse it. */
    drill: z.object({ entry: z.string(), refused: z.boolean(), message: z.string() }).optional(),
    /** Corrupt entries found in the cache before use: refused, removed and recompiled. */
    found: z.array(CorruptionEvent),
  }),
  coldStart: z.object({
    rounds: z.number().int(),
    items: z.array(ColdStart),
  }),
  engines: z.array(z.object({ label: z.string(), options: EngineOptions, from: z.string(), to: z.string() })),
  timeline: z.array(z.object({ atMs: Ms, event: z.string() })),
});
/** A `CutoverSection` value, as the schema above parses it. */
export type CutoverSection = z.infer<typeof CutoverSection>;
