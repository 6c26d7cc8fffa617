// `bench --measure instructions` for real under valgrind's callgrind, on a
// tiny WAT loop with few calls (every counting process runs Node under
// callgrind: tens of seconds each on this machine). Counts are exact, so
// nothing here depends on how busy the machine is: the assertions are on
// equal counts, on differences of counts, and on a baseline doctored by 2%.
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport } from '../../report/writer.js';
import { detectValgrind } from '../callgrind.js';
import { BenchData, type BenchCell } from '../schema.js';
import { cli } from '../../cli/test/cli.js';
import { benchCli } from './cli.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const valgrind = detectValgrind();
const version = valgrind.available ? valgrind.version : '';
if (!valgrind.available) console.warn(`skipping the callgrind runs: ${valgrind.reason}`);
const LONG = 1_800_000;

/** A definitions file next to a copy of the loop fixture. */
function loopSet(benchmarks: unknown[]): string {
  const dir = tmp('wasm-matrix-countdefs-');
  copyFileSync(join(import.meta.dirname, 'fixtures', 'loop.wat'), join(dir, 'loop.wat'));
  const file = join(dir, 'set.json');
  writeFileSync(file, JSON.stringify({ schemaVersion: 1, description: 'instruction counts', processes: 2, budgetMs: 50, minIterations: 3, benchmarks }));
  return file;
}
const loop = (n: number) => ({ module: 'loop.wat', name: `loop.${n}`, call: { style: 'export', export: 'loop', args: [`i32:${n}`] } });
const key = (name: string) => `benchmarks/${name}/wat/wasmtime-48`;

function benchOf(outDir: string): BenchData {
  const report = readReport(join(outDir, 'report.json'));
  if (report.kind !== 'bench') throw new Error(`${outDir}: a ${report.kind} report`);
  return BenchData.parse(report.bench);
}

