// `bench`: times benchmark cells (benchmark x flavor x runtime) the way
// DESIGN.md (Benchmarks) asks, after sightglass: every measurement is a fresh
// worker process that compiles, precompiles, deserializes, instantiates,
// calls once, then runs tinybench over steady-state calls; each cell gets
// several such processes; processes run one at a time (two cores: a timing
// never shares them with another timing of ours), in rounds that each visit
// every cell once in a shuffled order from a recorded seed, so a slow phase
// of the machine spreads over all cells instead of landing on one.
import { loadavg } from 'node:os';
import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applies, buildArtifact, type BuildOutcome, failureSummary } from '../build/build.js';
import type { Runtime } from '../config/runtimes.js';
import type { FlavorId } from '../config/suite.js';
import { UsageError } from '../errors.js';
import { projectRoot } from '../paths.js';
import type { Cell } from '../model/cell.js';
import { guestOutputOf } from '../model/observation.js';
import { isFailure, verdictOf } from '../model/verdict.js';
import type { Report } from '../report/schema.js';
import { formatInterval } from '../report/ratio.js';
import { readReport } from '../report/writer.js';
import { artifactRecord, describeRuntimes, flavorRecords, RunSession, type RuntimeRecord } from '../run/session.js';
import { detectAll } from '../toolchains/registry.js';
import { benchRequestOf, prepareCall } from '../workers/requests.js';
import { type BuildOptions, defaultBuildOptions, type Detection, type Flavor } from '../toolchains/flavor.js';
import { startProgress } from '../util/progress.js';
import type { BenchRequest, BenchResult } from '../workers/protocol.js';
import { WorkerPool } from '../workers/pool.js';
import { RuntimeWorker } from '../workers/runtime-worker.js';
import { baselineRow, baselineSummary, comparisons } from './compare.js';
import type { Definitions, ResolvedBenchmark } from './definitions.js';
import { benchCellOf, cellKeyOf, failedRecord, judgeAnswer, type LiveCell, processRecord, reportCell } from './cells.js';
import { BENCH_SCHEMA_VERSION, BenchData, type BaselineRow, type BenchCell, type InstructionBaselineRow, type Measure, type ProcessRecord } from './schema.js';
import { detectValgrind } from './callgrind.js';
import { COUNT_PROCESSES, COUNTED, countOnce, DEFAULT_COUNT_CALLS, instructionBaselineRow, instructionComparisons, NOT_COUNTED } from './instructions.js';
import { DEFAULT_CONFIDENCE, seededRandom, shuffle } from './stats.js';

/** How intervals are computed, as the report states it. */
export const INTERVAL_METHOD = 'Welch t interval on log per-process means (ratio of geometric means), Welch-Satterthwaite df';

/** What `bench` is asked to do. */
export interface BenchOptions {
  definitions: Definitions;
  /** Only benchmarks of these suites (`benchmarks` names the module benchmarks). */
  suites?: string[];
  flavors: Flavor[];
  runtimes: Runtime[];
  buildOptions?: BuildOptions;
  processes?: number;
  budgetMs?: number;
  minIterations?: number;
  outDir: string;
  baselinePath?: string;
  /** Percent; default 5 for times, 1 for instruction counts. */
  thresholdPct?: number;
  seed?: number;
  /** What to measure (default `time`). */
  measure?: Measure;
  /** Steady-state calls per counting process (default 3). */
  countCalls?: number;
  confidence?: number;
  quiet?: boolean;
}

/** The report, its bench section and its exit code. */
export interface BenchOutcome {
  report: Report;
  bench: BenchData;
  exitCode: 0 | 1 | 2 | 130;
}

/** Loads a baseline; it must be a bench report. */
export function readBenchBaseline(path: string): Map<string, BenchCell> {
  const report = readReport(path);
  if (report.kind !== 'bench' || report.bench === undefined) {
    throw new UsageError(`${path}: not a bench report (kind ${report.kind}${report.kind === 'bench' ? ', no bench section: the run was interrupted' : ''}); --baseline takes the report.json of an earlier bench run`);
  }
  return new Map(report.bench.cells.map((c) => [c.key, c]));
}

