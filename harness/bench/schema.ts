// The `bench` section of report.json (a report of kind `bench`). The report's
// cells hold one status per benchmark cell as every report does; this holds
// the times. report/html-bench.ts draws `cells[].perCall.medianNs`.
import { z } from 'zod';

/** The version of the bench section. */
export const BENCH_SCHEMA_VERSION = 1;

/** What measuring a cell ended in: `ok` is the only outcome with times. */
export const MeasureStatus = z.enum(['ok', 'trap', 'timeout', 'guest-error', 'error', 'crash', 'hang', 'skipped', 'unsupported']);
/** A `MeasureStatus` value, as the schema above parses it. */
export type MeasureStatus = z.infer<typeof MeasureStatus>;

/** The phases a bench measures. */
export const Phase = z.enum(['compile', 'precompile', 'deserialize', 'instantiate', 'firstCall', 'perCall']);
/** A `Phase` value, as the schema above parses it. */
export type Phase = z.infer<typeof Phase>;
/** Every phase. */
export const PHASES: readonly Phase[] = Phase.options;
/** The phases measured once per process (perCall is the steady state). */
export const ONCE_PHASES = ['compile', 'precompile', 'deserialize', 'instantiate', 'firstCall'] as const;
/** A phase measured once per process. */
export type OncePhase = (typeof ONCE_PHASES)[number];

/** Summary statistics of one phase, in ns. */
export const Summary = z.object({
  n: z.number().int(),
  medianNs: z.number(),
  meanNs: z.number(),
  stddevNs: z.number(),
  /** Median absolute deviation, unscaled. */
  madNs: z.number(),
  iqrNs: z.number(),
  minNs: z.number(),
  maxNs: z.number(),
});
/** A `Summary` value, as the schema above parses it. */
export type Summary = z.infer<typeof Summary>;

/** A ratio of times with its interval. */
export const RatioInterval = z.object({
  /** candidate / reference, ratio of geometric means of per-process values. */
  ratio: z.number(),
  low: z.number(),
  high: z.number(),
  df: z.number(),
  confidence: z.number(),
  significant: z.boolean(),
  nCandidate: z.number().int(),
  nReference: z.number().int(),
});
/** A `RatioInterval` value, as the schema above parses it. */
export type RatioInterval = z.infer<typeof RatioInterval>;

/** Which process of a cell this was and how it ended: the fields timed and counting processes share. */
const ProcessRun = z.object({
  /** Repetition (1-based) and position in the whole run's schedule (0-based; counting processes come after the timed ones). */
  round: z.number().int(),
  order: z.number().int(),
  pid: z.number().int(),
  status: MeasureStatus,
  message: z.string().optional(),
  trap: z.string().optional(),
});

/** One worker process's measurements of a cell. */
export const ProcessRecord = ProcessRun.extend({
  compileNs: z.number(),
  precompileNs: z.number(),
  deserializeNs: z.number(),
  instantiateNs: z.number(),
  firstCallNs: z.number(),
  /** Mean and median of this process's steady-state per-call samples. */
  perCallMeanNs: z.number().optional(),
  perCallMedianNs: z.number().optional(),
  /** Steady-state samples; calls shorter than the timer's resolution are batched and a sample is the batch mean. */
  samples: z.number().int(),
  /** Wall time of the whole process, start to exit. */
  wallMs: z.number(),
});
/** A `ProcessRecord` value, as the schema above parses it. */
export type ProcessRecord = z.infer<typeof ProcessRecord>;

/** What a bench measures: wall-clock time, exact instruction counts under callgrind, or both. */
export const Measure = z.enum(['time', 'instructions', 'both']);
/** A `Measure` value, as the schema above parses it. */
export type Measure = z.infer<typeof Measure>;
/** Every measure, in the order `--measure` lists them. */
export const MEASURES: readonly Measure[] = Measure.options;

/** One phase's instructions in one process: the region's total and the calls it held (1 for a once-per-process phase). */
export const PhaseCount = z.object({ instructions: z.number().int().nonnegative(), calls: z.number().int().positive() });
/** A `PhaseCount` value, as the schema above parses it. */
export type PhaseCount = z.infer<typeof PhaseCount>;

