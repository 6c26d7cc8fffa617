// A suite whose `prebuilt` source is a module of a made-up platform (imports
// from `spacetime_10.0` and `env`, `__preinit__*` start-up, raw exports only):
// with its host imports and life cycle declared in suite.json, its exports are
// cells like any other, compared across the runtimes, recorded calls included.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { loadSuite } from '../../config/suite.js';
import { UsageError } from '../../errors.js';
import { readReport } from '../../report/writer.js';
import { flavorById } from '../../toolchains/registry.js';
import { runMatrix } from '../matrix.js';

const runtimes = loadRuntimes();
const guestSource = new URL('../../workers/test/fixtures/platform-guest.c', import.meta.url).pathname;

const HOST_IMPORTS = [
  { module: 'spacetime_10.0', name: 'console_log', signature: '(i32, i64) -> ()', behavior: 'record' },
  { module: 'spacetime_10.0', name: 'now', signature: '() -> (i64)', behavior: 'const', values: ['i64:77'] },
  { module: 'env', name: 'answer', signature: '() -> (i32)', behavior: 'const', values: ['i32:42'] },
  { module: 'env', name: 'scale', signature: '(f64) -> (f64)', behavior: 'zero' },
  { module: 'env', name: 'abort_hook', signature: '(i32) -> ()', behavior: 'trap' },
];

function writePlatformSuite(prebuilt: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-platform-suite-'));
  mkdirSync(dir, { recursive: true });
  execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-mexec-model=reactor', '-o', join(dir, 'platform.wasm'), guestSource], { stdio: 'pipe' });
  const preinit = ['spacetime_10.0.console_log(i32:10, i64:1)', 'spacetime_10.0.console_log(i32:20, i64:12)'];
  writeFileSync(
    join(dir, 'suite.json'),
    JSON.stringify({
      schemaVersion: 1,
      name: 'platform',
      description: 'a module of a made-up platform',
      kind: 'dispatcher',
      sources: { prebuilt: { path: 'platform.wasm', abi: 'raw', ...prebuilt } },
      cases: [
        { name: 'inits', call: { style: 'export', export: 'inits' }, expect: { values: ['i32:12'], hostCalls: preinit } },
        { name: 'log', call: { style: 'export', export: 'log_twice', args: ['i32:5'] }, expect: { values: ['i64:77'], hostCalls: [...preinit, 'spacetime_10.0.console_log(i32:5, i64:42)', 'spacetime_10.0.console_log(i32:7, i64:-1)'] } },
        // No expectation: judged against the reference cell (the newest runtime).
        { name: 'answer', call: { style: 'export', export: 'answer' } },
        { name: 'fail', call: { style: 'export', export: 'fail' }, expect: { trap: 'host-import' } },
      ],
    }),
  );
  return dir;
}

describe('a prebuilt module of a real platform, declared in suite.json', () => {
  it('runs its raw exports on every runtime after the declared start-up, with the recorded calls in the report', async () => {
    const dir = writePlatformSuite({ hostImports: HOST_IMPORTS, lifecycle: { prefix: '__preinit__' } });
    process.env.WASM_MATRIX_CACHE_DIR = mkdtempSync(join(tmpdir(), 'wasm-matrix-cache-'));
    const outDir = mkdtempSync(join(tmpdir(), 'wasm-matrix-report-'));
    const { report, exitCode } = await runMatrix({ suites: [loadSuite(dir)], flavors: [flavorById('prebuilt')], runtimes, outDir, quiet: true });
    expect(report.cells.filter((c) => c.status !== 'pass' && !(c.status === 'trap' && c.expectedTrap)).map((c) => [c.case, c.runtime, c.status, c.reason])).toEqual([]);
    expect(exitCode).toBe(0);
    const written = readReport(join(outDir, 'report.json'));
    for (const c of written.cells.filter((x) => x.case === 'log')) expect(c.actual?.hostCalls?.slice(2)).toEqual(['spacetime_10.0.console_log(i32:5, i64:42)', 'spacetime_10.0.console_log(i32:7, i64:-1)']);
    const answers = written.cells.filter((c) => c.case === 'answer');
    expect(answers.map((c) => c.actual?.values)).toEqual(runtimes.map(() => ['i32:42']));
    expect(answers.filter((c) => c.oracle === 'reference').length).toBe(runtimes.length - 1);
  });

  it('refuses a declaration that breaks the schema, naming the file and the field (exit 2)', () => {
    const dir = writePlatformSuite({ hostImports: [{ ...HOST_IMPORTS[0], signature: '(i32,i64) -> ()' }] });
    expect(() => loadSuite(dir)).toThrow(UsageError);
    expect(() => loadSuite(dir)).toThrow(new RegExp(`${join(dir, 'suite.json')}.*sources\\.prebuilt\\.hostImports\\.0\\.signature`));
    const twice = writePlatformSuite({ hostImports: [HOST_IMPORTS[0], HOST_IMPORTS[0]] });
    expect(() => loadSuite(twice)).toThrow(/spacetime_10\.0\.console_log is declared twice/);
    const lifecycle = writePlatformSuite({ lifecycle: '_main' });
    expect(() => loadSuite(lifecycle)).toThrow(/sources\.prebuilt\.lifecycle/);
  });
});
