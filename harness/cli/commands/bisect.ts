// `bisect`: the first Wasmtime release where a cell's result (or per-call
// cost) changed. The search is harness/bisect/search.ts; this wires the
// release list, the endpoints, the oracle and the report.
import type { Command } from 'commander';
import { knownRuntimes, loadRuntimes } from '../../config/runtimes.js';
import { UsageError } from '../../errors.js';
import { BisectOracle, builtRuntime, type Measure, type RuntimeUse } from '../../bisect/oracle.js';
import { renderBisect, type BisectReport } from '../../bisect/report.js';
import { bisect, type Answer, type Value } from '../../bisect/search.js';
import { externalTarget, suiteTarget, type BisectTarget } from '../../bisect/target.js';
import { compareVersions, OLDEST_MAJOR } from '../../runtimes/api-ranges.js';
import { crateReleases } from '../../runtimes/registry.js';
import { EXIT_FAILED } from '../exit.js';
import { printJson } from '../output.js';
import { detectValgrind } from '../../bench/callgrind.js';

interface BisectOptions {
  cell?: string;
  external?: string;
  program?: string;
  good?: string;
  bad?: string;
  measure: string;
  threshold: string;
  repeats: string;
  build: boolean;
  json?: boolean;
}

/** A runtime id (pinned or added) or an exact version, as the version it stands for. */
export function endpointVersion(flag: string, value: string): string {
  const runtime = knownRuntimes().find((r) => r.id === value);
  if (runtime) return runtime.wasmtime;
  if (/^\d+\.\d+\.\d+$/.test(value)) return value;
  throw new UsageError(`${flag} "${value}" is neither a runtime id (${knownRuntimes().map((r) => r.id).join(', ')}) nor an exact version such as 42.0.2`);
}

function parseMeasure(value: string): Measure {
  if (value === 'result' || value === 'time') return value;
  if (value === 'instructions') {
    const valgrind = detectValgrind();
    if (!valgrind.available) throw new UsageError(`--measure instructions counts instructions under valgrind's callgrind, which is not available: ${valgrind.reason}`);
    return value;
  }
  throw new UsageError(`--measure "${value}" is not one of result, time, instructions`);
}

function resolveTarget(opts: BisectOptions): Promise<BisectTarget> {
  if (opts.cell && opts.external) throw new UsageError('give either --cell or --external DIR --program X, not both');
  if (opts.external) {
    if (!opts.program) throw new UsageError('--external DIR needs --program X (the X.wasm in DIR)');
    return Promise.resolve(externalTarget(opts.external, opts.program));
  }
  if (!opts.cell) throw new UsageError('give --cell SUITE/CASE/FLAVOR, or --external DIR --program X');
  return suiteTarget(opts.cell);
}

/** Releases from crates.io (24.0.0 on); without the registry, only the versions built here. */
async function releaseList(log: (line: string) => void): Promise<string[]> {
  try {
    return (await crateReleases('wasmtime')).map((r) => r.version).filter((v) => Number(v.split('.')[0]) >= OLDEST_MAJOR);
  } catch (e) {
    log(`cannot list releases from crates.io (${(e as Error).message.split('\n')[0]}); searching the built runtimes only`);
    return [...new Set(knownRuntimes().map((r) => r.wasmtime))];
  }
}