/** The method of a bench run: the definitions' defaults, overridden by the options. */
interface Settings {
  processes: number;
  budgetMs: number;
  minIterations: number;
  confidence: number;
  thresholdPct: number;
  seed: number;
  measure: Measure;
  /** The threshold of the instruction gate. */
  instructionThresholdPct: number;
  /** valgrind, when counting. */
  valgrind?: { command: string; version: string };
  countCalls: number;
}

/** Whether a bench of this measure times processes / counts instructions. */
const times = (m: Measure) => m !== 'instructions';
const counts = (m: Measure) => m !== 'time';

/** Step 1: the method, checked. */
function settingsOf(options: BenchOptions): Settings {
  const defs = options.definitions;
  const processes = options.processes ?? defs.processes;
  if (!(processes >= 2)) throw new UsageError(`--processes: ${processes}; intervals need at least 2 processes per cell`);
  const measure = options.measure ?? 'time';
  let valgrind: Settings['valgrind'];
  if (counts(measure)) {
    const found = detectValgrind();
    if (!found.available) throw new UsageError(`--measure ${measure} counts instructions under valgrind's callgrind, which is not available: ${found.reason}`);
    valgrind = { command: found.command, version: found.version };
  }
  const countCalls = options.countCalls ?? DEFAULT_COUNT_CALLS;
  if (!(Number.isInteger(countCalls) && countCalls >= 1)) throw new UsageError(`--count-calls: ${countCalls}; a whole number of at least 1`);
  return {
    measure,
    ...(valgrind ? { valgrind } : {}),
    countCalls,
    instructionThresholdPct: options.thresholdPct ?? 1,
    processes,
    budgetMs: options.budgetMs ?? defs.budgetMs,
    minIterations: options.minIterations ?? defs.minIterations,
    confidence: options.confidence ?? DEFAULT_CONFIDENCE,
    thresholdPct: options.thresholdPct ?? 5,
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
  };
}

/** Step 2: the benchmarks of the chosen suites; an unknown suite is a usage error. */
function selectBenchmarks(defs: Definitions, suites: string[] | undefined): ResolvedBenchmark[] {
  const suiteNames = [...new Set(defs.benchmarks.map((b) => b.suiteName))];
  for (const s of suites ?? []) {
    if (!suiteNames.includes(s)) throw new UsageError(`--suite: "${s}" has no benchmarks in ${defs.file}; suites with benchmarks: ${suiteNames.join(', ')}`);
  }
  return defs.benchmarks.filter((b) => !suites?.length || suites.includes(b.suiteName));
}

/** Step 3: each runtime as its own worker process reports it. */
async function describeBenchRuntimes(runtimes: Runtime[]): Promise<RuntimeRecord[]> {
  const pool = new WorkerPool(runtimes);
  try {
    return await describeRuntimes(pool, runtimes);
  } finally {
    await pool.close();
  }
}

const buildKey = (b: ResolvedBenchmark, f: FlavorId) => `${b.suite.file}|${JSON.stringify(b.suite.sources)}|${f}`;

/** The flavors a benchmark runs with. */
const flavorsOf = (b: ResolvedBenchmark, flavors: Flavor[]): Flavor[] =>
  flavors.filter((f) => (b.moduleFlavor ? f.id === b.moduleFlavor : applies(b.suite, f) && (!b.flavors || b.flavors.includes(f.id))));

/** Step 4: build what the benchmarks need, one at a time. */
async function buildBenchArtifacts(benchmarks: ResolvedBenchmark[], flavors: Flavor[], buildOptions: BuildOptions, detections: Map<string, Detection>, quiet: boolean): Promise<Map<string, BuildOutcome>> {
  const builds = new Map<string, BuildOutcome>();
  const toBuild = benchmarks.flatMap((b) => flavorsOf(b, flavors).filter((f) => f.target === 'wasm').map((f) => ({ b, f })));
  const progress = startProgress('build', toBuild.length, { quiet });
  let built = 0;
  for (const { b, f } of toBuild) {
    const key = buildKey(b, f.id);
    progress.update(built++, `${b.suiteName} ${f.id}`);
    if (builds.has(key)) continue;
    builds.set(key, await buildArtifact(b.suite, f, buildOptions, detections.get(f.id)!));
  }
  progress.stop(`${builds.size} artifacts`);
  return builds;
}

