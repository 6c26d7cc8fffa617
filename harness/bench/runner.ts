// `bench`: times benchmark cells (benchmark x flavor x runtime) the way
// DESIGN.md (Benchmarks) asks, after sightglass: every measurement is a fresh
// worker process that compiles, precompiles, deserializes, instantiates,
// calls once, then runs tinybench over steady-state calls; each cell gets
// several such processes; processes run one at a time (two cores: a timing
// never shares them with another timing of ours), in rounds that each visit
// every cell once in a shuffled order from a recorded seed, so a slow phase
// of the machine spreads over all cells instead of landing on one.
import { loadavg, cpus } from 'node:os';
import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applies, buildArtifact, type BuildOutcome, type BuiltArtifact } from '../build/build.js';
import type { Runtime } from '../config/runtimes.js';
import type { FlavorId } from '../config/suite.js';
import { UsageError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { REPORT_SCHEMA_VERSION, type Cell, type Observed, type Report } from '../report/schema.js';
import { readReport, ReportWriter } from '../report/writer.js';
import { verdict } from '../report/status.js';
import { baselineDiff } from '../run/baseline.js';
import { detectAll } from '../toolchains/registry.js';
import { prepareCall } from '../run/requests.js';
import { type BuildOptions, defaultBuildOptions, type Flavor } from '../toolchains/flavor.js';
import { startProgress } from '../util/progress.js';
import type { BenchRequest, BenchResult } from '../workers/protocol.js';
import { RuntimeWorker } from '../workers/runtime-worker.js';
import { baselineRow, baselineSummary, comparisons, formatInterval } from './compare.js';
import type { Definitions, ResolvedBenchmark } from './definitions.js';
import { BENCH_SCHEMA_VERSION, BenchData, type BenchCell, type MeasureStatus, ONCE_PHASES, type ProcessRecord, type Summary } from './schema.js';
import { DEFAULT_CONFIDENCE, geometricMeanInterval, mean, median, seededRandom, shuffle, summarize } from './stats.js';

export const INTERVAL_METHOD = 'Welch t interval on log per-process means (ratio of geometric means), Welch-Satterthwaite df';

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
  thresholdPct?: number;
  seed?: number;
  confidence?: number;
  quiet?: boolean;
}

export interface BenchOutcome {
  report: Report;
  bench: BenchData;
  exitCode: 0 | 1 | 2 | 130;
}

/** A cell of the run while it is measured. */
interface LiveCell {
  key: string;
  bench: ResolvedBenchmark;
  flavor: FlavorId;
  runtime: string;
  artifact?: BuiltArtifact;
  /** Not run at all: skipped or unsupported, with the reason. */
  notRun?: { status: 'skipped' | 'unsupported'; reason: string };
  processes: ProcessRecord[];
  samples: number[];
  /** The first process that did not end `ok`; the cell ends with it. */
  failed?: ProcessRecord;
  added: boolean;
}

const ms = (ns: number) => ns / 1e6;
const toSummary = (xs: number[]): Summary => {
  const s = summarize(xs);
  return { n: s.n, medianNs: s.median, meanNs: s.mean, stddevNs: s.stddev, madNs: s.mad, iqrNs: s.iqr, minNs: s.min, maxNs: s.max };
};
const cellKeyOf = (suite: string, name: string, flavor: string, runtime: string) => `${suite}/${name}/${flavor}/${runtime}`;

/** Loads a baseline; it must be a bench report. */
export function readBenchBaseline(path: string): Map<string, BenchCell> {
  const report = readReport(path);
  const parsed = BenchData.safeParse(report.bench);
  if (report.kind !== 'bench' || !parsed.success) {
    throw new UsageError(`${path}: not a bench report (kind ${report.kind}${report.bench === undefined ? ', no bench section' : ', bench section does not match its schema'}); --baseline takes the report.json of an earlier bench run`);
  }
  return new Map(parsed.data.cells.map((c) => [c.key, c]));
}

