// `wasm-matrix bisect` for real: real workers on the pinned runtimes, the
// memory64 suite (unsupported before Wasmtime 30) as the cell that changes.
import { describe, expect, it } from 'vitest';
import { cli } from '../../cli/test/cli.js';

interface ReportJson {
  cell: string;
  good: string;
  bad: string;
  result:
    | { outcome: 'found' | 'range'; firstChanged: string; lastSame: string; untested?: string[]; tried: { version: string; verdict: string; display: string }[] }
    | { outcome: 'no-change'; display: string; tried: { version: string; verdict: string; display: string }[] };
  builds: { count: number };
  runtimes: { version: string; how: string }[];
}

const major = (v: string) => Number(v.split('.')[0]);

describe('wasm-matrix bisect', () => {
  it('bisects across two consecutive pinned runtimes without building: the change lies between them', async () => {
    const r = await cli(['bisect', '--cell', 'memory64/store_load/wat', '--good', 'wasmtime-24', '--bad', 'wasmtime-36', '--no-build', '--json'], { timeout: 600_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ReportJson;
    expect(report).toMatchObject({ cell: 'memory64/store_load/wat', good: '24.0.13', bad: '36.0.14', builds: { count: 0 } });
    const result = report.result;
    if (result.outcome === 'no-change') throw new Error('expected a change');
    // 24 cannot compile a 64-bit memory; 36 runs it. Whatever else is built here, the answer
    // brackets Wasmtime 30 (memory64 on by default) and names what it could not try.
    const byVersion = new Map(result.tried.map((t) => [t.version, t]));
    expect(byVersion.get('24.0.13')?.display).toMatch(/^unsupported/);
    expect(byVersion.get('36.0.14')?.display).toMatch(/^pass: i64:-6148914691236517206/);
    expect(major(result.lastSame)).toBeLessThan(30);
    expect(major(result.firstChanged)).toBeGreaterThanOrEqual(30);
    if (result.outcome === 'range') {
      expect(result.untested!.length).toBeGreaterThan(0);
      expect(result.untested).toContain('30.0.0');
    }
    // Every runtime it used was already built.
    expect(report.runtimes.every((u) => u.how === 'reused')).toBe(true);
    // Progress lines on stderr, one per version tried.
    expect(r.stderr).toMatch(/bisect: \[endpoint\] 24\.0\.13: same/);
    expect(r.stderr).toMatch(/bisect: \[endpoint\] 36\.0\.14: changed/);

    // The text report: table, answer, link-ready line.
    const text = await cli(['bisect', '--cell', 'memory64/store_load/wat', '--good', 'wasmtime-24', '--bad', 'wasmtime-36', '--no-build'], { timeout: 600_000 });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^bisect memory64\/store_load\/wat \(measure: result\) between 24\.0\.13 and 36\.0\.14/);
    expect(text.stdout).toMatch(/24\.0\.13\s+endpoint\s+reused\s+same\s+unsupported/);
    expect(text.stdout).toMatch(/runtimes built: 0 \(0 s\)/);
    expect(text.stdout).toMatch(/https:\/\/github\.com\/bytecodealliance\/wasmtime\/releases\/tag\/v\d+\.0\.\d+/);
  }, 900_000);

  it('says when good and bad give the same result and exits 1 without building anything', async () => {
    const r = await cli(['bisect', '--cell', 'memory64/size/wat', '--good', 'wasmtime-36', '--bad', 'wasmtime-48', '--json'], { timeout: 600_000 });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as ReportJson;
    expect(report.result.outcome).toBe('no-change');
    if (report.result.outcome === 'no-change') expect(report.result.display).toBe('36.0.14 and 48.0.8 give the same result: pass: i64:1');
    expect(report.result.tried.map((t) => t.version)).toEqual(['36.0.14', '48.0.8']);
    expect(report.builds.count).toBe(0);
  }, 900_000);

  it('refuses bad input with exit 2, naming the valid suites, cases and flavors', async () => {
    const suite = await cli(['bisect', '--cell', 'nope/x/wat']);
    expect(suite.code).toBe(2);
    expect(suite.stderr).toMatch(/unknown suite "nope"; valid suites: .*core.*memory64/);
    const testCase = await cli(['bisect', '--cell', 'memory64/nope/wat']);
    expect(testCase.code).toBe(2);
    expect(testCase.stderr).toContain('suite memory64 has no case "nope"; valid cases: store_load, store_load.last_word, size, grow, grow.past_max, load_past_end, load_above_4gib');
    const flavor = await cli(['bisect', '--cell', 'memory64/size/clang-wasi-O2']);
    expect(flavor.code).toBe(2);
    expect(flavor.stderr).toContain('valid flavors: wat');
    const shape = await cli(['bisect', '--cell', 'memory64']);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain('is not SUITE/CASE/FLAVOR');
    const endpoint = await cli(['bisect', '--cell', 'memory64/size/wat', '--good', 'wasmtime-7']);
    expect(endpoint.code).toBe(2);
    expect(endpoint.stderr).toMatch(/--good "wasmtime-7" is neither a runtime id \(wasmtime-24, .*\) nor an exact version/);
    const same = await cli(['bisect', '--cell', 'memory64/size/wat', '--good', 'wasmtime-48', '--bad', '48.0.8']);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('--good and --bad are both Wasmtime 48.0.8');
    // Instruction counts need valgrind (absent here by WASM_MATRIX_VALGRIND naming no file).
    const instructions = await cli(['bisect', '--cell', 'memory64/size/wat', '--measure', 'instructions'], { env: { WASM_MATRIX_VALGRIND: '/nonexistent/valgrind' } });
    expect(instructions.code).toBe(2);
    expect(instructions.stderr).toContain("--measure instructions counts instructions under valgrind's callgrind, which is not available: WASM_MATRIX_VALGRIND=/nonexistent/valgrind: not found");
    const neither = await cli(['bisect']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('give --cell SUITE/CASE/FLAVOR, or --external DIR --program X');
  }, 300_000);
});
