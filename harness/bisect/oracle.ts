// The bisect's oracle: a version in, the cell's answer on that Wasmtime out.
// It reuses a built runtime (pinned or added on demand) and otherwise adds and
// builds one (`runtimes add`), then runs the cell in that runtime's own worker.
import { existsSync } from 'node:fs';
import type { Judgement } from '../model/judge.js';
import { loadOnDemandRuntimes, loadRuntimes, type Runtime } from '../config/runtimes.js';
import { ensureRuntime } from '../runtimes/add.js';
import { buildAddon } from '../runtimes/build-addons.js';
import { rawFromExec } from '../compare/observe.js';
import { benchRequestOf } from '../workers/requests.js';
import { execOn } from '../workers/exec.js';
import { RuntimeWorker } from '../workers/runtime-worker.js';
import type { Answer } from './search.js';
import type { BisectTarget } from './target.js';
import { detectValgrind } from '../bench/callgrind.js';
import { countPrepared } from '../bench/instructions.js';

export type Measure = 'result' | 'time' | 'instructions';

/** How a version's runtime was obtained, for the report. */
export interface RuntimeUse {
  version: string;
  runtimeId?: string;
  /** `reused` (already built), `built` (compiled now, with its seconds), or `unavailable`. */
  how: 'reused' | 'built' | 'unavailable';
  seconds?: number;
  reason?: string;
}

export interface OracleOptions {
  measure: Measure;
  /** Only versions whose addon is already built; never compile. */
  noBuild?: boolean;
  /** Time measure: worker processes per version and tinybench budget per process. */
  processes?: number;
  budgetMs?: number;
  onRuntime?: (use: RuntimeUse) => void;
  quiet?: boolean;
}

/** The built runtime of an exact version, pinned first, without asking crates.io. */
export function builtRuntime(version: string): Runtime | undefined {
  return [...loadRuntimes(), ...loadOnDemandRuntimes()].find((r) => r.wasmtime === version && existsSync(r.addonPath));
}

/** What of a judgement the bisect compares: status and observed values, never free-text messages. */
export function resultKey(j: Judgement): string {
  const a = j.actual ?? {};
  const { error: _error, ...compared } = a;
  // Messages of host failures change wording between versions; the status says enough.
  return JSON.stringify({ status: j.status, ...(j.status === 'unsupported' || j.status === 'crash' || j.status === 'hang' ? {} : compared) });
}