/** Step 5: the cells (benchmark x flavor x runtime), each with why it cannot run. */
function planBenchCells(benchmarks: ResolvedBenchmark[], flavors: Flavor[], runtimes: Runtime[], builds: Map<string, BuildOutcome>, unusable: Map<string, string>): LiveCell[] {
  const cells: LiveCell[] = [];
  for (const b of benchmarks) {
    for (const f of flavorsOf(b, flavors)) {
      if (f.target !== 'wasm') {
        cells.push({
          key: cellKeyOf(b.suiteName, b.name, f.id, 'native'),
          bench: b,
          flavor: f.id,
          runtime: 'native',
          notRun: { status: 'skipped', reason: `${f.id} runs on desktop Mono, not on a Wasmtime runtime: not benchmarked` },
          processes: [],
          samples: [],
          added: false,
        });
        continue;
      }
      const build = builds.get(buildKey(b, f.id))!;
      for (const r of runtimes) {
        const cell: LiveCell = { key: cellKeyOf(b.suiteName, b.name, f.id, r.id), bench: b, flavor: f.id, runtime: r.id, processes: [], samples: [], added: false };
        if (b.testCase.flavors && !b.testCase.flavors.includes(f.id)) cell.notRun = { status: 'skipped', reason: `case not implemented by the ${f.id} guest` };
        else if (build.status === 'skipped') cell.notRun = { status: 'skipped', reason: build.reason };
        else if (build.status === 'failed') cell.notRun = { status: 'skipped', reason: `build failed: ${failureSummary(build)}`, buildFailure: failureSummary(build) };
        else if (unusable.has(r.id)) cell.notRun = { status: 'skipped', reason: `runtime ${r.id} unavailable: ${unusable.get(r.id)}` };
        if (build.status === 'built') cell.artifact = build.artifact;
        cells.push(cell);
      }
    }
  }
  return cells;
}

/** Finishes cells into the report: the bench cell, the baseline rule, the judged report cell. */
class CellBook {
  readonly benchCells = new Map<string, BenchCell>();
  readonly baselineRows = new Map<string, BaselineRow>();
  readonly instructionRows = new Map<string, InstructionBaselineRow>();

  constructor(
    private readonly emit: (cell: Cell) => void,
    private readonly settings: Settings,
    private readonly baseline: Map<string, BenchCell> | undefined,
  ) {}

  /** Ends a cell once: with its times, or its status; `interrupted` notes a cell measured only in part. */
  finish(live: LiveCell, interrupted?: string): void {
    if (live.added) return;
    live.added = true;
    const { confidence, thresholdPct } = this.settings;
    const cell = benchCellOf(live, confidence, interrupted);
    this.benchCells.set(cell.key, cell);
    const regressions: string[] = [];
    if (this.baseline && !live.notRun && !interrupted && times(this.settings.measure)) {
      const row = baselineRow(cell, this.baseline.get(cell.key), thresholdPct, confidence);
      this.baselineRows.set(cell.key, row);
      if (row.verdict === 'regression' && row.interval) {
        regressions.push(`time regression against the baseline: per call ${formatInterval(row.interval)} of the baseline's, beyond the ${thresholdPct}% threshold`);
      }
    }
    if (this.baseline && !live.notRun && !interrupted && counts(this.settings.measure)) {
      const limit = this.settings.instructionThresholdPct;
      const row = instructionBaselineRow(cell, this.baseline.get(cell.key), limit);
      this.instructionRows.set(cell.key, row);
      const grown = row.phases.filter((p) => p.verdict === 'regression');
      if (grown.length) {
        regressions.push(`instruction regression against the baseline: ${grown.map((p) => `${p.phase} ${p.ratio.toFixed(4)}x (${Math.round(p.baseline)} -> ${Math.round(p.now)} per call)`).join(', ')}, beyond the ${limit}% threshold`);
      }
    }
    this.emit(reportCell(cell, live, regressions.length ? regressions.join('; ') : undefined));
  }
}

/** One round of the schedule: timed processes, or counting processes under callgrind. */
interface Round {
  kind: 'time' | 'count';
  cells: LiveCell[];
}

