// `bench`: per-call performance of benchmark cells, with ratios and
// confidence intervals; writes report.json, report.md, junit.xml, report.html.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { OUTPUT_CAP_HELP, parseOutputCap } from '../output-cap.js';
import { loadRuntimes, runtimeById } from '../../config/runtimes.js';
import { UsageError } from '../../errors.js';
import { projectRoot } from '../../paths.js';
import { DEFAULT_DEFINITIONS, loadDefinitions } from '../../bench/definitions.js';
import { runBench } from '../../bench/runner.js';
import { formatInterval, readRatio } from '../../report/ratio.js';
import { cellKey } from '../../model/cell.js';
import { formatNs } from '../../report/html-bench.js';
import { isProblem } from '../../report/status.js';
import { allFlavors, flavorById } from '../../toolchains/registry.js';
import { benchExternal as runExternalBench } from '../../ci/external-bench.js';
import type { BenchOutcome } from '../../bench/runner.js';
import { printJson, printTable } from '../output.js';
import { MEASURES, type Measure } from '../../bench/schema.js';
import { printCounts } from './bench-counts.js';
import { addSelectionOptions, buildOptionsFrom, type SelectionOptions } from './selection.js';

interface BenchCliOptions extends SelectionOptions {
  benchmarks: string;
  budgetMs?: string;
  processes?: string;
  minIterations?: string;
  seed?: string;
  out: string;
  baseline?: string;
  threshold?: string;
  measure: string;
  countCalls?: string;
  external?: string;
  outputCap?: string;
  smallWorkload?: boolean;
  iterationsPerProcess?: string;
  json?: boolean;
}

/** Where `bench` writes when --out is not given. */
export const defaultBenchDir = () => resolve(projectRoot, 'reports', 'bench');