/** What the suite case expected, for a cell that ended without times. */
function reportCellStatus(cell: BenchCell, bench: ResolvedBenchmark): Pick<Cell, 'status' | 'reason' | 'expectedTrap' | 'actual'> {
  const expect = bench.expectationApplies ? bench.testCase.expect : undefined;
  const message = cell.reason ?? '';
  switch (cell.status) {
    case 'ok':
      return { status: 'pass' };
    case 'trap': {
      const expectedTrap = expect?.trap !== undefined && expect.trap === cell.trap;
      return { status: 'trap', expectedTrap, actual: { trap: cell.trap ?? 'other' }, ...(expectedTrap ? {} : { reason: `trapped while timed: ${cell.trap ?? 'other'}${message ? ` (${message})` : ''}` }) };
    }
    case 'timeout': {
      const expectedTrap = expect?.timeout === true;
      return { status: 'timeout', expectedTrap, actual: { timeout: true }, ...(expectedTrap ? {} : { reason: `timed out while timed${message ? `: ${message}` : ''}` }) };
    }
    case 'guest-error': {
      const actual: Observed = { guestError: message };
      if (expect?.guestError !== undefined && message.startsWith(expect.guestError)) return { status: 'guest-error', actual, reason: 'a guest error: nothing to time' };
      return { status: 'mismatch', actual, reason: `guest error while timed: ${message}` };
    }
    case 'error':
      return { status: 'mismatch', actual: { error: message }, reason: `host error while timed: ${message}` };
    case 'crash':
    case 'hang':
    case 'skipped':
    case 'unsupported':
      return { status: cell.status, ...(message ? { reason: message } : {}) };
  }
}

function processRecord(round: number, order: number, wallMs: number, result: BenchResult): ProcessRecord {
  const ok = result.status === 'ok' && result.perCallNs.length > 0;
  return {
    round,
    order,
    pid: result.pid,
    status: result.status === 'ok' && !ok ? 'error' : result.status,
    ...(result.message ? { message: result.message } : result.status === 'ok' && !ok ? { message: 'no steady-state samples' } : {}),
    ...(result.trap ? { trap: result.trap } : {}),
    compileNs: result.compileNs,
    precompileNs: result.precompileNs,
    deserializeNs: result.deserializeNs,
    instantiateNs: result.instantiateNs,
    firstCallNs: result.firstCallNs,
    ...(ok ? { perCallMeanNs: mean(result.perCallNs), perCallMedianNs: median(result.perCallNs) } : {}),
    samples: result.perCallNs.length,
    wallMs,
  };
}

function failedRecord(round: number, order: number, wallMs: number, pid: number, status: MeasureStatus, message: string): ProcessRecord {
  return { round, order, pid, status, message, compileNs: 0, precompileNs: 0, deserializeNs: 0, instantiateNs: 0, firstCallNs: 0, samples: 0, wallMs };
}

/** The bench cell of a live cell: its times when every process completed, else its status. */
function benchCellOf(live: LiveCell, confidence: number, interrupted?: string): BenchCell {
  const [suite, name] = [live.bench.suiteName, live.bench.name];
  const head = {
    key: live.key,
    suite,
    case: name,
    ...(live.bench.calls !== name ? { calls: live.bench.calls } : {}),
    ...(live.bench.inputNote ? { input: live.bench.inputNote } : {}),
    flavor: live.flavor,
    runtime: live.runtime,
    ...(live.artifact ? { artifactHash: live.artifact.hash, artifactSizeBytes: live.artifact.sizeBytes } : {}),
    processes: live.processes,
  };
  if (live.notRun) return { ...head, status: live.notRun.status, reason: live.notRun.reason };
  const failed = live.failed;
  if (failed) {
    // A module this runtime cannot load or instantiate is `unsupported`, as in `run`.
    const unsupported = failed.status === 'error' && /^(load|instantiate): /.test(failed.message ?? '');
    return {
      ...head,
      status: unsupported ? 'unsupported' : failed.status,
      ...(failed.message ? { reason: failed.message } : {}),
      ...(failed.trap ? { trap: failed.trap } : {}),
    };
  }
  const ok = live.processes.filter((p) => p.status === 'ok');
  const phases = Object.fromEntries(ONCE_PHASES.map((phase) => [phase, toSummary(ok.map((p) => p[`${phase}Ns`]))])) as BenchCell['phases'];
  const processMediansNs = ok.map((p) => p.perCallMedianNs!);
  const gm = geometricMeanInterval(processMediansNs, confidence);
  return {
    ...head,
    status: 'ok',
    ...(interrupted ? { reason: interrupted } : {}),
    phases,
    perCall: {
      ...toSummary(live.samples),
      samples: live.samples.length,
      processMediansNs,
      ...(gm ? { typical: { ns: gm.geometricMean, low: gm.low, high: gm.high, confidence } } : {}),
    },
  };
}