/** One counting process (under callgrind) of a cell. */
export const CountProcess = ProcessRun.extend({
  /** Present when the process ended ok: every counted phase (precompile and deserialize only for a module file). */
  counts: z.partialRecord(Phase, PhaseCount).optional(),
  wallMs: z.number(),
});
/** A `CountProcess` value, as the schema above parses it. */
export type CountProcess = z.infer<typeof CountProcess>;

/** A phase's count over a cell's counting processes. */
export const PhaseInstructions = z.object({
  /** Instructions per call: the first process's total / calls (an exact count divided by the calls it held). */
  perCall: z.number(),
  total: z.number().int(),
  calls: z.number().int(),
  /** Every process counted exactly the same total. */
  deterministic: z.boolean(),
  /** The smallest and largest total over the processes (equal when deterministic). */
  min: z.number().int(),
  max: z.number().int(),
});
/** A `PhaseInstructions` value, as the schema above parses it. */
export type PhaseInstructions = z.infer<typeof PhaseInstructions>;

/** A cell's instruction counts: its counting processes and, when they all ended ok, each phase's count. */
export const CellInstructions = z.object({
  processes: z.array(CountProcess),
  phases: z.partialRecord(Phase, PhaseInstructions).optional(),
  /** The phases whose processes disagree (empty when every count was exact). */
  nondeterministic: z.array(Phase).optional(),
});
/** A `CellInstructions` value, as the schema above parses it. */
export type CellInstructions = z.infer<typeof CellInstructions>;

/** One benchmark cell: its processes and, when every process ended ok, its times. */
export const BenchCell = z.object({
  key: z.string(),
  suite: z.string(),
  case: z.string(),
  /** The suite case called, when the benchmark is reported under another name. */
  calls: z.string().optional(),
  /** The input, when the benchmark overrides the case's. */
  input: z.string().optional(),
  flavor: z.string(),
  runtime: z.string(),
  status: MeasureStatus,
  reason: z.string().optional(),
  trap: z.string().optional(),
  /**
   * What `perCall` times: `call`, one steady-state call (omitted: the default);
   * `region`, the time between `bench.start` and `bench.end` of one run of an
   * external program (sightglass), one sample per run, each run in a fresh instance.
   */
  measures: z.enum(['call', 'region']).optional(),
  artifactHash: z.string().optional(),
  artifactSizeBytes: z.number().int().optional(),
  processes: z.array(ProcessRecord),
  /** Over processes (one value each), present when status is ok. */
  phases: z.record(z.enum(ONCE_PHASES), Summary).optional(),
  /** Steady state: the summary is over every sample of every process. */
  perCall: Summary.extend({
    samples: z.number().int(),
    /** One per process, the median of its samples: the unit of every interval (see bench/stats.ts). */
    processMediansNs: z.array(z.number()),
    /** The typical time per call: geometric mean of processMediansNs, with its interval. */
    typical: z.object({ ns: z.number(), low: z.number(), high: z.number(), confidence: z.number() }).optional(),
  }).optional(),
  /** Instruction counts, when the bench measured them (`--measure instructions` or `both`). */
  instructions: CellInstructions.optional(),
});
/** A `BenchCell` value, as the schema above parses it. */
export type BenchCell = z.infer<typeof BenchCell>;

/** A ratio of times between two flavors or two runtimes. */
export const Comparison = z.object({
  /** `flavor`: two flavors from the same source on one runtime; `runtime`: two runtimes on one flavor. */
  kind: z.enum(['flavor', 'runtime']),
  suite: z.string(),
  case: z.string(),
  /** The fixed side: the runtime of a flavor comparison, the flavor of a runtime comparison. */
  on: z.string(),
  /** Source language family, for flavor comparisons. */
  family: z.string().optional(),
  reference: z.string(),
  candidate: z.string(),
  phase: Phase,
  interval: RatioInterval.optional(),
  /** Why there is no ratio (a side not timed, or too few processes). */
  missing: z.string().optional(),
});
/** A `Comparison` value, as the schema above parses it. */
export type Comparison = z.infer<typeof Comparison>;

/** A ratio of instruction counts per call between two flavors or two runtimes: exact, so no interval. */
export const InstructionComparison = Comparison.omit({ interval: true }).extend({
  /** candidate / reference instructions per call. */
  ratio: z.number().optional(),
  referencePerCall: z.number().optional(),
  candidatePerCall: z.number().optional(),
});
/** A `InstructionComparison` value, as the schema above parses it. */
export type InstructionComparison = z.infer<typeof InstructionComparison>;

