// `wasm-matrix run` and `build` as processes: interruption, crashes, bad
// names, baselines, compile errors and broken suite files.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { readReport } from '../../report/writer.js';
import { cli, cliPath } from '../../cli/test/cli.js';
import { writeMiniSuite } from './mini-suite.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

function envFor(suitesRoot: string): Record<string, string> {
  return { ...(process.env as Record<string, string>), WASM_MATRIX_SUITES_DIR: suitesRoot, WASM_MATRIX_CACHE_DIR: tmp('wasm-matrix-cache-') };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const cellsIn = (path: string): number => {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { cells: unknown[] }).cells.length;
  } catch {
    return 0;
  }
};

describe('wasm-matrix run', () => {
  it('leaves a valid report of the finished cells when interrupted by SIGINT', async () => {
    const mini = writeMiniSuite({ spinCases: 12, spinTimeoutMs: 700 });
    const outDir = tmp('wasm-matrix-out-');
    const child = spawn('node', [cliPath, 'run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', outDir], { env: envFor(mini.root), stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => cellsIn(join(outDir, 'report.json')) >= 5, 120_000);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const report = readReport(join(outDir, 'report.json'));
    expect(report.complete).toBe(false);
    expect(report.interrupted).toContain('SIGINT');
    expect(report.cells.length).toBeGreaterThanOrEqual(5);
    expect(report.cells.length).toBeLessThan(16);
    expect(existsSync(join(outDir, 'report.md'))).toBe(true);
  });

  it('goes on after a worker dies in the middle of a cell, marking that cell crash', async () => {
    const mini = writeMiniSuite({ spinCases: 6, spinTimeoutMs: 1500 });
    const outDir = tmp('wasm-matrix-out-');
    const run = execa('node', [cliPath, 'run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-36', '--out', outDir], { env: envFor(mini.root), reject: false });
    await waitFor(() => cellsIn(join(outDir, 'report.json')) >= 5, 120_000);
    // The worker is the run's only child process running a worker entry point.
    const ps = await execa('pgrep', ['-P', String(run.pid), '-f', 'worker-main.js'], { reject: false });
    const workerPid = Number(ps.stdout.trim().split('\n')[0]);
    expect(workerPid).toBeGreaterThan(0);
    process.kill(workerPid, 'SIGKILL');
    const result = await run;
    expect(result.exitCode).toBe(1);
    const report = readReport(join(outDir, 'report.json'));
    expect(report.complete).toBe(true);
    expect(report.cells.filter((c) => c.status === 'crash')).toHaveLength(1);
    expect(report.cells).toHaveLength(4 + 6);
    expect(report.cells.filter((c) => c.status === 'timeout' && c.expectedTrap).length).toBe(5);
  });

  it('exits 2 on unknown suite, flavor or runtime names, listing the valid ones', async () => {
    const suite = await cli(['run', '--suite', 'nope']);
    expect(suite.code).toBe(2);
    expect(suite.stderr).toMatch(/unknown suite "nope"; valid suites: compute, core, memory64, wasi/);
    const flavor = await cli(['run', '--flavor', 'gcc']);
    expect(flavor.code).toBe(2);
    expect(flavor.stderr).toContain('valid flavors: mono-interp, nativeaot-llvm, csharp-native');
    const runtime = await cli(['run', '--runtime', 'wasmtime-1']);
    expect(runtime.code).toBe(2);
    expect(runtime.stderr).toContain('valid runtimes: wasmtime-24, wasmtime-36, wasmtime-48');
  });

  it('refuses a baseline of another schema version with a clear error', async () => {
    const mini = writeMiniSuite();
    const baseline = join(tmp('wasm-matrix-baseline-'), 'old.json');
    writeFileSync(baseline, JSON.stringify({ schemaVersion: 0, cells: [] }));
    const r = await cli(['run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', tmp('wasm-matrix-out-'), '--baseline', baseline], { env: envFor(mini.root) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('schemaVersion 0');
  });

  it('puts cells that newly fail against a baseline first, then those fixed', async () => {
    const mini = writeMiniSuite();
    const env = envFor(mini.root);
    const before = tmp('wasm-matrix-out-');
    expect((await cli(['run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', before], { env })).code).toBe(0);
    mini.writeC(7);
    const after = tmp('wasm-matrix-out-');
    const r = await cli(['run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', after, '--baseline', join(before, 'report.json'), '--json'], { env });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).baseline.newlyFailing).toEqual(['mini/answer/clang-wasi-O2/wasmtime-48']);
    const md = readFileSync(join(after, 'report.md'), 'utf8');
    expect(md).toContain('mini/answer/clang-wasi-O2/wasmtime-48');
  });
});

describe('wasm-matrix build', () => {
  it('reports a compile error with file and line and exits 1', async () => {
    const mini = writeMiniSuite();
    writeFileSync(join(mini.dir, 'c', 'mini.c'), '#include "harness.h"\nint broken( { return 0; }\n');
    const r = await cli(['build', '--flavor', 'clang-wasi-O2', '--json'], { env: envFor(mini.root) });
    expect(r.code).toBe(1);
    const [row] = JSON.parse(r.stdout).artifacts;
    expect(row.status).toBe('failed');
    expect(row.diagnostics[0]).toMatchObject({ line: 2, severity: 'error' });
    expect(row.diagnostics[0].file).toMatch(/mini\.c$/);
  });

  it('names the file and the field of a suite that breaks its schema', async () => {
    const mini = writeMiniSuite();
    const suiteFile = join(mini.dir, 'suite.json');
    const suite = JSON.parse(readFileSync(suiteFile, 'utf8'));
    suite.cases[1].call.style = 'telepathy';
    writeFileSync(suiteFile, JSON.stringify(suite));
    const r = await cli(['build', '--json'], { env: envFor(mini.root) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(suiteFile);
    expect(r.stderr).toContain('cases.1.call');
  });

  it('hits the cache on a second build, misses after one source byte changes', async () => {
    const mini = writeMiniSuite();
    const env = envFor(mini.root);
    const build = async () => JSON.parse((await cli(['build', '--flavor', 'clang-wasi-O0', '--json'], { env })).stdout).artifacts[0];
    const first = await build();
    expect(first).toMatchObject({ status: 'built', cacheHit: false, kind: 'core-module' });
    const second = await build();
    expect(second).toMatchObject({ cacheHit: true, hash: first.hash });
    const source = join(mini.dir, 'c', 'mini.c');
    writeFileSync(source, readFileSync(source, 'utf8').replace('42', '41'));
    const third = await build();
    expect(third.cacheHit).toBe(false);
    expect(third.hash).not.toBe(first.hash);
    // A corrupt entry is not trusted: it is removed and rebuilt.
    writeFileSync(third.path, 'garbage');
    const fourth = await build();
    expect(fourth).toMatchObject({ cacheHit: false, hash: third.hash });
    expect(fourth.note).toContain('corrupt');
  });
});
