// `bench --external DIR`: prebuilt WASI commands timed as sightglass times
// them, through the one bench stage (harness/bench/runner.ts), so the report
// is a full bench report: report.json with the bench section, report.md,
// junit.xml, report.html; several worker processes per cell in a shuffled
// order; 99% Welch intervals; version-vs-version ratios; `--baseline`.
//
// The run contract (bytecodealliance/sightglass; file and line in the README,
// "External programs"):
// - a program is `DIR/X.wasm`, or `DIR/<name>/benchmark.wasm` (and any other
//   `.wasm` in such a folder): the folder of folders sightglass's
//   `benchmarks/` is;
// - it runs with its own folder as the working directory, preopened as `.`
//   (here a fresh copy per process, so a run never sees an earlier one's
//   files), no arguments, empty stdin, and an empty environment except
//   `WASM_BENCH_USE_SMALL_WORKLOAD=1` when asked (`--small-workload`);
// - it calls `bench.start` and `bench.end` exactly once each; the time between
//   is the measured region (the cell's `perCall`, one sample per run), compile
//   and instantiate are phases of their own;
// - its stdout and stderr must equal `X.stdout.expected` / `X.stderr.expected`,
//   else `default.stdout.expected` / `default.stderr.expected`, else (the older
//   layout) `stdout.expected` / `stderr.expected` beside it; with none of them
//   nothing is compared, and the cell says so.
// Every verdict (exit code, output, the bench.start/bench.end count) is the
// model's judge's, against the expectation built here.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { EXTERNAL_OUTPUT_CAP_BYTES } from '../config/limits.js';
import type { Runtime } from '../config/runtimes.js';
import type { CaseSpec, Suite } from '../config/suite.js';
import { UsageError } from '../errors.js';
import type { Observed } from '../model/observation.js';
import type { Definitions, ResolvedBenchmark } from '../bench/definitions.js';
import { type BenchOutcome, runBench } from '../bench/runner.js';
import { prebuiltFlavor } from '../toolchains/prebuilt.js';
import { copyTreeReal } from '../util/inside.js';
import type { CallTarget, PreparedCall } from '../workers/requests.js';
import { EXTERNAL_FLAVOR, EXTERNAL_SUITE } from './external.js';

/** The environment variable sightglass sets for `--small-workload`. */
export const SMALL_WORKLOAD_ENV = 'WASM_BENCH_USE_SMALL_WORKLOAD';

