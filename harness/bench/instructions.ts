// The instruction measure of `bench` (`--measure instructions|both`): one
// counting process of a cell under callgrind (its dump files read and removed),
// a cell's counts over its processes (exact, or named nondeterministic), the
// ratio tables of counts, and the baseline rule on counts. Counts are exact,
// so none of this needs an interval: a ratio is a ratio, and two processes of
// the same build must agree to the instruction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../config/runtimes.js';
import { MAX_TIMEOUT_MS } from '../config/limits.js';
import type { BenchResult, CountRequest } from '../workers/protocol.js';
import { type PreparedCall, prepareCall, sameCallAs } from '../workers/requests.js';
import { RuntimeWorker } from '../workers/runtime-worker.js';
import { CALLGRIND_SLOWDOWN, callgrindLaunch, readDumps } from './callgrind.js';
import { comparedPairs, type FlavorInfo } from './pairs.js';
import type { BuiltArtifact } from '../build/build.js';
import type { ResolvedBenchmark } from './definitions.js';
import {
  type BenchCell,
  type CellInstructions,
  type CountProcess,
  type InstructionBaselineRow,
  type InstructionComparison,
  type Phase,
  PHASES,
  type PhaseInstructions,
} from './schema.js';

/** Counting processes per cell: the second one checks that the counts are exact. */
export const COUNT_PROCESSES = 2;
/** Steady-state calls counted per process unless `--count-calls` says otherwise. */
export const DEFAULT_COUNT_CALLS = 3;

/** What the report says was counted and what not. */
export const COUNTED =
  "compile, precompile, deserialize, instantiate: the whole Rust entry point (Wasmtime's work); first call and steady state of a core module: each guest call through Wasmtime (entering and leaving wasm, the guest's instructions, WASI calls it makes), of a component the whole call entry point; on the calling thread only";
/** What the report says was not counted. */
export const NOT_COUNTED =
  "Node, V8 and the harness's JavaScript, napi's and the addon's conversion of arguments and results, the host's copies of a dispatcher call's input and output, other threads (the epoch ticker, V8's helpers), the kernel (system calls, page faults), and the life-cycle step (_initialize / _start) outside the steady state of a command";

/** How a cell is counted. */
export interface CountSettings {
  valgrind: string;
  calls: number;
}

/** One counting process of a cell under callgrind; its dump files are read, then removed. */
export function countOnce(
  live: { bench: ResolvedBenchmark; artifact?: BuiltArtifact | undefined },
  runtime: Runtime,
  round: number,
  order: number,
  settings: CountSettings,
  onWorker: (w: RuntimeWorker) => void,
): Promise<{ record: CountProcess; answer?: BenchResult['answer']; guestOutput?: BenchResult['guestOutput'] }> {
  const prepared = live.bench.prepare ? live.bench.prepare(live.artifact!) : prepareCall(live.bench.suite, live.bench.testCase, live.artifact!);
  return countPrepared(prepared, runtime, round, order, settings, onWorker);
}

/** One counting process of a prepared call (a bench cell's, or bisect's target) under callgrind; cleans the call up. */
export async function countPrepared(
  prepared: PreparedCall,
  runtime: Runtime,
  round: number,
  order: number,
  settings: CountSettings,
  onWorker: (w: RuntimeWorker) => void = () => {},
): Promise<{ record: CountProcess; answer?: BenchResult['answer']; guestOutput?: BenchResult['guestOutput'] }> {
  const exec = prepared.request;
  const timeoutMs = exec.timeoutMs ?? 10_000;
  const request: CountRequest = {
    type: 'count',
    ...sameCallAs(exec),
    calls: settings.calls,
    // A deadline is wall-clock time, and guest code runs far slower under callgrind.
    timeoutMs: Math.min(MAX_TIMEOUT_MS, timeoutMs * CALLGRIND_SLOWDOWN),
  };
  const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-callgrind-'));
  const worker = new RuntimeWorker(runtime, callgrindLaunch(settings.valgrind, dir));
  onWorker(worker);
  const start = performance.now();
  const head = () => ({ round, order, wallMs: performance.now() - start });
  try {
    const answer = await worker.request(request, 600_000 + timeoutMs * CALLGRIND_SLOWDOWN * (settings.calls + 4));
    await worker.close(); // callgrind writes its last file on exit
    if (!answer.ok) return { record: { ...head(), pid: answer.pid, status: answer.failure, message: `under callgrind: ${answer.message}` }, ...(answer.output ? { guestOutput: answer.output } : {}) };
    const response = answer.response;
    if (response.type !== 'counted') {
      const message = response.type === 'refused' ? `the worker refused the request: ${response.message}` : `unexpected reply ${response.type}`;
      return { record: { ...head(), pid: answer.pid, status: 'error', message } };
    }
    const result = response.result;
    const failed = { ...head(), pid: result.pid, ...(result.message ? { message: result.message } : {}), ...(result.trap ? { trap: result.trap } : {}) };
    if (result.status !== 'ok') return { record: { ...failed, status: result.status } };
    if (!result.underValgrind) return { record: { ...failed, status: 'error', message: `the worker did not run under valgrind (${settings.valgrind}): nothing was counted` } };
    const dumps = readDumps(dir, result.pid);
    const labels = dumps.map((d) => d.label).join(', ');
    const expected = result.regions.map((r) => r.phase).join(', ');
    if (labels !== expected) return { record: { ...failed, status: 'error', message: `callgrind wrote dumps [${labels}] where the worker counted [${expected}]` } };
    const counts = Object.fromEntries(result.regions.map((r, i) => [r.phase, { instructions: dumps[i]!.instructions, calls: r.calls }]));
    return { record: { ...head(), pid: result.pid, status: 'ok', counts }, ...(result.answer ? { answer: result.answer } : {}) };
  } catch (e) {
    return { record: { ...head(), pid: worker.pid ?? -1, status: 'crash', message: `under callgrind: ${(e as Error).message}` } };
  } finally {
    await worker.close();
    rmSync(dir, { recursive: true, force: true });
    prepared.cleanup();
  }
}

