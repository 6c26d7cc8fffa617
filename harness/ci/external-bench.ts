// Timing a prebuilt WASI command that marks its own measured region with
// `bench.start` / `bench.end` imports (the sightglass convention), for
// `wasm-matrix bench --external DIR` (the command itself lives with `bench`).
//
// Per module and runtime: one `exec` with the hooks linked checks that the
// program exits 0 and prints what X.stdout.expected (or default.stdout.expected
// in the same folder) says, and likewise for stderr; then `runs` worker
// `bench` requests each time a fresh run and return the regions the host
// timed between start and end (`regionNs`), so setup and teardown outside the
// region never count. X.json beside the module (the `run --external` spec)
// gives args, env and folders when present.
//
// Cost: the worker's bench request also runs its steady-state loop (warm-up
// plus at least one sample) after the first call; only the first call's
// regions come back, so keep `budgetMs` small.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { summarize } from '../util/wasm-summary.js';
import { observation, rawFromExec } from '../compare/observe.js';
import { judge } from '../model/judge.js';
import type { Observed } from '../model/observation.js';
import { formatZodIssues } from '../config/load.js';
import type { Runtime } from '../config/runtimes.js';
import { execOn } from '../workers/exec.js';
import type { BenchRequest, EngineOptions, ExecOutcome } from '../workers/protocol.js';
import { RuntimeWorker } from '../workers/runtime-worker.js';
import { WorkerPool } from '../workers/pool.js';
import { UsageError } from '../errors.js';
import { ExternalSpec, freshDirs } from './external.js';

/** How `bench --external` times each module. */
export interface ExternalBenchOptions {
  /** Bench requests, each one fresh run whose regions are kept (default 3). */
  runs?: number;
  /** Budget of the worker's steady-state loop per request (default 1 ms: the minimum). */
  budgetMs?: number;
  /** Guest time limit per run (default 60 s). */
  timeoutMs?: number;
  engine?: EngineOptions;
}

/** An expected output file and whether the program matched it. */
export interface ExpectedOutput {
  file: string;
  matches: boolean;
  expected: string;
  actual: string;
}

/** One module on one runtime: its status and the timed regions. */
export interface ExternalBenchResult {
  module: string;
  runtime: string;
  /** `mismatch`: stdout/stderr differ from the expected file or the exit code is not 0. */
  status: 'ok' | 'mismatch' | 'error' | 'trap' | 'timeout' | 'crash' | 'hang';
  message?: string;
  /** Every timed region of every run, in nanoseconds. */
  regionNs: number[];
  runs: { pid: number; regionNs: number[]; firstCallNs: number; compileNs: number; instantiateNs: number }[];
  stdout?: ExpectedOutput;
  stderr?: ExpectedOutput;
  exitCode?: number;
}

/** X.<stream>.expected, else default.<stream>.expected, beside the module. */
export function expectedFile(modulePath: string, stream: 'stdout' | 'stderr'): string | undefined {
  const dir = dirname(modulePath);
  const stem = basename(modulePath).replace(/\.wasm$/, '');
  return [join(dir, `${stem}.${stream}.expected`), join(dir, `default.${stream}.expected`)].find((f) => existsSync(f));
}

/**
 * Times `modulePath` on one runtime. `runtime` is a runtime (a worker is
 * started and closed here) or a worker the caller owns (left running).
 */