/**
 * Step 6: `processes` timed rounds, then (when counting) COUNT_PROCESSES
 * counting rounds, each a shuffled permutation of the runnable cells.
 */
function schedule(runnable: LiveCell[], settings: Settings): Round[] {
  const random = seededRandom(settings.seed);
  const timed = times(settings.measure) ? Array.from({ length: settings.processes }, () => ({ kind: 'time' as const, cells: shuffle(runnable, random) })) : [];
  const counted = counts(settings.measure) ? Array.from({ length: COUNT_PROCESSES }, () => ({ kind: 'count' as const, cells: shuffle(runnable, random) })) : [];
  return [...timed, ...counted];
}

/** Whether a cell has every process it needs. */
const complete = (live: LiveCell, settings: Settings): boolean =>
  (!times(settings.measure) || live.processes.length === settings.processes) && (!counts(settings.measure) || (live.counts?.length ?? 0) === COUNT_PROCESSES);

/** Step 7: every process of the schedule, one at a time; a cell that fails ends at once. */
async function measureAll(rounds: Round[], runtimes: Runtime[], settings: Settings, book: CellBook, state: MeasureState, quiet: boolean): Promise<void> {
  const runtimeById = new Map(runtimes.map((r) => [r.id, r]));
  const progress = startProgress('bench', state.total, { quiet });
  let order = 0;
  const roundOf = { time: 0, count: 0 };
  for (const round of rounds) {
    const r = roundOf[round.kind]++;
    for (const live of round.cells) {
      const position = order++;
      if (live.failed) continue; // the cell already ended with a status
      progress.update(state.done, `${live.key} ${round.kind === 'count' ? 'counted' : ''}#${r + 1}`);
      const onWorker = (w: RuntimeWorker) => (state.current = w);
      let record: ProcessRecord;
      let answer: BenchResult['answer'];
      let guestOutput: BenchResult['guestOutput'];
      if (round.kind === 'count') {
        const counted = await countOnce(live, runtimeById.get(live.runtime)!, r + 1, position, { valgrind: settings.valgrind!.command, calls: settings.countCalls }, onWorker);
        (live.counts ??= []).push(counted.record);
        answer = counted.answer;
        guestOutput = counted.guestOutput;
        const c = counted.record;
        // A failed counting process ends the cell like a failed timed one (its status, never a count).
        record = c.status === 'ok' ? { ...failedRecord(c.round, c.order, c.wallMs, c.pid, 'ok', ''), samples: 0 } : failedRecord(c.round, c.order, c.wallMs, c.pid, c.status, c.message ?? c.status);
        if (c.trap) record.trap = c.trap;
      } else {
        const timed = await measureOnce(live, runtimeById.get(live.runtime)!, r + 1, position, settings, onWorker);
        record = timed.record;
        answer = timed.answer;
        guestOutput = timed.guestOutput;
        live.processes.push(record);
        // A loop, not push(...samples): a process of a no-op call brings more samples than a call's arguments may hold.
        if (record.status === 'ok') for (const sample of timed.samples) live.samples.push(sample);
      }
      state.current = undefined;
      state.done++;
      const judged = record.status === 'ok' ? judgeAnswer(live.bench, answer) : undefined;
      if (judged && (!live.answer || isFailure(judged))) {
        live.answer = judged;
        live.guestOutput = answer ? guestOutputOf(answer) : undefined;
      }
      if (record.status !== 'ok' && guestOutput) live.guestOutput = guestOutputOf(guestOutput);
      if (judged && isFailure(judged)) {
        // A wrong answer ends the cell like a failed process: its times would compare a different computation.
        live.failed = { ...record, status: 'error', message: `wrong answer: ${judged.reason ?? judged.status}` };
        book.finish(live);
      } else if (record.status !== 'ok') {
        live.failed = record;
        book.finish(live);
      } else if (complete(live, settings)) {
        book.finish(live);
      }
    }
  }
  // A failed cell's remaining processes were never run.
  progress.stop(`${state.done} processes for ${rounds[0]?.cells.length ?? 0} cells`);
}

/** How far measuring got, for the interrupt handler. */
interface MeasureState {
  total: number;
  done: number;
  current?: RuntimeWorker | undefined;
}

