// A benchmark cell from measuring to the report: its live state, its bench
// cell (times, or how it ended) and its report cell, whose status the one
// judge (model/judge.ts) decides.
import type { BuiltArtifact } from '../build/build.js';
import { expectationOracle } from '../compare/judge.js';
import { observation } from '../compare/observe.js';
import type { FlavorId } from '../config/suite.js';
import { type Cell, cellKey } from '../model/cell.js';
import { buildFailed, cellOf, judge, type Judgement, notRun, type Oracle, regressed } from '../model/judge.js';
import type { GuestOutput, Observation } from '../model/observation.js';
import { isFailure } from '../model/verdict.js';
import type { BenchResult } from '../workers/protocol.js';
import type { ResolvedBenchmark } from './definitions.js';
import { cellInstructions } from './instructions.js';
import { type BenchCell, type CountProcess, type MeasureStatus, ONCE_PHASES, type ProcessRecord, type Summary } from './schema.js';
import { geometricMeanInterval, mean, median, summarize } from './stats.js';

/** A cell of the run while it is measured. */
export interface LiveCell {
  key: string;
  bench: ResolvedBenchmark;
  flavor: FlavorId;
  runtime: string;
  artifact?: BuiltArtifact;
  /** Not run at all: skipped or unsupported, with the reason (and the summary of a failed build). */
  notRun?: { status: 'skipped' | 'unsupported'; reason: string; buildFailure?: string };
  /** The judged first answer: of the first process, or of the first one whose answer was wrong (which ends the cell). */
  answer?: Judgement;
  processes: ProcessRecord[];
  samples: number[];
  /** Counting processes under callgrind (`--measure instructions|both`). */
  counts?: CountProcess[];
  /** The first process that did not end `ok`; the cell ends with it. */
  failed?: ProcessRecord;
  /** What the guest wrote in the process that failed (or in the first call, when all went well). */
  guestOutput?: GuestOutput;
  added: boolean;
}

const ms = (ns: number) => ns / 1e6;
const toSummary = (xs: number[]): Summary => {
  const s = summarize(xs);
  return { n: s.n, medianNs: s.median, meanNs: s.mean, stddevNs: s.stddev, madNs: s.mad, iqrNs: s.iqr, minNs: s.min, maxNs: s.max };
};
/** A bench cell's key (model/cell.ts cellKey). */
export const cellKeyOf = (suite: string, name: string, flavor: string, runtime: string) => cellKey({ suite, case: name, flavor, runtime });

/** The oracle of a benchmark cell: its case's expectation when it applies, else "a result". */
function benchOracle(bench: ResolvedBenchmark): Oracle {
  if (bench.oracle) return bench.oracle;
  return bench.expectationApplies && bench.testCase.expect ? expectationOracle(bench.testCase) : { kind: 'result' };
}

/** The first call's answer of a process that ended ok, judged like a run's cell. */
export function judgeAnswer(bench: ResolvedBenchmark, answer: BenchResult['answer']): Judgement {
  const { benchMarks, ...rest } = answer ?? {};
  const seen = observation({ status: 'ok', ...rest }, bench.testCase.call);
  if (benchMarks) seen.observed.benchMarks = benchMarks;
  return judge(seen, benchOracle(bench));
}

/** What a measured call ended in, as the observation the judge reads. */
function observationOf(cell: BenchCell, output: GuestOutput | undefined): Observation {
  const message = cell.reason ?? '';
  // A cut stream goes with a trap or timeout: the guest's failed write past the cap may have caused it.
  const cut = { ...(output?.stdoutTruncated ? { stdoutTruncated: true as const } : {}), ...(output?.stderrTruncated ? { stderrTruncated: true as const } : {}) };
  switch (cell.status) {
    case 'trap':
      return { observed: { trap: cell.trap ?? 'other', ...cut } };
    case 'timeout':
      return { observed: { timeout: true, ...cut } };
    case 'guest-error':
      return { observed: { guestError: message } };
    case 'crash':
    case 'hang':
    case 'unsupported':
      return { observed: { error: message }, hostFailure: { status: cell.status, message } };
    default:
      return { observed: { error: message } };
  }
}

/**
 * The status of a bench cell, decided by the one judge (model/judge.ts): a
 * wrong answer of a first call, or how measuring ended, against the case's
 * expectation when it applies. Reasons say the call was being timed.
 */
function judgeBenchCell(cell: BenchCell, live: LiveCell): Judgement {
  if (live.notRun) return live.notRun.buildFailure !== undefined ? buildFailed(live.notRun.buildFailure) : notRun(live.notRun.status, live.notRun.reason);
  if (live.answer && isFailure(live.answer)) return { ...live.answer, reason: `${live.answer.reason ?? 'wrong answer'} (first call of a timed process)` };
  // Every process ended ok, so the first one's answer was judged.
  if (cell.status === 'ok') return live.answer!;
  const j = judge(observationOf(cell, live.guestOutput), benchOracle(live.bench));
  if (j.status === 'guest-error') return { ...j, reason: 'a guest error: nothing to time' };
  if (j.reason === undefined || j.status === 'crash' || j.status === 'hang' || j.status === 'unsupported') return j;
  const message = cell.reason ? `: ${cell.reason}` : '';
  return { ...j, reason: `${j.reason} while timed${cell.status === 'trap' || cell.status === 'timeout' || cell.status === 'error' ? message : ''}` };
}

/** The record of one process that answered. */
export function processRecord(round: number, order: number, wallMs: number, result: BenchResult): ProcessRecord {
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

/** The record of one process that failed before measuring. */
export function failedRecord(round: number, order: number, wallMs: number, pid: number, status: MeasureStatus, message: string): ProcessRecord {
  return { round, order, pid, status, message, compileNs: 0, precompileNs: 0, deserializeNs: 0, instantiateNs: 0, firstCallNs: 0, samples: 0, wallMs };
}

/** The bench cell of a live cell: its times when every process completed, else its status. */
export function benchCellOf(live: LiveCell, confidence: number, interrupted?: string): BenchCell {
  const [suite, name] = [live.bench.suiteName, live.bench.name];
  const head = {
    key: live.key,
    suite,
    case: name,
    ...(live.bench.calls !== name ? { calls: live.bench.calls } : {}),
    ...(live.bench.inputNote ? { input: live.bench.inputNote } : {}),
    flavor: live.flavor,
    runtime: live.runtime,
    ...(live.bench.regionRuns ? { measures: 'region' as const } : {}),
    ...(live.artifact ? { artifactHash: live.artifact.hash, artifactSizeBytes: live.artifact.sizeBytes } : {}),
    processes: live.processes,
    ...(live.counts?.length ? { instructions: cellInstructions(live.counts) } : {}),
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
  // Counted only (`--measure instructions`): no times.
  if (!ok.length) return { ...head, status: 'ok', ...(interrupted ? { reason: interrupted } : {}) };
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

/** The report cell of a bench cell: its judged status, the regression rule's verdict, and its median times. */
export function reportCell(cell: BenchCell, live: LiveCell, regression?: string): Cell {
  const j = judgeBenchCell(cell, live);
  const lastPid = cell.processes.at(-1)?.pid;
  const coordinates = { suite: cell.suite, case: cell.case, flavor: cell.flavor, runtime: cell.runtime };
  const judged: Judgement = regression
    ? regressed(regression)
    : j.status === 'pass' && (cell.reason ?? live.bench.note)
      ? { ...j, reason: cell.reason ?? live.bench.note }
      : j;
  return cellOf(coordinates, judged, {
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
    ...(live.guestOutput ? { guestOutput: live.guestOutput } : {}),
  });
}