function positive(name: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name}: "${text}" is not a positive ${integer ? 'integer' : 'number'}`);
  }
  return n;
}

/** The `bench` command. */
export function registerBenchCommand(program: Command): void {
  addSelectionOptions(
    program
      .command('bench')
      .description(
        'time benchmark cells (benchmark x flavor x runtime): compile, precompile, deserialize, instantiate, first call and steady state per call, ' +
          'several fresh worker processes per cell in a shuffled order; ratios with 99% Welch intervals; writes report.json, report.md, junit.xml, report.html',
      ),
  )
    .option('--benchmarks <file>', 'benchmark definitions (JSON)', DEFAULT_DEFINITIONS)
    .option('--budget-ms <n>', "steady-state time budget of each process (default: the definitions')")
    .option('--processes <n>', "worker processes per cell, at least 2 (default: the definitions')")
    .option('--min-iterations <n>', "steady-state samples each process takes at least (default: the definitions')")
    .option('--seed <n>', 'seed of the shuffled order (default: random, recorded in the report)')
    .option('--out <dir>', 'report folder', defaultBenchDir())
    .option('--baseline <report.json>', 'an earlier bench report: flag cells whose time per call regressed')
    .option('--threshold <pct>', 'a regression: per call slower than the baseline by more than this with a significant interval (default 5), or a phase counting more instructions by more than this (default 1)')
    .option('--measure <what>', `${MEASURES.join(', ')}: wall-clock time, exact instruction counts under valgrind's callgrind, or both`, 'time')
    .option('--count-calls <n>', 'steady-state calls each counting process counts (default 3)')
    .option('--external <dir>', 'benchmark prebuilt WASI commands as sightglass runs them: DIR/X.wasm or DIR/<name>/benchmark.wasm, timing compile, instantiate and the region between bench.start and bench.end, output checked against *.stdout.expected / *.stderr.expected')
    .option('--small-workload', 'with --external: set WASM_BENCH_USE_SMALL_WORKLOAD=1 in the guest environment (sightglass --small-workloads)')
    .option('--iterations-per-process <n>', 'with --external: runs per process, each in a fresh instance (default 3)')
    .option('--output-cap <bytes>', OUTPUT_CAP_HELP)
    .option('--json', 'print a JSON summary to stdout')
    .action(async (opts: BenchCliOptions) => {
      if (opts.external !== undefined) return benchExternal(opts);
      if (opts.outputCap !== undefined) throw new UsageError('--output-cap applies to --external DIR only');
      const definitions = loadDefinitions(resolve(opts.benchmarks));
      const allRuntimes = loadRuntimes();
      const buildOptions = buildOptionsFrom(opts);
      const seedText = opts.seed;
      if (seedText !== undefined && !/^\d+$/.test(seedText)) throw new UsageError(`--seed: "${seedText}" is not a non-negative integer`);
      const processes = positive('--processes', opts.processes, true);
      if (processes !== undefined && processes < 2) throw new UsageError('--processes: intervals need at least 2 processes per cell');
      const thresholdPct = positive('--threshold', opts.threshold, false);
      if (!(MEASURES as readonly string[]).includes(opts.measure)) throw new UsageError(`--measure: "${opts.measure}" is not a measure; valid: ${MEASURES.join(', ')}`);
      const measure = opts.measure as Measure;
      const countCalls = positive('--count-calls', opts.countCalls, true);
      const out = resolve(opts.out);
      const budgetMs = positive('--budget-ms', opts.budgetMs, false);
      const minIterations = positive('--min-iterations', opts.minIterations, true);
      const { report, bench, exitCode } = await runBench({
        definitions,
        ...(opts.suite ? { suites: opts.suite } : {}),
        flavors: opts.flavor ? opts.flavor.map(flavorById) : allFlavors,
        runtimes: opts.runtime ? opts.runtime.map((r) => runtimeById(r)) : allRuntimes,
        buildOptions,
        ...(processes !== undefined ? { processes } : {}),
        ...(budgetMs !== undefined ? { budgetMs } : {}),
        ...(minIterations !== undefined ? { minIterations } : {}),
        ...(seedText !== undefined ? { seed: Number(seedText) } : {}),
        outDir: out,
        ...(opts.baseline ? { baselinePath: resolve(opts.baseline) } : {}),
        ...(thresholdPct !== undefined ? { thresholdPct } : {}),
        measure,
        ...(countCalls !== undefined ? { countCalls } : {}),
        quiet: !!opts.json,
      });
      printBenchOutcome({ report, bench, exitCode }, opts, out);
      process.exitCode = exitCode;
    });
}