/** Step 8: the bench section of the report. */
function benchData(cells: LiveCell[], book: CellBook, rounds: Round[], settings: Settings, options: BenchOptions, started: { t0: number; load: number[] }): BenchData {
  const defs = options.definitions;
  const orderedCells = cells.map((c) => book.benchCells.get(c.key)!).filter(Boolean);
  const flavorInfo = options.flavors.map((f) => ({ id: f.id, language: f.language, target: f.target }));
  const { processes, budgetMs, minIterations, confidence, thresholdPct, seed, measure } = settings;
  const runtimeIds = options.runtimes.map((r) => r.id);
  const instructionRows = cells.flatMap((c) => (book.instructionRows.has(c.key) ? [book.instructionRows.get(c.key)!] : []));
  const nondeterministic = orderedCells.flatMap((c) => (c.instructions?.nondeterministic?.length ? [{ key: c.key, phases: c.instructions.nondeterministic }] : []));
  const bench: BenchData = {
    schemaVersion: BENCH_SCHEMA_VERSION,
    definitions: relative(projectRoot, defs.file).startsWith('..') ? defs.file : relative(projectRoot, defs.file),
    method: { processes, budgetMs, minIterations, confidence, interval: INTERVAL_METHOD },
    schedule: { seed, rounds: rounds.map((round) => round.cells.map((c) => c.key)) },
    wallMs: performance.now() - started.t0,
    loadAverage: { start: started.load, end: loadavg() },
    measure,
    ...(settings.valgrind
      ? {
          instructionMethod: {
            valgrind: settings.valgrind.version,
            command: `${settings.valgrind.command} --tool=callgrind --collect-atstart=no`,
            processes: COUNT_PROCESSES,
            calls: settings.countCalls,
            counted: COUNTED,
            notCounted: NOT_COUNTED,
          },
        }
      : {}),
    cells: orderedCells,
    comparisons: times(measure) ? comparisons(orderedCells, flavorInfo, runtimeIds, confidence) : [],
    ...(counts(measure) ? { instructionComparisons: instructionComparisons(orderedCells, flavorInfo, runtimeIds), nondeterministic } : {}),
    ...(options.baselinePath
      ? {
          baseline: {
            ...baselineSummary(options.baselinePath, thresholdPct, cells.flatMap((c) => (book.baselineRows.has(c.key) ? [book.baselineRows.get(c.key)!] : []))),
            ...(counts(measure)
              ? {
                  instructions: {
                    thresholdPct: settings.instructionThresholdPct,
                    rows: instructionRows,
                    regressions: instructionRows.filter((r) => r.verdict === 'regression').map((r) => r.key),
                    improvements: instructionRows.filter((r) => r.verdict === 'improvement').map((r) => r.key),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
  return BenchData.parse(bench);
}

/** `bench`: the steps above, in a run session (report head, cells as they finish, signals, baseline). */
export async function runBench(options: BenchOptions): Promise<BenchOutcome> {
  const startedAt = new Date().toISOString();
  const started = { t0: performance.now(), load: loadavg() };
  const quiet = options.quiet ?? false;
  const settings = settingsOf(options);
  const benchmarks = selectBenchmarks(options.definitions, options.suites);
  const baseline = options.baselinePath ? readBenchBaseline(options.baselinePath) : undefined;

  const runtimeRecords = await describeBenchRuntimes(options.runtimes);
  const detections = await detectAll(options.flavors);
  const builds = await buildBenchArtifacts(benchmarks, options.flavors, options.buildOptions ?? defaultBuildOptions, detections, quiet);
  const unusable = new Map(runtimeRecords.filter((r) => r.error).map((r) => [r.id, r.error!]));
  const cells = planBenchCells(benchmarks, options.flavors, options.runtimes, builds, unusable);
  const runnable = cells.filter((c) => !c.notRun);
  const rounds = schedule(runnable, settings);
  const state: MeasureState = { total: runnable.length * rounds.length, done: 0 };

  let book: CellBook | undefined;
  const session = new RunSession(
    options.outDir,
    {
      kind: 'bench',
      startedAt,
      runtimes: runtimeRecords,
      flavors: flavorRecords(options.flavors, detections),
      artifacts: [...builds.values()].flatMap((b) => (b.status === 'built' ? [artifactRecord(b.artifact)] : [])),
    },
    {
      quiet,
      // Cells measured in part are written with what they have, then the report is marked interrupted.
      onInterrupt: (signal) => {
        const note = `interrupted by ${signal} after ${state.done} of ${state.total} processes`;
        for (const live of runnable) {
          if (live.added) continue;
          if (live.failed) book?.finish(live);
          else if (live.processes.length >= 1 || live.counts?.length) book?.finish(live, `${note}: ${live.processes.length} of ${times(settings.measure) ? settings.processes : 0} timed and ${live.counts?.length ?? 0} of ${counts(settings.measure) ? COUNT_PROCESSES : 0} counting processes done`);
        }
        if (!quiet) process.stderr.write(`wasm-matrix: ${note}; the report holds the cells measured so far\n`);
        return note;
      },
      close: () => state.current?.close(),
    },
  );
  book = new CellBook(session.emit, settings, baseline);

  // Cells that do not run are reported at once.
  for (const live of cells) if (live.notRun) book.finish(live);
  try {
    await measureAll(rounds, options.runtimes, settings, book, state, quiet);
  } catch (e) {
    session.release();
    throw e;
  }
  const bench = benchData(cells, book, rounds, settings, options, started);
  const report = session.finish(options.baselinePath, { bench });
  return { report, bench, exitCode: verdictOf(report).exitCode };
}

/** One fresh worker process measuring one cell once. */
async function measureOnce(
  live: LiveCell,
  runtime: Runtime,
  round: number,
  order: number,
  budget: { budgetMs: number; minIterations: number },
  onWorker: (w: RuntimeWorker) => void,
): Promise<{ record: ProcessRecord; samples: number[]; answer?: BenchResult['answer']; guestOutput?: BenchResult['guestOutput'] }> {
  let prepared: ReturnType<typeof prepareCall>;
  try {
    prepared = live.bench.prepare ? live.bench.prepare(live.artifact!) : prepareCall(live.bench.suite, live.bench.testCase, live.artifact!);
  } catch (e) {
    // The program's own folder could not be set up (a link out of it, for one): its cell ends, the run goes on.
    return { record: failedRecord(round, order, 0, -1, 'error', `cannot set up the run: ${(e as Error).message}`), samples: [] };
  }
  const exec = prepared.request;
  const timeoutMs = exec.timeoutMs ?? 10_000;
  const regionRuns = live.bench.regionRuns;
  const request: BenchRequest = { ...benchRequestOf(exec, budget), ...(regionRuns ? { regionRuns } : {}) };
  // Compiling a 20 MB interpreter module, the warm-up and the iterations can
  // each take a guest deadline; past all of that the worker is stuck.
  const watchdogMs = 60_000 + 2 * budget.budgetMs + timeoutMs * (Math.max(budget.minIterations, regionRuns ?? 0) + 6);
  const worker = new RuntimeWorker(runtime);
  onWorker(worker);
  const start = performance.now();
  try {
    const answer = await worker.request(request, watchdogMs);
    const wallMs = performance.now() - start;
    if (!answer.ok) return { record: failedRecord(round, order, wallMs, answer.pid, answer.failure, answer.message), samples: [], ...(answer.output ? { guestOutput: answer.output } : {}) };
    const response = answer.response;
    if (response.type === 'bench') {
      const r = response.result;
      return { record: processRecord(round, order, wallMs, r), samples: r.perCallNs, answer: r.answer, ...(r.guestOutput ? { guestOutput: r.guestOutput } : {}) };
    }
    const message = response.type === 'refused' ? `the worker refused the request: ${response.message}` : `unexpected reply ${response.type}`;
    return { record: failedRecord(round, order, wallMs, answer.pid, 'error', message), samples: [] };
  } catch (e) {
    // The worker did not start (its addon failed to load, for one).
    return { record: failedRecord(round, order, performance.now() - start, worker.pid ?? -1, 'crash', (e as Error).message), samples: [] };
  } finally {
    await worker.close();
    prepared.cleanup();
  }
}
