// `wasm-matrix bench` for real, with small budgets (the machine has two
// cores): -O2 against -O0, a trapping case, and a doctored baseline.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../paths.js';
import { readReport } from '../../report/writer.js';
import { noopModule } from '../overhead.js';
import { BenchData } from '../schema.js';
import { loadRuntimes } from '../../config/runtimes.js';
import { loadSuite } from '../../config/suite.js';
import { writeMiniSuite } from '../../run/test/mini-suite.js';
import { flavorById } from '../../toolchains/registry.js';
import { loadDefinitions } from '../definitions.js';
import { runBench } from '../runner.js';
import { benchCli } from './cli.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

function definitions(benchmarks: unknown[]): string {
  const file = join(tmp('wasm-matrix-benchdefs-'), 'set.json');
  writeFileSync(file, JSON.stringify({ schemaVersion: 1, description: 'test set', processes: 3, budgetMs: 100, minIterations: 3, benchmarks }, null, 2));
  return file;
}

function benchOf(outDir: string): BenchData {
  const report = readReport(join(outDir, 'report.json'));
  if (report.kind !== 'bench') throw new Error(`${outDir}: a ${report.kind} report`);
  return BenchData.parse(report.bench);
}

describe('wasm-matrix bench', () => {
  it('finds clang-wasi-O2 faster than clang-wasi-O0 on a compute case, with its ratio interval', async () => {
    // The chained SHA-256 over 64 KiB: about 7x apart on this machine.
    const file = definitions([
      { suite: 'compute', case: 'sha256.chain16.1mib', name: 'sha256.chain16.64kib', input: { generate: { kind: 'bytes', size: 65536, seed: 7 } } },
    ]);
    const out = tmp('wasm-matrix-bench-');
    const r = await benchCli(['--benchmarks', file, '--flavor', 'clang-wasi-O0', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--processes', '5', '--seed', '11', '--out', out, '--json']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const bench = benchOf(out);
    expect(bench.schedule.seed).toBe(11);
    expect(bench.schedule.rounds).toHaveLength(5);
    expect(bench.cells.filter((c) => c.status === 'ok')).toHaveLength(2);
    for (const cell of bench.cells) {
      expect(cell.processes).toHaveLength(5);
      expect(new Set(cell.processes.map((p) => p.pid)).size).toBe(5); // a fresh process each time
      expect(cell.artifactSizeBytes).toBeGreaterThan(0);
      for (const phase of ['compile', 'precompile', 'deserialize', 'instantiate', 'firstCall'] as const) expect(cell.phases![phase].medianNs).toBeGreaterThan(0);
    }
    const row = bench.comparisons.find((c) => c.kind === 'flavor' && c.phase === 'perCall' && c.reference === 'clang-wasi-O0' && c.candidate === 'clang-wasi-O2');
    expect(row?.interval).toBeDefined();
    // O2 is about 7x faster here. Only the point estimate is asserted: how wide the
    // 99% interval is depends on how busy the machine is (five processes a side on a
    // shared two-core machine), so whether it excludes 1 is not this test's to say;
    // the interval and its significance are tested on fixed numbers in stats.test.ts
    // and compare.test.ts, the bold "N× faster" rendering in compare.test.ts.
    expect(row!.interval!.ratio).toBeLessThan(1);
    expect(row!.interval!.low).toBeLessThan(row!.interval!.ratio);
    expect(row!.interval!.high).toBeGreaterThan(row!.interval!.ratio);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('##### `clang-wasi-O2` against `clang-wasi-O0` (c source)');
    expect(md).toMatch(/compute\/sha256\.chain16\.64kib \| `wasmtime-48` \| (\*\*)?0\.\d+(\*\*)? \| [\d.]+–[\d.]+ \| ([\d.]+× faster|no significant difference)/);
  });

  it('reports a case that traps or times out while timed with its status, never as a time', async () => {
    const file = definitions([
      { suite: 'core', case: 'int.add_i32' },
      { suite: 'core', case: 'trap.unreachable' },
      { suite: 'core', case: 'trap.infinite_loop' },
      // Another input: the case's expectation no longer applies, so this trap is unexpected.
      { suite: 'core', case: 'trap.div_by_zero', name: 'trap.div_by_zero.other_input', input: { utf8: '7' } },
    ]);
    const out = tmp('wasm-matrix-bench-');
    const r = await benchCli(['--benchmarks', file, '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--processes', '2', '--out', out, '--json']);
    expect(r.code).toBe(1); // the unexpected trap
    const summary = JSON.parse(r.stdout);
    expect(summary.problems).toEqual(['core/trap.div_by_zero.other_input/clang-wasi-O2/wasmtime-48: trap']);
    const bench = benchOf(out);
    const cell = (name: string) => bench.cells.find((c) => c.case === name)!;
    expect(cell('int.add_i32')).toMatchObject({ status: 'ok' });
    for (const [name, status, trap] of [
      ['trap.unreachable', 'trap', 'unreachable'],
      ['trap.infinite_loop', 'timeout', undefined],
      ['trap.div_by_zero.other_input', 'trap', 'integer-divide-by-zero'],
    ] as const) {
      const c = cell(name);
      expect(c.status).toBe(status);
      if (trap) expect(c.trap).toBe(trap);
      expect(c.perCall).toBeUndefined();
      expect(c.phases).toBeUndefined();
      // A failed cell ends at its first process.
      expect(c.processes).toHaveLength(1);
    }
    const cells = readReport(join(out, 'report.json')).cells;
    const statusOf = (name: string) => cells.find((c) => c.case === name);
    expect(statusOf('trap.unreachable')).toMatchObject({ status: 'trap', expectedTrap: true });
    expect(statusOf('trap.infinite_loop')).toMatchObject({ status: 'timeout', expectedTrap: true });
    expect(statusOf('trap.div_by_zero.other_input')).toMatchObject({ status: 'trap', expectedTrap: false });
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('#### Not timed');
    expect(md).toMatch(/`core\/trap\.unreachable\/clang-wasi-O2\/wasmtime-48` \| trap unreachable \|/);
    // The HTML draws only timed cells.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('data-bench="core/int.add_i32/clang-wasi-O2/wasmtime-48"');
    expect(html).not.toContain('data-bench="core/trap.unreachable');
  });

  it('makes a timed call that answers a wrong value a mismatch with both values, never a pass', async () => {
    const mini = writeMiniSuite();
    mini.writeC(41); // the suite expects 42
    const defs = loadDefinitions(definitions([{ suite: 'mini', case: 'answer' }, { suite: 'mini', case: 'echo' }]), [loadSuite(mini.dir)]);
    const out = tmp('wasm-matrix-bench-');
    const runtime = loadRuntimes().filter((r) => r.id === 'wasmtime-48');
    const { report, bench, exitCode } = await runBench({ definitions: defs, flavors: [flavorById('clang-wasi-O2')], runtimes: runtime, processes: 2, budgetMs: 20, outDir: out, quiet: true });
    expect(exitCode).toBe(1);
    const answer = report.cells.find((c) => c.case === 'answer')!;
    expect(answer).toMatchObject({ status: 'mismatch', oracle: 'expectation', expected: { output: { utf8: '42' } }, actual: { output: { utf8: '41' } } });
    expect(answer.reason).toContain('output differs');
    // Its times are not reported as if the call had worked.
    expect(bench.cells.find((c) => c.case === 'answer')).toMatchObject({ status: 'error', reason: expect.stringContaining('wrong answer') });
    expect(bench.cells.find((c) => c.case === 'answer')!.perCall).toBeUndefined();
    expect(report.cells.find((c) => c.case === 'echo')).toMatchObject({ status: 'pass' });
    expect(readFileSync(join(out, 'report.md'), 'utf8').split('\n')[0]).toContain('(exit 1)');
  });

  it('exits 1 naming the regressed cells against a doctored baseline', async () => {
    const file = definitions([
      { suite: 'compute', case: 'sort.100k' },
      { module: noopModule, name: 'noop', call: { style: 'export', export: 'noop' } },
    ]);
    const args = ['--benchmarks', file, '--flavor', 'clang-wasi-O2', 'wat', '--runtime', 'wasmtime-48'];
    const first = tmp('wasm-matrix-bench-');
    expect((await benchCli([...args, '--out', first, '--json'])).code).toBe(0);

    // Doctor the baseline: sort.100k 1e15 times as fast as it was (so now it
    // regressed by that factor), the no-op 1e15 times as slow (so it improved,
    // and must not be named). The interval is a Welch t interval of log times
    // with 3 processes a side: t <= 9.92 at 99%, so masking a factor of 1e15
    // (ln = 34.5) needs a standard error of the log difference above 3.5, that
    // is per-process medians of one cell a factor of about 10^5 apart. A factor
    // of 1000 was masked once (load 20: the no-op's processes, a few ns per
    // call, spread enough that the interval held 1). The rule's own arithmetic
    // is tested on fixed numbers in compare.test.ts.
    const sortKey = 'compute/sort.100k/clang-wasi-O2/wasmtime-48';
    const noopKey = 'benchmarks/noop/wat/wasmtime-48';
    const raw = JSON.parse(readFileSync(join(first, 'report.json'), 'utf8'));
    for (const cell of raw.bench.cells) {
      const factor = cell.key === sortKey ? 1e-15 : cell.key === noopKey ? 1e15 : 1;
      for (const p of cell.processes) {
        p.perCallMedianNs *= factor;
        p.perCallMeanNs *= factor;
      }
      cell.perCall.processMediansNs = cell.perCall.processMediansNs.map((x: number) => x * factor);
      for (const field of ['medianNs', 'meanNs', 'madNs', 'minNs', 'maxNs', 'iqrNs', 'stddevNs']) cell.perCall[field] *= factor;
      for (const field of ['ns', 'low', 'high']) cell.perCall.typical[field] *= factor;
    }
    const doctored = join(tmp('wasm-matrix-baseline-'), 'report.json');
    writeFileSync(doctored, JSON.stringify(raw));

    const second = tmp('wasm-matrix-bench-');
    const r = await benchCli([...args, '--out', second, '--baseline', doctored, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${sortKey}: per call`);
    expect(r.stderr).not.toContain(noopKey);
    const summary = JSON.parse(r.stdout);
    expect(summary.regressions.map((x: { key: string }) => x.key)).toEqual([sortKey]);
    expect(summary.improvements).not.toContain(sortKey);
    expect(summary.improvements).toEqual([noopKey]);
    const report = readReport(join(second, 'report.json'));
    expect(report.cells.find((c) => c.case === 'sort.100k')).toMatchObject({ status: 'mismatch' });
    expect(report.cells.find((c) => c.case === 'sort.100k')!.reason).toMatch(/^time regression against the baseline: per call \d+(\.\d+)?× \(99% CI /);
    expect(report.baseline?.newlyFailing).toEqual([sortKey]);
    const md = readFileSync(join(second, 'report.md'), 'utf8');
    expect(md).toContain('**Regressions: 1**');
    expect(md).toMatch(new RegExp(`\`${sortKey.replace(/[./]/g, '\\$&')}\` \\|.*❌ regression`));

    // A baseline that is not a bench report is bad input.
    const notBench = await benchCli([...args, '--out', tmp('wasm-matrix-bench-'), '--baseline', join(first, 'report.md')]);
    expect(notBench.code).toBe(2);
  });

  it('--external times the bench.start/bench.end region of each program, after checking its output', async () => {
    const dir = tmp('wasm-matrix-bench-external-');
    execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-o', join(dir, 'spin.wasm'), join(projectRoot, 'harness', 'ci', 'test', 'fixtures', 'bench.c')], { stdio: 'pipe' });
    writeFileSync(join(dir, 'default.stdout.expected'), 'done\n');
    const out = tmp('wasm-matrix-bench-external-out-');
    const ok = await benchCli(['--external', dir, '--runtime', 'wasmtime-48', '--processes', '2', '--iterations-per-process', '1', '--out', out, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const [cell] = benchOf(out).cells;
    expect(cell).toMatchObject({ key: 'external/spin/prebuilt/wasmtime-48', status: 'ok', measures: 'region' });
    // The guest spins 25 ms inside the region and 500 ms on either side of it: a
    // timer that leaked out of the region would read 525 ms or more, which no
    // descheduling of a 25 ms spin on a busy machine comes near.
    expect(cell!.perCall!.minNs).toBeGreaterThanOrEqual(25e6);
    expect(cell!.perCall!.maxNs).toBeLessThan(525e6);
    for (const p of cell!.processes) expect(p.firstCallNs).toBeGreaterThanOrEqual(1025e6);
    writeFileSync(join(dir, 'default.stdout.expected'), 'something else\n');
    const wrong = await benchCli(['--external', dir, '--runtime', 'wasmtime-48', '--processes', '2', '--iterations-per-process', '1', '--out', tmp('wasm-matrix-bench-external-out-'), '--json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).problems).toEqual(['external/spin/prebuilt/wasmtime-48: mismatch']);
    expect((await benchCli(['--external', dir, '--suite', 'compute'])).code).toBe(2);
  });
});