/** A short rendering of a judgement for progress lines and the report. */
export function resultDisplay(j: Judgement): string {
  const a = j.actual ?? {};
  const detail =
    a.values?.join(' ') ??
    (a.output ? (a.output.utf8 !== undefined ? JSON.stringify(a.output.utf8.slice(0, 60)) : `0x${a.output.hex.slice(0, 32)}`) : undefined) ??
    (a.exitCode !== undefined ? `exit ${a.exitCode}${a.stdout ? `, stdout ${JSON.stringify(a.stdout.slice(0, 40))}` : ''}` : undefined) ??
    a.trap ??
    a.guestError ??
    j.reason ??
    a.error;
  // A host message starts with the module's path, which says nothing about the version.
  const text = detail ? `${j.status}: ${detail.replace(/^\S+\.(wasm|wat|cwasm): /, '')}` : j.status;
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

export class BisectOracle {
  private readonly runtimes = new Map<string, Promise<Runtime | { unavailable: string }>>();
  /** Every runtime obtained, in order, for the report. */
  readonly uses: RuntimeUse[] = [];

  constructor(
    private readonly target: BisectTarget,
    private readonly options: OracleOptions,
  ) {}

  /** True when the version's addon is already built (the search prefers those). */
  isCheap = (version: string): boolean => builtRuntime(version) !== undefined;

  private runtimeFor(version: string): Promise<Runtime | { unavailable: string }> {
    let found = this.runtimes.get(version);
    if (!found) {
      found = this.obtain(version);
      this.runtimes.set(version, found);
    }
    return found;
  }

  private async obtain(version: string): Promise<Runtime | { unavailable: string }> {
    const note = (use: RuntimeUse) => {
      this.uses.push(use);
      this.options.onRuntime?.(use);
    };
    const built = builtRuntime(version);
    if (built && (this.options.noBuild || built.pinned)) {
      note({ version, runtimeId: built.id, how: 'reused' });
      return built;
    }
    if (this.options.noBuild) {
      note({ version, how: 'unavailable', reason: 'not built (--no-build)' });
      return { unavailable: 'not built (--no-build)' };
    }
    try {
      const { runtime } = await ensureRuntime(version);
      // Cargo decides: a built runtime whose source is unchanged costs a second.
      const build = await buildAddon(runtime, { quiet: this.options.quiet });
      if (build.status !== 'built') {
        note({ version, runtimeId: runtime.id, how: 'unavailable', reason: build.reason });
        return { unavailable: `${build.reason}; build it with: ${build.command}` };
      }
      note({ version, runtimeId: runtime.id, how: built && !build.changed ? 'reused' : 'built', seconds: build.seconds });
      return runtime;
    } catch (e) {
      const reason = `could not build: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`;
      note({ version, how: 'unavailable', reason });
      return { unavailable: reason };
    }
  }

  /** The cell's answer on `version` (one attempt: fresh workers, so no state carries over). */
  ask = async (version: string): Promise<Answer> => {
    const runtime = await this.runtimeFor(version);
    if ('unavailable' in runtime) return { kind: 'skip', reason: runtime.unavailable };
    try {
      if (this.options.measure === 'instructions') return await this.instructions(runtime);
      return this.options.measure === 'time' ? await this.time(runtime) : await this.result(runtime);
    } catch (e) {
      // The worker did not start (its addon failed to load): this version cannot be judged.
      return { kind: 'skip', reason: (e as Error).message };
    }
  };

  /** The cell's result, judged by the compare stage's judge. */
  private async result(runtime: Runtime): Promise<Answer> {
    const worker = new RuntimeWorker(runtime);
    const prepared = this.target.prepare();
    try {
      const judgement = this.target.judge(rawFromExec(await execOn(worker, prepared.request)));
      return { kind: 'value', key: resultKey(judgement), display: resultDisplay(judgement) };
    } finally {
      prepared.cleanup();
      await worker.close();
    }
  }

  /** Instructions per call under callgrind (see countedPerCall). */
  private instructions(runtime: Runtime): Promise<Answer> {
    return countedPerCall(this.target, runtime);
  }

  /**
   * Per-call time: the fastest of a few worker processes' median per-call time
   * (processes here run either at full speed or ~1.6x slower for their whole
   * life, so the minimum over processes is the stable figure).
   */
  private async time(runtime: Runtime): Promise<Answer> {
    const processes = this.options.processes ?? 3;
    const medians: number[] = [];
    for (let i = 0; i < processes; i++) {
      const prepared = this.target.prepare();
      const exec = prepared.request;
      const request = benchRequestOf(exec, { budgetMs: this.options.budgetMs ?? 300, minIterations: 5 });
      const worker = new RuntimeWorker(runtime);
      try {
        const answer = await worker.request(request, 120_000 + 10 * (exec.timeoutMs ?? 10_000));
        if (!answer.ok) return { kind: 'skip', reason: `${answer.failure}: ${answer.message}` };
        if (answer.response.type !== 'bench') {
          return { kind: 'skip', reason: answer.response.type === 'refused' ? answer.response.message : `unexpected reply ${answer.response.type}` };
        }
        const samples = [...answer.response.result.perCallNs].sort((a, b) => a - b);
        if (samples.length === 0) return { kind: 'skip', reason: 'no timed calls (the call did not end ok)' };
        medians.push(samples[Math.floor(samples.length / 2)]!);
      } finally {
        prepared.cleanup();
        await worker.close();
      }
    }
    const best = Math.min(...medians);
    return { kind: 'value', key: String(best), display: formatNs(best), value: best };
  }
}

/**
 * Instructions per steady-state call, counted under callgrind in one fresh
 * worker (bench/instructions.ts). The count is exact, so the search's repeats
 * agree; repeats that differ beyond the threshold leave the version not judged.
 */
async function countedPerCall(target: BisectTarget, runtime: Runtime): Promise<Answer> {
  const valgrind = detectValgrind();
  if (!valgrind.available) return { kind: 'skip', reason: valgrind.reason };
  const { record } = await countPrepared(target.prepare(), runtime, 1, 0, { valgrind: valgrind.command, calls: 3 });
  const perCall = record.counts?.perCall;
  if (record.status !== 'ok' || !perCall) return { kind: 'skip', reason: `${record.status}: ${record.message ?? 'not counted'}` };
  const value = perCall.instructions / perCall.calls;
  return { kind: 'value', key: String(value), display: `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })} instructions per call`, value };
}

function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms per call`;
  if (ns >= 1e3) return `${(ns / 1e3).toPrecision(3)} µs per call`;
  return `${ns.toPrecision(3)} ns per call`;
}
