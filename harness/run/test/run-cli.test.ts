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

/** Finished cells in a run's cell log so far (the run writes report.json only at the end). */
const cellsIn = (outDir: string): number => {
  try {
    return readFileSync(join(outDir, 'cells.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{"cell":')).length;
  } catch {
    return 0;
  }
};

const REPORT_FILES = ['report.json', 'report.md', 'junit.xml', 'report.html'];
const filesOf = (dir: string): Record<string, string> => Object.fromEntries(REPORT_FILES.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('wasm-matrix run', () => {
  it('leaves a valid report of the finished cells when interrupted by SIGINT', async () => {
    const mini = writeMiniSuite({ spinCases: 12, spinTimeoutMs: 700 });
    const outDir = tmp('wasm-matrix-out-');
    const child = spawn('node', [cliPath, 'run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', outDir], { env: envFor(mini.root), stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => cellsIn(outDir) >= 5, 120_000);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const report = readReport(join(outDir, 'report.json'));
    expect(report.complete).toBe(false);
    expect(report.interrupted).toContain('SIGINT');
    expect(report.cells.length).toBeGreaterThanOrEqual(5);
    expect(report.cells.length).toBeLessThan(16);
    expect(existsSync(join(outDir, 'report.md'))).toBe(true);
    // Every cell the log recorded is in the report, and the log alone gives the same four files.
    expect(report.cells.length).toBe(cellsIn(outDir));
    const written = filesOf(outDir);
    const again = tmp('wasm-matrix-rebuilt-');
    const rebuilt = await cli(['report', '--from', outDir, '--out', again]);
    expect(rebuilt.code).toBe(1);
    expect(filesOf(again)).toEqual(written);
  });

  it('keeps every finished cell when the main process is killed (SIGKILL): report --from and merge make the report', async () => {
    const mini = writeMiniSuite({ spinCases: 12, spinTimeoutMs: 700 });
    const outDir = tmp('wasm-matrix-out-');
    const child = spawn('node', [cliPath, 'run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', outDir], { env: envFor(mini.root), stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitFor(() => cellsIn(outDir) >= 5, 120_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // Killed: no report files, only the log.
    expect(existsSync(join(outDir, 'report.json'))).toBe(false);
    const logged = cellsIn(outDir);
    expect(logged).toBeGreaterThanOrEqual(5);

    const r = await cli(['report', '--from', outDir, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ cells: logged, complete: false });
    const report = readReport(join(outDir, 'report.json'));
    expect(report.complete).toBe(false);
    expect(report.interrupted).toContain(`the run stopped without finishing (killed?) after ${logged} cells`);
    expect(report.cells).toHaveLength(logged);
    expect(readFileSync(join(outDir, 'report.md'), 'utf8')).toContain('**Incomplete report**');

    // merge reads a folder that holds only the log the same way.
    const killedCopy = tmp('wasm-matrix-killed-');
    writeFileSync(join(killedCopy, 'cells.jsonl'), readFileSync(join(outDir, 'cells.jsonl')));
    const merged = tmp('wasm-matrix-merged-');
    const m = await cli(['merge', killedCopy, '--out', merged, '--json']);
    expect(m.code).toBe(1);
    expect(JSON.parse(m.stdout)).toMatchObject({ cells: logged, complete: false });
    expect(readReport(join(merged, 'report.json')).cells.map((c) => `${c.suite}/${c.case}`)).toEqual(report.cells.map((c) => `${c.suite}/${c.case}`));
  });

  it('rebuilds from the cell log exactly the four files a complete run wrote', async () => {
    const mini = writeMiniSuite();
    const outDir = tmp('wasm-matrix-out-');
    const run = await cli(['run', '--flavor', 'clang-wasi-O0', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-36', '--runtime', 'wasmtime-48', '--out', outDir], { env: envFor(mini.root) });
    expect(run.code).toBe(0);
    const written = filesOf(outDir);
    expect(readReport(join(outDir, 'report.json'))).toMatchObject({ complete: true, cells: { length: 4 * 2 * 2 } });
    const again = tmp('wasm-matrix-rebuilt-');
    const r = await cli(['report', '--from', join(outDir, 'cells.jsonl'), '--out', again]);
    expect(r.code).toBe(0);
    expect(filesOf(again)).toEqual(written);
    // In place too.
    for (const f of REPORT_FILES) writeFileSync(join(outDir, f), '');
    expect((await cli(['report', '--from', outDir])).code).toBe(0);
    expect(filesOf(outDir)).toEqual(written);
  });

  it('report --from: exit 2 naming the file for a missing log and another log version', async () => {
    const empty = tmp('wasm-matrix-empty-');
    const missing = await cli(['report', '--from', empty]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${empty}: no cells.jsonl in it`);
    const log = join(empty, 'cells.jsonl');
    writeFileSync(log, `${JSON.stringify({ format: 'wasm-matrix-cell-log', version: 99, head: {} })}\n`);
    const version = await cli(['report', '--from', log]);
    expect(version.code).toBe(2);
    expect(version.stderr).toContain(`${log}: cell log version 99; this wasm-matrix reads version 1`);
  });

  it('report --from: a truncated last line keeps the cells before it and names the line', async () => {
    const mini = writeMiniSuite();
    const outDir = tmp('wasm-matrix-out-');
    expect((await cli(['run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', outDir], { env: envFor(mini.root) })).code).toBe(0);
    const log = join(outDir, 'cells.jsonl');
    // As if the process died writing the third cell: header, two cells, half a line.
    const lines = readFileSync(log, 'utf8').split('\n');
    writeFileSync(log, `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 25)}`);
    const r = await cli(['report', '--from', outDir, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${log}: line 4 is incomplete`);
    expect(JSON.parse(r.stdout)).toMatchObject({ cells: 2, complete: false, truncatedLine: 4 });
    expect(readReport(join(outDir, 'report.json')).interrupted).toContain('line 4 of cells.jsonl was incomplete and dropped');
  });

  it('goes on after a worker dies in the middle of a cell, marking that cell crash', async () => {
    const mini = writeMiniSuite({ spinCases: 6, spinTimeoutMs: 1500 });
    const outDir = tmp('wasm-matrix-out-');
    const run = execa('node', [cliPath, 'run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-36', '--out', outDir], { env: envFor(mini.root), reject: false });
    await waitFor(() => cellsIn(outDir) >= 5, 120_000);
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
    expect(flavor.stderr).toContain('valid flavors: mono-interp, nativeaot-llvm, nativeaot-llvm-p2, csharp-native');
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

  it('makes `run` exit 1 on a failed build, with a structured build failure and a headline that agrees', async () => {
    const mini = writeMiniSuite();
    writeFileSync(join(mini.dir, 'c', 'mini.c'), '#include "harness.h"\nint broken( { return 0; }\n');
    const out = tmp('wasm-matrix-out-');
    const r = await cli(['run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', out, '--json'], { env: envFor(mini.root) });
    expect(r.code).toBe(1);
    const report = readReport(join(out, 'report.json'));
    expect(report.cells.length).toBeGreaterThan(0);
    for (const cell of report.cells) {
      expect(cell.status).toBe('skipped');
      expect(cell.buildFailure?.summary).toMatch(/mini\.c:2/);
      expect(cell.reason).toBe(`build failed: ${cell.buildFailure!.summary}`);
    }
    const headline = readFileSync(join(out, 'report.md'), 'utf8').split('\n')[0];
    expect(headline).toContain('(exit 1)');
    expect(headline).not.toContain('nothing wrong');
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<error');
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