export async function benchExternalModule(modulePath: string, runtime: Runtime | RuntimeWorker, options: ExternalBenchOptions = {}): Promise<ExternalBenchResult> {
  const module = resolve(modulePath);
  const worker = runtime instanceof RuntimeWorker ? runtime : new RuntimeWorker(runtime);
  const runtimeId = worker.runtime.id;
  const result: ExternalBenchResult = { module, runtime: runtimeId, status: 'ok', regionNs: [], runs: [] };
  const fail = (status: ExternalBenchResult['status'], message: string): ExternalBenchResult => Object.assign(result, { status, message });

  try {
    // The module must import the hooks, or there is no region to time.
    let bytes: Buffer;
    try {
      bytes = readFileSync(module);
    } catch (e) {
      return fail('error', `cannot read ${module}: ${(e as Error).message}`);
    }
    let imports: { module: string; name: string }[];
    try {
      imports = summarize(bytes).imports;
    } catch (e) {
      return fail('error', `${module}: ${(e as Error).message}`);
    }
    const hooks = ['start', 'end'].filter((n) => imports.some((i) => i.module === 'bench' && i.name === n));
    if (hooks.length < 2) return fail('error', `${module} does not import bench.start and bench.end; nothing to time`);

    // The spec beside it, when there is one.
    let spec = ExternalSpec.parse({});
    const specPath = module.replace(/\.wasm$/, '.json');
    if (specPath !== module && existsSync(specPath)) {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(specPath, 'utf8'));
      } catch (e) {
        return fail('error', `bad spec file ${specPath}: not valid JSON: ${(e as Error).message}`);
      }
      const parsed = ExternalSpec.safeParse(raw);
      if (!parsed.success) return fail('error', `bad spec file ${specPath}: ${formatZodIssues(parsed.error)}`);
      spec = parsed.data;
    }
    const timeoutMs = options.timeoutMs ?? spec.timeout_ms ?? 60_000;
    const instance = (preopens: { host: string; guest: string }[]) => ({
      args: [basename(module), ...spec.args],
      env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
      preopens,
      benchHooks: true,
    });

    // One checked run: exit code and expected output.
    {
      const dirs = freshDirs(dirname(module), spec.dirs);
      try {
        const answer = await execOn(worker, { type: 'exec', engine: options.engine ?? {}, module: { kind: 'file', path: module }, timeoutMs, instance: instance(dirs.preopens), lifecycle: 'none', call: { style: 'command' } });
        if (answer.status === 'crash' || answer.status === 'hang') return fail(answer.status, answer.message);
        const run = answer as ExecOutcome;
        if (run.status !== 'ok') return fail(run.status === 'guest-error' ? 'error' : run.status, `${run.phase ? `${run.phase}: ` : ''}${run.message ?? run.trap ?? run.status}`);
        result.exitCode = run.exitCode ?? 0;
        const expected: Observed = { exitCode: 0 };
        for (const stream of ['stdout', 'stderr'] as const) {
          const file = expectedFile(module, stream);
          if (!file) continue;
          expected[stream] = readFileSync(file, 'utf8');
          const actual = Buffer.from(run[stream] ?? new Uint8Array()).toString('utf8');
          result[stream] = { file, matches: expected[stream] === actual, expected: expected[stream]!, actual };
        }
        // The one judge decides; the message names every stream that differs.
        const j = judge(observation(rawFromExec(answer), { style: 'command', args: [], env: {}, dirs: [] }), { kind: 'expectation', expected });
        if (j.status !== 'pass') {
          const wrong = (['stdout', 'stderr'] as const).filter((s) => result[s] && !result[s]!.matches);
          return fail('mismatch', result.exitCode !== 0 ? `exited with code ${result.exitCode}` : wrong.map((s) => `${s} differs from ${result[s]!.file}`).join('; ') || (j.reason ?? j.status));
        }
      } finally {
        dirs.cleanup();
      }
    }

    // Timed runs.
    const runs = Math.max(1, options.runs ?? 3);
    for (let i = 0; i < runs; i++) {
      const dirs = freshDirs(dirname(module), spec.dirs);
      try {
        const request: BenchRequest = {
          type: 'bench',
          engine: options.engine ?? {},
          module: { kind: 'file', path: module },
          instance: instance(dirs.preopens),
          lifecycle: 'none',
          call: { style: 'command' },
          budgetMs: options.budgetMs ?? 1,
          minIterations: 1,
        };
        const answer = await worker.request(request, timeoutMs * 10 + 90_000);
        if (!answer.ok) return fail(answer.failure, answer.message);
        const response = answer.response;
        if (response.type !== 'bench') return fail('error', response.type === 'refused' ? response.message : `unexpected reply ${response.type}`);
        const r = response.result;
        if (r.status !== 'ok') return fail(r.status === 'guest-error' ? 'error' : r.status, r.message ?? r.trap ?? r.status);
        const regions = r.regionNs ?? [];
        if (regions.length === 0) return fail('error', `${module} never called bench.start then bench.end`);
        result.runs.push({ pid: r.pid, regionNs: regions, firstCallNs: r.firstCallNs, compileNs: r.compileNs, instantiateNs: r.instantiateNs });
        result.regionNs.push(...regions);
      } finally {
        dirs.cleanup();
      }
    }
    return result;
  } finally {
    if (!(runtime instanceof RuntimeWorker)) await worker.close();
  }
}

/**
 * Every `.wasm` of a folder on every runtime, one worker per runtime (runtimes
 * in parallel, modules in name order): what `bench --external DIR` reports.
 */
export async function benchExternalDir(dirArg: string, runtimes: Runtime[], options: ExternalBenchOptions = {}): Promise<ExternalBenchResult[]> {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--external: ${dir} is not a folder`);
  const modules = readdirSync(dir)
    .filter((f) => f.endsWith('.wasm') && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => join(dir, f));
  if (modules.length === 0) throw new UsageError(`--external: ${dir} has no .wasm files`);
  const pool = new WorkerPool(runtimes);
  try {
    const perRuntime = await Promise.all(
      runtimes.map(async (runtime) => {
        const results: ExternalBenchResult[] = [];
        for (const module of modules) results.push(await benchExternalModule(module, pool.worker(runtime.id), options));
        return results;
      }),
    );
    return modules.flatMap((_, i) => perRuntime.map((list) => list[i]!));
  } finally {
    await pool.close();
  }
}