/** A benchmark program found under DIR. */
export interface ExternalBenchmark {
  /** The case name in reports: the folder's name for `<folder>/benchmark.wasm`, else the file's stem (`<folder>.<stem>` inside a folder). */
  name: string;
  wasmPath: string;
  /** Its working directory (the `.wasm`'s folder). */
  dir: string;
  /** The expected-output files found, and their text. */
  expected: { stdout?: { file: string; text: string }; stderr?: { file: string; text: string } };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** `X.<stream>.expected`, else `default.<stream>.expected`, else `<stream>.expected`, beside the module. */
export function expectedFile(wasmPath: string, stream: 'stdout' | 'stderr'): string | undefined {
  const dir = dirname(wasmPath);
  const stem = basename(wasmPath).replace(/\.wasm$/, '');
  return [`${stem}.${stream}.expected`, `default.${stream}.expected`, `${stream}.expected`].map((f) => join(dir, f)).find((f) => existsSync(f) && statSync(f).isFile());
}

function readExpected(file: string): string {
  try {
    return decoder.decode(readFileSync(file));
  } catch (e) {
    if (e instanceof TypeError) throw new UsageError(`${file}: not UTF-8 text; an expected-output file holds the exact text the program prints`);
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
}

const wasmFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.wasm') && statSync(join(dir, f)).isFile())
    .sort();
const caseName = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/**
 * The benchmarks of DIR: its own `.wasm` files and those of its sub-folders
 * (sightglass's `benchmarks/<name>/benchmark.wasm`). Throws UsageError (exit 2)
 * when DIR is not a folder, holds no program, or an expected file is not UTF-8.
 */
export function findExternalBenchmarks(dirArg: string): ExternalBenchmark[] {
  const root = resolve(dirArg);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--external: ${root} is not a folder`);
  const found: { name: string; wasmPath: string }[] = wasmFiles(root).map((f) => ({ name: caseName(f.slice(0, -5)), wasmPath: join(root, f) }));
  for (const sub of readdirSync(root).sort()) {
    const dir = join(root, sub);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of wasmFiles(dir)) found.push({ name: caseName(f === 'benchmark.wasm' ? sub : `${sub}.${f.slice(0, -5)}`), wasmPath: join(dir, f) });
  }
  if (found.length === 0) throw new UsageError(`--external: ${root} has no .wasm files, neither in it nor in its sub-folders (<name>/benchmark.wasm)`);
  const seen = new Map<string, string>();
  return found.map(({ name, wasmPath }) => {
    if (seen.has(name)) throw new UsageError(`--external: ${wasmPath} and ${seen.get(name)} would both be benchmark "${name}"; rename one`);
    seen.set(name, wasmPath);
    const expected: ExternalBenchmark['expected'] = {};
    for (const stream of ['stdout', 'stderr'] as const) {
      const file = expectedFile(wasmPath, stream);
      if (file) expected[stream] = { file, text: readExpected(file) };
    }
    return { name, wasmPath, dir: dirname(wasmPath), expected };
  });
}

/** What the judge holds each program's first run against: exit 0, the expected files, one start and one end. */
export function benchmarkExpectation(b: ExternalBenchmark): Observed {
  return {
    exitCode: 0,
    ...(b.expected.stdout ? { stdout: b.expected.stdout.text } : {}),
    ...(b.expected.stderr ? { stderr: b.expected.stderr.text } : {}),
    benchMarks: { starts: 1, ends: 1 },
  };
}

/** The note of a program without expected-output files (also the reason of its passing cells). */
export function nothingComparedNote(b: ExternalBenchmark): string | undefined {
  if (b.expected.stdout || b.expected.stderr) return undefined;
  const stem = basename(b.wasmPath, '.wasm');
  return `nothing compared: no ${stem}.stdout.expected, default.stdout.expected or stdout.expected (nor stderr) beside ${b.wasmPath}; only the exit code and the bench.start/bench.end calls were checked`;
}

/** How `bench --external` runs. */
export interface ExternalBenchOptions {
  dir: string;
  runtimes: Runtime[];
  outDir: string;
  processes?: number;
  /** Runs per process, each in a fresh instance (sightglass `--iterations-per-process`; default 3). */
  iterationsPerProcess?: number;
  /** Set WASM_BENCH_USE_SMALL_WORKLOAD=1 (sightglass `--small-workload`). */
  smallWorkload?: boolean;
  /** Guest time limit of each run (default 120 s). */
  timeoutMs?: number;
  /** Capture cap of each of stdout and stderr (default EXTERNAL_OUTPUT_CAP_BYTES). */
  outputCapBytes?: number;
  baselinePath?: string;
  thresholdPct?: number;
  seed?: number;
  quiet?: boolean;
}

const CASE_CALL: CaseSpec['call'] = { style: 'command', args: [], env: {}, dirs: [] };

/** The worker request of one process: a fresh copy of the program's folder preopened as `.`, no args, the contract's env. */
function prepareRun(b: ExternalBenchmark, options: ExternalBenchOptions, artifact: CallTarget): PreparedCall {
  const root = mkdtempSync(join(tmpdir(), 'wasm-matrix-bench-external-'));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  const host = join(root, 'cwd');
  try {
    copyTreeReal(b.dir, host, b.dir);
  } catch (e) {
    cleanup();
    throw e;
  }
  return {
    request: {
      type: 'exec',
      engine: {},
      module: { kind: 'file', path: artifact.path },
      timeoutMs: options.timeoutMs ?? 120_000,
      instance: { args: [], env: options.smallWorkload ? [`${SMALL_WORKLOAD_ENV}=1`] : [], preopens: [{ host, guest: '.' }], stdin: new Uint8Array(), benchHooks: true, outputCapBytes: options.outputCapBytes ?? EXTERNAL_OUTPUT_CAP_BYTES },
      lifecycle: 'none',
      call: { style: 'command' },
    },
    cleanup,
  };
}

/** One program as a benchmark of the bench stage: a made-up command suite of the `prebuilt` flavor. */
function resolvedOf(b: ExternalBenchmark, options: ExternalBenchOptions): ResolvedBenchmark {
  const testCase: CaseSpec = { name: b.name, call: CASE_CALL };
  const suite: Suite = {
    schemaVersion: 1,
    name: EXTERNAL_SUITE,
    description: `external benchmark ${b.wasmPath}`,
    kind: 'command',
    sources: { prebuilt: { path: b.wasmPath, abi: 'command' } },
    cases: [testCase],
    defaultTimeoutMs: options.timeoutMs ?? 120_000,
    dir: b.dir,
    // The build key: one artifact per program.
    file: b.wasmPath,
  };
  const note = nothingComparedNote(b);
  return {
    suiteName: EXTERNAL_SUITE,
    name: b.name,
    suite,
    testCase,
    calls: b.name,
    expectationApplies: true,
    moduleFlavor: EXTERNAL_FLAVOR,
    oracle: { kind: 'expectation', expected: benchmarkExpectation(b) },
    prepare: (artifact) => prepareRun(b, options, artifact),
    regionRuns: Math.max(1, options.iterationsPerProcess ?? 3),
    ...(note ? { note } : {}),
  };
}

/** `bench --external DIR`: every program on every runtime, through the bench stage; its report and exit code. */
export async function benchExternal(options: ExternalBenchOptions): Promise<BenchOutcome> {
  const programs = findExternalBenchmarks(options.dir);
  // On stderr even with --json (stdout): a program nothing is compared for deserves a look.
  for (const p of programs) {
    const note = nothingComparedNote(p);
    if (note) process.stderr.write(`wasm-matrix: ${p.name}: ${note}\n`);
  }
  const definitions: Definitions = {
    file: resolve(options.dir),
    description: `external benchmarks in ${resolve(options.dir)} (sightglass contract)`,
    processes: options.processes ?? 4,
    budgetMs: 1,
    minIterations: 1,
    benchmarks: programs.map((p) => resolvedOf(p, options)),
  };
  return runBench({
    definitions,
    flavors: [prebuiltFlavor],
    runtimes: options.runtimes,
    outDir: options.outDir,
    ...(options.processes !== undefined ? { processes: options.processes } : {}),
    ...(options.baselinePath ? { baselinePath: options.baselinePath } : {}),
    ...(options.thresholdPct !== undefined ? { thresholdPct: options.thresholdPct } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.quiet !== undefined ? { quiet: options.quiet } : {}),
  });
}
