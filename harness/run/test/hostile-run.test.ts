// Issue 10's probes of `run` as a process: a suite whose fixture names climb
// out with `..`, one broken suite among good ones, a `--suites` folder, the
// SIGINT headline, a missing baseline, and timeouts past Node's timer range.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { cli, cliPath } from '../../cli/test/cli.js';
import { makePreopens } from '../../workers/requests.js';
import { readReport } from '../../report/writer.js';
import { writeMiniSuite } from './mini-suite.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const env = (extra: Record<string, string> = {}) => ({ ...(process.env as Record<string, string>), WASM_MATRIX_CACHE_DIR: tmp('wasm-matrix-cache-'), ...extra });
const oneLine = (stderr: string) => stderr.trim().split('\n').filter((l) => l.startsWith('wasm-matrix:'));

/** A suites folder holding the good `mini` suite and `evil`, whose command case writes `../../ESCAPED_FILE.txt`. */
function suitesWithEvil(evilDir: { guest?: string; file?: string } = {}): { root: string; evilFile: string } {
  const mini = writeMiniSuite();
  cpSync(mini.dir, join(mini.root, 'evil'), { recursive: true });
  const evilFile = join(mini.root, 'evil', 'suite.json');
  writeFileSync(
    evilFile,
    JSON.stringify({
      schemaVersion: 1,
      name: 'evil',
      description: 'fixture names that climb out',
      kind: 'command',
      sources: { c: ['c/mini.c'] },
      cases: [{ name: 'escape', call: { style: 'command', dirs: [{ guest: evilDir.guest ?? 'data', files: { [evilDir.file ?? '../../ESCAPED_FILE.txt']: 'escaped' } }] } }],
    }),
  );
  return { root: mini.root, evilFile };
}

describe('suite fixtures stay inside their temporary folder', () => {
  it('the schema refuses `..` in a fixture file name and in a guest folder name, naming the file and field', async () => {
    for (const [opts, field] of [
      [{ file: '../../ESCAPED_FILE.txt' }, 'cases.0.call.dirs.0.files.../../ESCAPED_FILE.txt: key "../../ESCAPED_FILE.txt" is not a relative path'],
      [{ guest: '../../up' }, 'cases.0.call.dirs.0.guest: a relative path'],
    ] as const) {
      const { root, evilFile } = suitesWithEvil(opts);
      const r = await cli(['build', '--suites', root, '--suite', 'evil', '--flavor', 'csharp-native', '--json'], { env: env() });
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr).at(-1)).toContain(evilFile);
      expect(r.stderr).toContain(field);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(existsSync(join(root, '..', 'ESCAPED_FILE.txt'))).toBe(false);
    }
  });

  it('and the harness checks again where it writes the files', () => {
    expect(() => makePreopens([{ guest: 'data', files: { '../../ESCAPED_FILE.txt': 'x' } }])).toThrow('fixture file "../../ESCAPED_FILE.txt" leads outside');
    const left = readdirSync(tmpdir()).filter((n) => n.startsWith('wasm-matrix-dirs-'));
    const { preopens, cleanup } = makePreopens([{ guest: 'data', files: { 'a/b.txt': 'fine' } }]);
    expect(readFileSync(join(preopens[0]!.host, 'a', 'b.txt'), 'utf8')).toBe('fine');
    cleanup();
    // The refused call left no temporary folder behind.
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('wasm-matrix-dirs-'))).toEqual(left);
  });
});

describe('one broken suite does not block the others', () => {
  it('run --suites DIR: the good suite runs, the broken one is reported, exit 2, and every rendering says so', async () => {
    const { root, evilFile } = suitesWithEvil();
    const out = tmp('wasm-matrix-out-');
    const r = await cli(['run', '--suites', root, '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', out], { env: env() });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`broken suite left out: ${evilFile}`);
    const report = readReport(join(out, 'report.json'));
    expect(report.complete).toBe(true);
    expect(new Set(report.cells.map((c) => c.suite))).toEqual(new Set(['mini']));
    expect(report.cells.filter((c) => c.status === 'pass').length).toBeGreaterThan(0);
    expect(report.inputErrors?.[0]).toContain(evilFile);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('(exit 2)');
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(JSON.stringify(junit)).toContain('unusable input left out');
  });

  it('run --suite GOOD runs (exit 0) beside a broken suite; --suite BROKEN is exit 2 naming it', async () => {
    const { root, evilFile } = suitesWithEvil();
    const good = await cli(['run', '--suites', root, '--suite', 'mini', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', tmp('wasm-matrix-out-')], { env: env() });
    expect(good.code, good.stderr).toBe(0);
    const bad = await cli(['run', '--suite', 'evil', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', tmp('wasm-matrix-out-')], { env: env({ WASM_MATRIX_SUITES_DIR: root }) });
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr).at(-1)).toContain(`suite "evil" is broken: ${evilFile}`);
  });

  it('--suites of something that is not a folder is exit 2 with one line', async () => {
    const r = await cli(['plan', '--suites', '/etc/passwd'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('wasm-matrix: --suites: /etc/passwd is not a folder');
  });
});

describe('timeouts are validated to a documented maximum', () => {
  it('a suite defaultTimeoutMs of 3e9 is refused naming the field', async () => {
    const mini = writeMiniSuite();
    const file = join(mini.dir, 'suite.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), defaultTimeoutMs: 3e9 }));
    const r = await cli(['plan', '--suites', mini.root, '--suite', 'mini'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: defaultTimeoutMs: at most 86400000 ms (24 hours)`);
    expect(r.stderr).not.toContain('TimeoutOverflowWarning');
  });
});

describe('the report of an interrupted run agrees with the exit code', () => {
  it('after SIGINT: exit 130, report.md says exit 130 (not "nothing wrong"), junit.xml has an incomplete marker', async () => {
    const mini = writeMiniSuite({ spinCases: 12, spinTimeoutMs: 700 });
    const out = tmp('wasm-matrix-out-');
    const child = spawn('node', [cliPath, 'run', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', out], { env: env({ WASM_MATRIX_SUITES_DIR: mini.root }), stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Finished cells are in the cell log as they finish (report.json is written only at the end).
    const cells = () => {
      try {
        return readFileSync(join(out, 'cells.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{"cell"')).length;
      } catch {
        return 0;
      }
    };
    const until = Date.now() + 120_000;
    while (cells() < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const report = readReport(join(out, 'report.json'));
    expect(report.interruptedBy).toBe('SIGINT');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('(exit 130)');
    expect(md).not.toContain('nothing wrong');
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="wasm-matrix\.run" name="complete"[^>]*>\s*<error message="incomplete report: SIGINT after/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('exit 130');
  });
});

describe('a baseline is checked before any cell runs', () => {
  it('run --baseline MISSING is exit 2 at once, with no report written', async () => {
    const mini = writeMiniSuite();
    const out = join(tmp('wasm-matrix-out-'), 'report');
    const r = await cli(['run', '--suites', mini.root, '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', out, '--baseline', '/nonexistent/report.json'], { env: env() });
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([expect.stringContaining('/nonexistent/report.json: cannot read')]);
    expect(existsSync(out)).toBe(false);
  });
});