describe.skipIf(!valgrind.available)('bench --measure instructions (callgrind)', () => {
  let first: { out: string; bench: BenchData } | undefined;

  it('counts a WAT loop exactly: the same in two processes, growing by the same amount per iteration; a trap is a status; a killed process is crash and the run goes on', async () => {
    const sizes = [1000, 2000, 3000, 4000];
    const file = loopSet([...sizes.map(loop), { module: 'loop.wat', name: 'trap', call: { style: 'export', export: 'trap' } }]);
    const out = tmp('wasm-matrix-count-');
    // The first counting process of the run is killed (SIGKILL, valgrind and all) right after its compile region.
    const marker = join(tmp('wasm-matrix-kill-'), 'killed');
    const r = await benchCli(['--benchmarks', file, '--runtime', 'wasmtime-48', '--measure', 'instructions', '--count-calls', '2', '--seed', '5', '--out', out, '--json'], {
      timeout: LONG,
      env: { WASM_MATRIX_TEST_KILL_COUNTING: `compile@${marker}` },
    });
    expect(r.code, r.stderr).toBe(1); // the unexpected trap and the crash
    const bench = benchOf(out);
    first = { out, bench };
    expect(bench.measure).toBe('instructions');
    expect(bench.instructionMethod?.valgrind).toBe(version);
    const killed = bench.schedule.rounds[0]![0]!;
    const byKey = new Map(bench.cells.map((c) => [c.key, c]));
    expect(byKey.get(killed)!.status).toBe('crash');
    expect(byKey.get(killed)!.reason).toMatch(/SIGKILL/);

    // The trap (unless it was the killed one) is reported with its status, never as a count.
    const trap = byKey.get(key('trap'))!;
    if (killed !== trap.key) {
      expect(trap.status).toBe('trap');
      expect(trap.trap).toBe('unreachable');
    }
    expect(trap.instructions?.phases).toBeUndefined();

    const counted = sizes.map((n) => byKey.get(key(`loop.${n}`))!).filter((c) => c.key !== killed);
    expect(counted.length).toBeGreaterThanOrEqual(3);
    for (const c of counted) {
      expect(c.status).toBe('ok');
      const [a, b] = c.instructions!.processes;
      expect(a!.pid).not.toBe(b!.pid);
      // Exact: the guest's regions count the same in both processes.
      expect(a!.counts!.perCall).toEqual(b!.counts!.perCall);
      expect(c.instructions!.phases!.perCall!.deterministic).toBe(true);
      expect(c.instructions!.phases!.perCall!.calls).toBe(2);
      for (const phase of ['compile', 'precompile', 'deserialize', 'instantiate', 'firstCall'] as const) expect(c.instructions!.phases![phase]!.total).toBeGreaterThan(0);
    }
    // Per iteration: (count(n2) - count(n1)) / (n2 - n1), positive and the same for every pair of sizes.
    const n = (c: BenchCell) => Number(c.case.split('.')[1]);
    const per = counted.slice(1).map((c, i) => (c.instructions!.phases!.perCall!.perCall - counted[i]!.instructions!.phases!.perCall!.perCall) / (n(c) - n(counted[i]!)));
    expect(per[0]).toBeGreaterThan(0);
    expect(Number.isInteger(per[0])).toBe(true);
    for (const p of per) expect(p).toBe(per[0]);

    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('#### Instruction counts');
    expect(md).toContain(version);
    expect(md).toContain('Not counted:');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(version);
    expect(html).toContain('data-count=');
  }, LONG);

  it('flags a baseline whose counts are 2% lower as a regression, and an equal one not', async () => {
    expect(first).toBeDefined();
    const cells = first!.bench.cells.filter((c) => c.status === 'ok' && c.instructions?.phases);
    const [doctored, equal] = cells;
    expect(equal).toBeDefined();
    // Every count of one cell 2% lower in the baseline; the other cell's left as measured.
    const baseline = JSON.parse(readFileSync(join(first!.out, 'report.json'), 'utf8'));
    for (const c of baseline.bench.cells) {
      if (c.key !== doctored!.key) continue;
      for (const p of Object.values(c.instructions.phases) as { perCall: number; total: number; min: number; max: number }[]) {
        p.perCall *= 0.98;
        for (const f of ['total', 'min', 'max'] as const) p[f] = Math.floor(p[f] * 0.98);
      }
    }
    const baselineFile = join(tmp('wasm-matrix-countbase-'), 'report.json');
    writeFileSync(baselineFile, JSON.stringify(baseline));
    const file = loopSet([loop(Number(doctored!.case.split('.')[1])), loop(Number(equal!.case.split('.')[1]))]);
    const out = tmp('wasm-matrix-count2-');
    const r = await benchCli(['--benchmarks', file, '--runtime', 'wasmtime-48', '--measure', 'instructions', '--count-calls', '2', '--baseline', baselineFile, '--out', out, '--json'], { timeout: LONG });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`instruction regression`);
    expect(r.stderr).toContain(doctored!.key);
    expect(r.stderr).not.toContain(`${equal!.key}:`);
    const gate = benchOf(out).baseline!.instructions!;
    expect(gate.thresholdPct).toBe(1);
    expect(gate.regressions).toEqual([doctored!.key]);
    const row = gate.rows.find((x) => x.key === equal!.key)!;
    expect(row.verdict).toBe('same');
    expect(row.phases.find((p) => p.phase === 'perCall')!.ratio).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.instructionRegressions).toEqual([doctored!.key]);
  }, LONG);
});

describe('bench --measure: bad input and a missing valgrind', () => {
  it('an unknown measure is exit 2 listing the valid ones', async () => {
    const r = await benchCli(['--measure', 'cycles', '--out', tmp('wasm-matrix-count-')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--measure: "cycles" is not a measure; valid: time, instructions, both');
  });

  it('--measure instructions without valgrind is exit 2 saying so, and doctor reports it missing', async () => {
    const env = { WASM_MATRIX_VALGRIND: '/nonexistent/valgrind' };
    const r = await benchCli(['--benchmarks', loopSet([loop(10)]), '--runtime', 'wasmtime-48', '--measure', 'instructions', '--out', tmp('wasm-matrix-count-')], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--measure instructions counts instructions under valgrind');
    expect(r.stderr).toContain('WASM_MATRIX_VALGRIND=/nonexistent/valgrind: not found');
    const d = await cli(['doctor', '--json'], { env });
    expect(JSON.parse(d.stdout).measures.instructions).toMatchObject({ available: false, command: '/nonexistent/valgrind' });
    const text = await cli(['doctor'], { env });
    expect(text.stdout).toMatch(/MISSING instructions/);
  });

  it.skipIf(!valgrind.available)('doctor reports valgrind when it is there', async () => {
    const d = await cli(['doctor', '--json']);
    expect(JSON.parse(d.stdout).measures.instructions).toMatchObject({ available: true, valgrind: version });
  });
});
