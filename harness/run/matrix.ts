// The differential run: build what is missing, run every cell on the workers
// (runtimes in parallel, each runtime's cells in order), judge each cell as
// soon as its oracle is known, and append it to the cell log at once.
import { buildSelection, type BuildOutcome, type BuiltArtifact } from '../build/build.js';
import type { Runtime } from '../config/runtimes.js';
import type { Suite } from '../config/suite.js';
import { type BuildOptions, defaultBuildOptions, type Flavor } from '../toolchains/flavor.js';
import { detectAll } from '../toolchains/registry.js';
import { execOn } from '../workers/exec.js';
import { WorkerPool } from '../workers/pool.js';
import { verdictOf } from '../model/verdict.js';
import type { Report } from '../report/schema.js';
import { startProgress } from '../util/progress.js';
import { Finalizer } from './finalize.js';
import { NATIVE_RUNTIME, newestRuntime, planCells, type PlannedCell, shardCells } from './plan.js';
import { prepareCall } from '../workers/requests.js';
import { guestOutputOfExec, rawFromExec } from '../compare/observe.js';
import { runNativeCells } from './native.js';
import { artifactRecord, cellTimings, describeRuntimes, flavorRecords, RunSession } from './session.js';

/** What `run` is asked to do. */
export interface MatrixOptions {
  suites: Suite[];
  flavors: Flavor[];
  runtimes: Runtime[];
  outDir: string;
  baselinePath?: string;
  shard?: { index: number; count: number };
  buildOptions?: BuildOptions;
  quiet?: boolean;
  /** Inputs of the selection that could not be used (broken suites): recorded, exit 2. */
  inputErrors?: string[];
}

/** The report, its exit code and how many builds failed. */
export interface MatrixResult {
  report: Report;
  exitCode: 0 | 1 | 2 | 130;
  buildFailures: number;
}


/** The differential run (see the top of this file). */
export async function runMatrix(options: MatrixOptions): Promise<MatrixResult> {
  const startedAt = new Date().toISOString();
  const quiet = options.quiet ?? false;
  const detections = await detectAll(options.flavors);

  // Each runtime as its own worker reports it; an unusable runtime skips its cells.
  const pool = new WorkerPool(options.runtimes);
  const runtimeRecords = await describeRuntimes(pool, options.runtimes);

  const buildProgress = startProgress('build', options.suites.length * options.flavors.length, { quiet });
  let started = 0;
  const builds = new Map<string, BuildOutcome>();
  for (const { suite, flavor, outcome } of await buildSelection(options.suites, options.flavors, options.buildOptions ?? defaultBuildOptions, detections, {
    onStart: (suite, flavor) => buildProgress.update(started++, `${suite.name} ${flavor.id}`),
  })) {
    if (outcome.status === 'built' && outcome.note && !quiet) process.stderr.write(`wasm-matrix: ${outcome.note}\n`);
    builds.set(`${suite.name}/${flavor.id}`, outcome);
  }
  const buildFailures = [...builds.values()].filter((b) => b.status === 'failed');
  buildProgress.stop(`${builds.size} artifacts (${[...builds.values()].filter((b) => b.status === 'built' && b.artifact.cacheHit).length} from cache), ${buildFailures.length} failed`);
  for (const f of buildFailures) {
    if (f.status !== 'failed') continue;
    process.stderr.write(`wasm-matrix: build of ${f.suite} with ${f.flavor} failed:\n`);
    for (const d of f.diagnostics.slice(0, 10)) process.stderr.write(`  ${d.file ?? ''}${d.line ? `:${d.line}` : ''}: ${d.severity} ${d.code ?? ''} ${d.message}\n`);
  }

  const targets = new Map(options.flavors.map((f) => [f.id, f.target] as const));
  const unusable = runtimeRecords.map((r) => ({ id: r.id, ...(r.error ? { unusable: `runtime ${r.id} unavailable: ${r.error}` } : {}) }));
  const cells = shardCells(planCells(options.suites, builds, targets, unusable), options.shard);

  const session = new RunSession(
    options.outDir,
    {
      startedAt,
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.inputErrors?.length ? { inputErrors: options.inputErrors } : {}),
      runtimes: runtimeRecords,
      flavors: flavorRecords(options.flavors, detections),
      artifacts: [...builds.values()].flatMap((b) => (b.status === 'built' ? [artifactRecord(b.artifact)] : [])),
    },
    { progressTotal: cells.length, quiet, close: () => pool.close() },
  );
  const finalizer = new Finalizer(cells, newestRuntime(runtimeRecords), options.flavors.map((f) => f.id), session.emit, session.emitProvisional);

  const report = await session.complete(
    pool,
    async () => {
      for (const cell of cells) if (cell.skip !== undefined || cell.unsupported !== undefined) finalizer.add({ planned: cell });
      const runnable = cells.filter((c) => c.skip === undefined && c.unsupported === undefined);
      const byRuntime = new Map<string, PlannedCell[]>();
      for (const cell of runnable) {
        const list = byRuntime.get(cell.runtime);
        if (list) list.push(cell);
        else byRuntime.set(cell.runtime, [cell]);
      }
      await Promise.all(
        [...byRuntime].map(async ([runtime, list]) => {
          if (runtime === NATIVE_RUNTIME) {
            await runNativeCells(list, (planned, raw) => finalizer.add({ planned, raw }));
            return;
          }
          const worker = pool.worker(runtime);
          for (const planned of list) {
            const artifact = (planned.build as { artifact: BuiltArtifact }).artifact;
            const prepared = prepareCall(planned.suite, planned.testCase, artifact);
            try {
              const result = await execOn(worker, prepared.request);
              const timings = cellTimings(result);
              finalizer.add({ planned, raw: rawFromExec(result), extra: { pid: result.pid, ...(timings ? { timings } : {}), ...guestOutputOfExec(result) } });
            } finally {
              prepared.cleanup();
            }
          }
        }),
      );
    },
    options.baselinePath,
  );
  // A failed build is a failing cell (its `buildFailure`), so the report alone gives the exit code.
  return { report, exitCode: verdictOf(report).exitCode, buildFailures: buildFailures.length };
}