/** What `bench` prints: regressions on stderr, then a JSON summary or the tables. */
function printBenchOutcome({ report, bench, exitCode }: BenchOutcome, opts: BenchCliOptions, out: string): void {
      const regressions = (bench.baseline?.rows ?? []).filter((r) => r.verdict === 'regression');
  const counts: Record<string, number> = {};
  for (const cell of bench.cells) counts[cell.status] = (counts[cell.status] ?? 0) + 1;
  if (regressions.length) {
    process.stderr.write(`wasm-matrix: ${regressions.length} regression${regressions.length === 1 ? '' : 's'} against ${bench.baseline!.file} (threshold ${bench.baseline!.thresholdPct}%):\n`);
    for (const r of regressions) process.stderr.write(`  ${r.key}: per call ${formatInterval(r.interval!)} of the baseline's\n`);
  }
  printCounts(bench, !!opts.json);
  if (opts.json) {
    printJson({
      exitCode,
      out,
      seed: bench.schedule.seed,
      wallMs: Math.round(bench.wallMs),
      cells: bench.cells.length,
      counts,
      regressions: regressions.map((r) => ({ key: r.key, ratio: r.interval!.ratio, low: r.interval!.low, high: r.interval!.high })),
      ...(bench.baseline?.instructions ? { instructionRegressions: bench.baseline.instructions.regressions } : {}),
      ...(bench.nondeterministic ? { nondeterministic: bench.nondeterministic } : {}),
      improvements: bench.baseline?.improvements ?? [],
      /** Cells that make the exit code 1: unexpected traps and timeouts, crashes, hangs, regressions. */
      problems: report.cells.filter(isProblem).map((c) => `${cellKey(c)}: ${c.status}`),
    });
  } else if (bench.measure !== 'instructions') {
    printTable(
      ['cell', 'status', 'typical/call [99% CI]', 'median', 'MAD', 'procs'],
      bench.cells
        .filter((c) => c.status !== 'skipped')
        .map((c) => [
          c.key,
          c.status,
          c.perCall?.typical ? `${formatNs(c.perCall.typical.ns)} [${formatNs(c.perCall.typical.low)}, ${formatNs(c.perCall.typical.high)}]` : (c.reason ?? '').slice(0, 60),
          c.perCall ? formatNs(c.perCall.medianNs) : '',
          c.perCall ? formatNs(c.perCall.madNs) : '',
          String(c.processes.length),
        ]),
    );
    const flavorRows = bench.comparisons.filter((c) => c.kind === 'flavor' && c.phase === 'perCall' && c.interval);
    if (flavorRows.length) {
      process.stdout.write('\n');
      printTable(
        ['benchmark', 'runtime', 'candidate / reference', 'time ratio', 'reading'],
        flavorRows.map((c) => [`${c.suite}/${c.case}`, c.on, `${c.candidate} / ${c.reference}`, formatInterval(c.interval!), readRatio(c.interval!)]),
      );
    }
    const skipped = bench.cells.filter((c) => c.status === 'skipped').length;
    process.stdout.write(
      `\n${bench.cells.length} cells: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}${skipped ? ' (skipped cells: see report.md)' : ''}\n` +
        `seed ${bench.schedule.seed}, ${bench.method.processes} processes per cell, budget ${bench.method.budgetMs} ms, wall time ${(bench.wallMs / 1000).toFixed(1)} s\n` +
        `reports in ${out}\n`,
    );
  }
  process.exitCode = exitCode;
}

/**
 * `bench --external DIR`: prebuilt programs under the sightglass contract
 * (harness/ci/external-bench.ts), through the same bench stage: the same
 * report files, statistics, baseline rule and exit codes as `bench`.
 */
async function benchExternal(opts: BenchCliOptions): Promise<void> {
  if (opts.suite || opts.flavor) throw new UsageError('--external times prebuilt programs: it takes no --suite or --flavor');
  if (opts.measure !== 'time') throw new UsageError(`--external: --measure ${opts.measure} is not supported; external programs are timed (--measure time)`);
  const allRuntimes = loadRuntimes();
  const runtimes = opts.runtime ? opts.runtime.map((r) => runtimeById(r)) : allRuntimes;
  const processes = positive('--processes', opts.processes, true);
  if (processes !== undefined && processes < 2) throw new UsageError('--processes: intervals need at least 2 processes per cell');
  const iterationsPerProcess = positive('--iterations-per-process', opts.iterationsPerProcess, true);
  const outputCapBytes = parseOutputCap(opts.outputCap);
  const seedText = opts.seed;
  if (seedText !== undefined && !/^\d+$/.test(seedText)) throw new UsageError(`--seed: "${seedText}" is not a non-negative integer`);
  const thresholdPct = positive('--threshold', opts.threshold, false) ?? 5;
  const out = resolve(opts.out);
  const outcome = await runExternalBench({
    dir: opts.external!,
    runtimes,
    outDir: out,
    ...(processes !== undefined ? { processes } : {}),
    ...(iterationsPerProcess !== undefined ? { iterationsPerProcess } : {}),
    ...(opts.smallWorkload ? { smallWorkload: true } : {}),
    ...(outputCapBytes !== undefined ? { outputCapBytes } : {}),
    ...(opts.baseline ? { baselinePath: resolve(opts.baseline) } : {}),
    thresholdPct,
    ...(seedText !== undefined ? { seed: Number(seedText) } : {}),
    quiet: !!opts.json,
  });
  printBenchOutcome(outcome, opts, out);
}