/** A cell's counts over its processes; a phase whose processes disagree is named nondeterministic. */
export function cellInstructions(processes: CountProcess[]): CellInstructions {
  const ok = processes.filter((p) => p.status === 'ok' && p.counts);
  if (!ok.length || ok.length !== processes.length) return { processes };
  const phases: Partial<Record<Phase, PhaseInstructions>> = {};
  const nondeterministic: Phase[] = [];
  for (const phase of PHASES) {
    const counts = ok.map((p) => p.counts![phase]);
    if (counts.some((c) => c === undefined)) continue;
    const totals = counts.map((c) => c!.instructions);
    const first = counts[0]!;
    const deterministic = totals.every((t) => t === totals[0]) && counts.every((c) => c!.calls === first.calls);
    if (!deterministic) nondeterministic.push(phase);
    phases[phase] = { perCall: first.instructions / first.calls, total: first.instructions, calls: first.calls, deterministic, min: Math.min(...totals), max: Math.max(...totals) };
  }
  return { processes, phases, nondeterministic };
}

/** A phase's count of a cell, per call, when counted. */
const perCall = (cell: BenchCell, phase: Phase): number | undefined => cell.instructions?.phases?.[phase]?.perCall;

/** Every phase's count ratio of two cells, or one row saying why there is none. */
function compareCounts(base: Omit<InstructionComparison, 'phase'>, reference: BenchCell, candidate: BenchCell): InstructionComparison[] {
  const missing = [reference, candidate].filter((c) => !c.instructions?.phases);
  if (missing.length) {
    const side = (c: BenchCell) => `${base.kind === 'flavor' ? c.flavor : c.runtime}: ${c.status}${c.reason ? ` (${c.reason.slice(0, 120)})` : ''}`;
    return [{ ...base, phase: 'perCall', missing: missing.map(side).join('; ') }];
  }
  return PHASES.flatMap((phase) => {
    const r = perCall(reference, phase);
    const c = perCall(candidate, phase);
    if (r === undefined || c === undefined) return [];
    return [{ ...base, phase, referencePerCall: r, candidatePerCall: c, ...(r > 0 ? { ratio: c / r } : { missing: 'the reference counted 0 instructions' }) }];
  });
}

/** The count tables: the same pairs as the time tables (bench/pairs.ts). */
export function instructionComparisons(cells: BenchCell[], flavors: FlavorInfo[], runtimeOrder: string[]): InstructionComparison[] {
  return comparedPairs(cells, flavors, runtimeOrder).flatMap((p) => compareCounts(p.label, p.reference, p.candidate));
}

/**
 * One cell's counts against the baseline's. A phase regressed when its
 * count per call grew by more than the threshold; the counts are exact, so
 * there is no interval. A phase whose processes disagreed (now or in the
 * baseline: host-side allocator and hash-seed state move compile and
 * instantiate by up to a few percent) is shown but not gated, so disagreement
 * alone can never look like a regression.
 */
export function instructionBaselineRow(now: BenchCell, before: BenchCell | undefined, thresholdPct: number): InstructionBaselineRow {
  const key = now.key;
  if (!before) return { key, phases: [], verdict: 'not-compared', reason: 'not in the baseline' };
  if (!now.instructions?.phases) return { key, phases: [], verdict: 'not-compared', reason: `not counted now: ${now.status}` };
  if (!before.instructions?.phases) return { key, phases: [], verdict: 'not-compared', reason: before.instructions ? `not counted in the baseline: ${before.status}` : 'the baseline has no instruction counts' };
  const limit = 1 + thresholdPct / 100;
  const phases: InstructionBaselineRow['phases'] = [];
  for (const phase of PHASES) {
    const n = now.instructions.phases[phase];
    const b = before.instructions.phases[phase];
    if (!n || !b || b.min <= 0) continue;
    const ratio = n.perCall / b.perCall;
    // A count the processes disagreed on (now or in the baseline) is not exact, so it is not gated.
    const verdict = !n.deterministic || !b.deterministic ? 'not-gated' : ratio > limit ? 'regression' : ratio < 1 / limit ? 'improvement' : 'same';
    phases.push({ phase, baseline: b.perCall, now: n.perCall, ratio, verdict });
  }
  if (!phases.length) return { key, phases, verdict: 'not-compared', reason: 'no phase counted on both sides' };
  const verdict = phases.some((p) => p.verdict === 'regression') ? 'regression' : phases.some((p) => p.verdict === 'improvement') ? 'improvement' : 'same';
  return { key, phases, verdict };
}