function reportCell(cell: BenchCell, bench: ResolvedBenchmark, regression?: string): Cell {
  const base = reportCellStatus(cell, bench);
  const lastPid = cell.processes.at(-1)?.pid;
  return {
    suite: cell.suite,
    case: cell.case,
    flavor: cell.flavor,
    runtime: cell.runtime,
    ...base,
    ...(regression ? { status: 'mismatch', reason: regression, oracle: 'reference' } : {}),
    ...(base.status === 'pass' && !regression && cell.reason ? { reason: cell.reason } : {}),
    ...(cell.phases && cell.perCall
      ? {
          timings: {
            loadMs: ms(cell.phases.compile.medianNs),
            instantiateMs: ms(cell.phases.instantiate.medianNs),
            initMs: 0,
            callMs: ms(cell.perCall.medianNs),
            moduleCacheHit: false,
          },
        }
      : {}),
    ...(cell.artifactHash ? { artifactHash: cell.artifactHash } : {}),
    ...(lastPid !== undefined && lastPid > 0 ? { pid: lastPid } : {}),
  };
}

export async function runBench(options: BenchOptions): Promise<BenchOutcome> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const loadStart = loadavg();
  const quiet = options.quiet ?? false;
  const defs = options.definitions;
  const processes = options.processes ?? defs.processes;
  const budgetMs = options.budgetMs ?? defs.budgetMs;
  const minIterations = options.minIterations ?? defs.minIterations;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const thresholdPct = options.thresholdPct ?? 5;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (!(processes >= 2)) throw new UsageError(`--processes: ${processes}; intervals need at least 2 processes per cell`);

  const suiteNames = [...new Set(defs.benchmarks.map((b) => b.suiteName))];
  for (const s of options.suites ?? []) {
    if (!suiteNames.includes(s)) throw new UsageError(`--suite: "${s}" has no benchmarks in ${defs.file}; suites with benchmarks: ${suiteNames.join(', ')}`);
  }
  const benchmarks = defs.benchmarks.filter((b) => !options.suites?.length || options.suites.includes(b.suiteName));
  const baseline = options.baselinePath ? readBenchBaseline(options.baselinePath) : undefined;

  // The runtimes, each as its own worker process reports it.
  const runtimeRecords = await Promise.all(
    options.runtimes.map(async (r) => {
      const worker = new RuntimeWorker(r);
      try {
        const info = await worker.describe();
        return { id: r.id, wasmtimeVersion: info.wasmtimeVersion, compatibilityHash: info.compatibilityHash };
      } catch (e) {
        return { id: r.id, wasmtimeVersion: r.wasmtime, error: (e as Error).message };
      } finally {
        await worker.close();
      }
    }),
  );

  // Build what the benchmarks need, one at a time.
  const flavorsUsed = options.flavors;
  const detections = await detectAll(flavorsUsed);
  const builds = new Map<string, BuildOutcome>();
  const buildKey = (b: ResolvedBenchmark, f: FlavorId) => `${b.suite.file}|${JSON.stringify(b.suite.sources)}|${f}`;
  const flavorsOf = (b: ResolvedBenchmark): Flavor[] =>
    flavorsUsed.filter((f) => (b.moduleFlavor ? f.id === b.moduleFlavor : applies(b.suite, f) && (!b.flavors || b.flavors.includes(f.id))));
  const toBuild = benchmarks.flatMap((b) => flavorsOf(b).filter((f) => f.target === 'wasm').map((f) => ({ b, f })));
  const buildProgress = startProgress('build', toBuild.length, { quiet });
  let built = 0;
  for (const { b, f } of toBuild) {
    const key = buildKey(b, f.id);
    buildProgress.update(built++, `${b.suiteName} ${f.id}`);
    if (builds.has(key)) continue;
    builds.set(key, await buildArtifact(b.suite, f, options.buildOptions ?? defaultBuildOptions, detections.get(f.id)!));
  }
  buildProgress.stop(`${builds.size} artifacts`);

  // Plan the cells.
  const cells: LiveCell[] = [];
  const unusable = new Map(runtimeRecords.filter((r) => r.error).map((r) => [r.id, r.error!]));
  for (const b of benchmarks) {
    for (const f of flavorsOf(b)) {
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
      for (const r of options.runtimes) {
        const cell: LiveCell = { key: cellKeyOf(b.suiteName, b.name, f.id, r.id), bench: b, flavor: f.id, runtime: r.id, processes: [], samples: [], added: false };
        if (b.testCase.flavors && !b.testCase.flavors.includes(f.id)) cell.notRun = { status: 'skipped', reason: `case not implemented by the ${f.id} guest` };
        else if (build.status === 'skipped') cell.notRun = { status: 'skipped', reason: build.reason };
        else if (build.status === 'failed') cell.notRun = { status: 'skipped', reason: `build failed: ${build.diagnostics[0]?.message ?? 'no diagnostics'}` };
        else if (unusable.has(r.id)) cell.notRun = { status: 'skipped', reason: `runtime ${r.id} unavailable: ${unusable.get(r.id)}` };
        if (build.status === 'built') cell.artifact = build.artifact;
        cells.push(cell);
      }
    }
  }

  const head: Omit<Report, 'cells'> = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'wasm-matrix',
    kind: 'bench',
    startedAt,
    complete: false,
    host: { platform: process.platform, arch: process.arch, node: process.version, cpus: cpus().length },
    runtimes: runtimeRecords,
    flavors: flavorsUsed.map((f) => {
      const d = detections.get(f.id)!;
      return { id: f.id, available: d.available, versions: d.versions, ...(d.available ? {} : { reason: d.missing.join('; ') }) };
    }),
    artifacts: [...builds.values()].flatMap((b) =>
      b.status === 'built' ? [{ suite: b.artifact.suite, flavor: b.artifact.flavor, hash: b.artifact.hash, sizeBytes: b.artifact.sizeBytes, kind: b.artifact.kind, cacheHit: b.artifact.cacheHit }] : [],
    ),
  };
  const writer = new ReportWriter(options.outDir, head);
  const benchCells = new Map<string, BenchCell>();
  const baselineRows = new Map<string, ReturnType<typeof baselineRow>>();

  const finishCell = (live: LiveCell, interrupted?: string) => {
    if (live.added) return;
    live.added = true;
    const cell = benchCellOf(live, confidence, interrupted);
    benchCells.set(cell.key, cell);
    let regression: string | undefined;
    if (baseline && !live.notRun && !interrupted) {
      const row = baselineRow(cell, baseline.get(cell.key), thresholdPct, confidence);
      baselineRows.set(cell.key, row);
      if (row.verdict === 'regression' && row.interval) {
        regression = `time regression against the baseline: per call ${formatInterval(row.interval)} of the baseline's, beyond the ${thresholdPct}% threshold`;
      }
    }
    writer.addCell(reportCell(cell, live.bench, regression));
  };

  // Cells that do not run are reported at once.
  for (const live of cells) if (live.notRun) finishCell(live);

  // The schedule: `processes` rounds, each a shuffled permutation of the runnable cells.
  const runnable = cells.filter((c) => !c.notRun);
  const random = seededRandom(seed);
  const rounds = Array.from({ length: processes }, () => shuffle(runnable, random));
  const totalJobs = runnable.length * processes;
  const progress = startProgress('bench', totalJobs, { quiet });
  let current: RuntimeWorker | undefined;
  let done = 0;

  const onSignal = (signal: NodeJS.Signals) => {
    const note = `interrupted by ${signal} after ${done} of ${totalJobs} processes`;
    for (const live of runnable) {
      if (live.added) continue;
      if (live.failed) finishCell(live);
      else if (live.processes.length >= 1) finishCell(live, `${note}: ${live.processes.length} of ${processes} processes measured`);
    }
    writer.markInterrupted(note);
    progress.stop(`${note}; ${writer.paths.json} holds the cells measured so far`);
    void current?.close();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const runtimeById = new Map(options.runtimes.map((r) => [r.id, r]));
  try {
    let order = 0;
    for (const [r, round] of rounds.entries()) {
      for (const live of round) {
        const position = order++;
        if (live.failed) continue; // the cell already ended with a status
        progress.update(done, `${live.key} #${r + 1}`);
        const { record, samples } = await measureOnce(live, runtimeById.get(live.runtime)!, r + 1, position, { budgetMs, minIterations }, (w) => (current = w));
        current = undefined;
        done++;
        live.processes.push(record);
        // A loop, not push(...samples): a process of a no-op call brings more samples than a call's arguments may hold.
        if (record.status === 'ok') for (const sample of samples) live.samples.push(sample);
        if (record.status !== 'ok') {
          live.failed = record;
          finishCell(live);
        } else if (live.processes.length === processes) {
          finishCell(live);
        }
      }
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  // A failed cell's remaining processes were never run.
  progress.stop(`${done} processes for ${runnable.length} cells`);

  const orderedCells = cells.map((c) => benchCells.get(c.key)!).filter(Boolean);
  const flavorInfo = flavorsUsed.map((f) => ({ id: f.id, language: f.language, target: f.target }));
  const bench: BenchData = {
    schemaVersion: BENCH_SCHEMA_VERSION,
    definitions: relative(projectRoot, defs.file).startsWith('..') ? defs.file : relative(projectRoot, defs.file),
    method: { processes, budgetMs, minIterations, confidence, interval: INTERVAL_METHOD },
    schedule: { seed, rounds: rounds.map((round) => round.map((c) => c.key)) },
    wallMs: performance.now() - t0,
    loadAverage: { start: loadStart, end: loadavg() },
    cells: orderedCells,
    comparisons: comparisons(orderedCells, flavorInfo, options.runtimes.map((r) => r.id), confidence),
    ...(baseline && options.baselinePath
      ? { baseline: baselineSummary(options.baselinePath, thresholdPct, cells.flatMap((c) => (baselineRows.has(c.key) ? [baselineRows.get(c.key)!] : []))) }
      : {}),
  };
  BenchData.parse(bench);
  const statusDiff = options.baselinePath ? baselineDiff(options.baselinePath, writer.report.cells) : undefined;
  const report = writer.finish({ bench, ...(statusDiff ? { baseline: statusDiff } : {}) });
  return { report, bench, exitCode: verdict(report).exitCode };
}

/** One fresh worker process measuring one cell once. */
async function measureOnce(
  live: LiveCell,
  runtime: Runtime,
  round: number,
  order: number,
  budget: { budgetMs: number; minIterations: number },
  onWorker: (w: RuntimeWorker) => void,
): Promise<{ record: ProcessRecord; samples: number[] }> {
  const prepared = prepareCall(live.bench.suite, live.bench.testCase, live.artifact!);
  const exec = prepared.request;
  const timeoutMs = exec.timeoutMs ?? 10_000;
  const request: BenchRequest = {
    type: 'bench',
    ...(exec.engine ? { engine: exec.engine } : {}),
    module: exec.module,
    ...(exec.instance ? { instance: exec.instance } : {}),
    ...(exec.lifecycle ? { lifecycle: exec.lifecycle } : {}),
    call: exec.call,
    budgetMs: budget.budgetMs,
    minIterations: budget.minIterations,
    timeoutMs,
    ...(exec.fuel !== undefined ? { fuel: exec.fuel } : {}),
  };
  // Compiling a 20 MB interpreter module, the warm-up and the iterations can
  // each take a guest deadline; past all of that the worker is stuck.
  const watchdogMs = 60_000 + 2 * budget.budgetMs + timeoutMs * (budget.minIterations + 6);
  const worker = new RuntimeWorker(runtime);
  onWorker(worker);
  const start = performance.now();
  try {
    const answer = await worker.request(request, watchdogMs);
    const wallMs = performance.now() - start;
    if (!answer.ok) return { record: failedRecord(round, order, wallMs, answer.pid, answer.failure, answer.message), samples: [] };
    const response = answer.response;
    if (response.type === 'bench') return { record: processRecord(round, order, wallMs, response.result), samples: response.result.perCallNs };
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