/** One cell's instruction counts against the baseline, phase by phase. */
export const InstructionBaselineRow = z.object({
  key: z.string(),
  phases: z.array(
    z.object({
      phase: Phase,
      /** Instructions per call in the baseline and now. */
      baseline: z.number(),
      now: z.number(),
      /** now / baseline, of the per-call counts. */
      ratio: z.number(),
      /** `not-gated`: the count was not exact (its processes disagreed, now or in the baseline). */
      verdict: z.enum(['regression', 'improvement', 'same', 'not-gated']),
    }),
  ),
  verdict: z.enum(['regression', 'improvement', 'same', 'not-compared']),
  reason: z.string().optional(),
});
/** A `InstructionBaselineRow` value, as the schema above parses it. */
export type InstructionBaselineRow = z.infer<typeof InstructionBaselineRow>;

/** One cell against the baseline: the ratio and the verdict. */
export const BaselineRow = z.object({
  key: z.string(),
  /** Typical time per call (perCall.typical) in the baseline and now, with their own intervals. */
  baselineNs: z.number().optional(),
  nowNs: z.number().optional(),
  baselineRange: z.tuple([z.number(), z.number()]).optional(),
  nowRange: z.tuple([z.number(), z.number()]).optional(),
  interval: RatioInterval.optional(),
  verdict: z.enum(['regression', 'improvement', 'same', 'not-compared']),
  reason: z.string().optional(),
});
/** A `BaselineRow` value, as the schema above parses it. */
export type BaselineRow = z.infer<typeof BaselineRow>;

/** The comparison with a baseline bench report. */
export const BenchBaseline = z.object({
  file: z.string(),
  /** A regression: per call slower by more than this (percent) with an interval that excludes 1. */
  thresholdPct: z.number(),
  rows: z.array(BaselineRow),
  regressions: z.array(z.string()),
  improvements: z.array(z.string()),
  /** Instruction counts against the baseline's, when both measured them. */
  instructions: z
    .object({
      /** A regression: a phase's count per call grew by more than this (percent); the counts are exact, so no interval. */
      thresholdPct: z.number(),
      rows: z.array(InstructionBaselineRow),
      regressions: z.array(z.string()),
      improvements: z.array(z.string()),
    })
    .optional(),
});
/** A `BenchBaseline` value, as the schema above parses it. */
export type BenchBaseline = z.infer<typeof BenchBaseline>;

/** The `bench` section of a bench report. */
export const BenchData = z.object({
  schemaVersion: z.literal(BENCH_SCHEMA_VERSION),
  /** The benchmark definition file. */
  definitions: z.string(),
  method: z.object({
    processes: z.number().int(),
    budgetMs: z.number(),
    minIterations: z.number().int(),
    confidence: z.number(),
    interval: z.string(),
  }),
  /** Cells run one process at a time: every round runs each cell once, in a shuffled order from this seed. */
  schedule: z.object({ seed: z.number().int(), rounds: z.array(z.array(z.string())) }),
  /** Wall time of the whole command: builds, every process, the renderings excepted. */
  wallMs: z.number(),
  /** os.loadavg() when the run started and ended: a busy machine widens every interval. */
  loadAverage: z.object({ start: z.array(z.number()), end: z.array(z.number()) }).optional(),
  /** What was measured (absent in reports made before instruction counts: time). */
  measure: Measure.optional(),
  /** How instructions were counted, when they were. */
  instructionMethod: z
    .object({
      /** `valgrind --version`. */
      valgrind: z.string(),
      command: z.string(),
      /** Counting processes per cell (the second one checks that the counts are exact). */
      processes: z.number().int(),
      /** Steady-state calls counted per process. */
      calls: z.number().int(),
      counted: z.string(),
      notCounted: z.string(),
    })
    .optional(),
  cells: z.array(BenchCell),
  comparisons: z.array(Comparison),
  /** Ratios of instructions per call, as `comparisons` of times. */
  instructionComparisons: z.array(InstructionComparison).optional(),
  /** Cells whose counting processes disagreed on a phase's count, with the phases. */
  nondeterministic: z.array(z.object({ key: z.string(), phases: z.array(Phase) })).optional(),
  baseline: BenchBaseline.optional(),
});
/** A `BenchData` value, as the schema above parses it. */
export type BenchData = z.infer<typeof BenchData>;