export function registerBisectCommand(program: Command): void {
  program
    .command('bisect')
    .description('find the first Wasmtime release where a cell\'s result (or per-call cost) changed: majors first, then patch releases')
    .option('--cell <SUITE/CASE/FLAVOR>', 'the suite cell to bisect')
    .option('--external <dir>', 'a folder of prebuilt WASI programs (as run --external)')
    .option('--program <name>', 'with --external: the program X (X.wasm)')
    .option('--good <id|version>', 'one end (default: the oldest pinned runtime)')
    .option('--bad <id|version>', 'the other end (default: the newest pinned runtime)')
    .option('--measure <what>', 'result (status, values, output, trap kind), time (per-call cost) or instructions', 'result')
    .option('--threshold <pct>', 'time and instructions: a change is a move beyond this percentage of the older end', '20')
    .option('--repeats <n>', 'ask every version this often; disagreeing answers mark it flaky (not judged)', '2')
    .option('--no-build', 'use only runtimes already built (pinned or added); never compile one')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  wasm-matrix bisect --cell memory64/load.i64/wat --good wasmtime-24 --bad wasmtime-36\n  wasm-matrix bisect --external DIR --program X --good 36.0.14 --bad 48.0.8',
    )
    .action(async (opts: BisectOptions) => {
      const started = Date.now();
      const measure = parseMeasure(opts.measure);
      const threshold = Number(opts.threshold) / 100;
      if (!(threshold > 0)) throw new UsageError(`--threshold "${opts.threshold}" is not a positive percentage`);
      const repeats = Number(opts.repeats);
      if (!Number.isInteger(repeats) || repeats < 1) throw new UsageError(`--repeats "${opts.repeats}" is not a positive integer`);
      const pinned = [...loadRuntimes()].sort((a, b) => compareVersions(a.wasmtime, b.wasmtime));
      const good = opts.good ? endpointVersion('--good', opts.good) : pinned[0]!.wasmtime;
      const bad = opts.bad ? endpointVersion('--bad', opts.bad) : pinned[pinned.length - 1]!.wasmtime;
      if (good === bad) throw new UsageError(`--good and --bad are both Wasmtime ${good}; give two different versions`);
      const log = (line: string) => process.stderr.write(`bisect: ${line}\n`);
      const target = await resolveTarget(opts);

      let releases = await releaseList(log);
      for (const [flag, v] of [['--good', good], ['--bad', bad]] as const) {
        if (!releases.includes(v)) throw new UsageError(`${flag}: crates.io has no Wasmtime ${v} (or it is older than ${OLDEST_MAJOR}.0.0)`);
      }
      const allReleases = releases;
      if (!opts.build) releases = releases.filter((v) => v === good || v === bad || builtRuntime(v) !== undefined);

      const oracle = new BisectOracle(target, {
        measure,
        noBuild: !opts.build,
        quiet: opts.json,
        onRuntime: (use: RuntimeUse) =>
          log(`${use.version}: ${use.how === 'built' ? `built in ${use.seconds?.toFixed(0)} s` : use.how === 'reused' ? 'runtime already built' : `unavailable: ${use.reason}`}`),
      });
      const changed =
        measure === 'time'
          ? (a: Value, ref: Value) => Math.abs(a.value! / ref.value! - 1) > threshold
          : measure === 'instructions'
          ? (a: Value, ref: Value) => Math.abs(a.value! / ref.value! - 1) > threshold
          : (a: Value, ref: Value) => a.key !== ref.key;
      const result = await bisect({
        releases,
        good,
        bad,
        oracle: (v: string): Promise<Answer> => oracle.ask(v),
        changed,
        repeats,
        isCheap: oracle.isCheap,
        onTried: (t, remaining) =>
          log(`[${t.phase}] ${t.version}: ${t.verdict === 'old' ? 'same' : t.verdict === 'new' ? 'changed' : 'not judged'} (${t.display})${remaining >= 0 ? `; about ${remaining} more in this phase` : ''}`),
      });
      // With --no-build the list held only built versions: releases between them are untested, not absent.
      const final =
        result.outcome === 'found' && !opts.build
          ? (() => {
              const untested = allReleases.filter((v) => compareVersions(v, result.lastSame) > 0 && compareVersions(v, result.firstChanged) < 0);
              return untested.length ? { outcome: 'range' as const, lastSame: result.lastSame, firstChanged: result.firstChanged, untested, tried: result.tried } : result;
            })()
          : result;
      const built = oracle.uses.filter((u) => u.how === 'built');
      const report: BisectReport = {
        cell: target.label,
        measure: measure === 'result' ? measure : `${measure}, threshold ${opts.threshold}%`,
        good,
        bad,
        result: final,
        runtimes: oracle.uses,
        builds: { count: built.length, seconds: built.reduce((s, u) => s + (u.seconds ?? 0), 0) },
        reused: oracle.uses.filter((u) => u.how === 'reused').length,
        seconds: (Date.now() - started) / 1000,
      };
      if (opts.json) printJson(report);
      else process.stdout.write(renderBisect(report));
      if (final.outcome === 'no-change') process.exitCode = EXIT_FAILED;
    });
}
