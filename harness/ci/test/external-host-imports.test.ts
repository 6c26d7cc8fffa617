// `run --external` on a module of a made-up platform (imports from
// `spacetime_10.0` and `env`, `__preinit__*` start-up, no `_start`): its raw
// export becomes a cell on every runtime, with the recorded host calls in the
// report; bad declarations fail their own cells naming the file, the import
// and both signatures.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { readReport } from '../../report/writer.js';
import { run, tmp } from './helpers.js';

const runtimes = loadRuntimes();
const guestSource = new URL('../../workers/test/fixtures/platform-guest.c', import.meta.url).pathname;

const PLATFORM = [
  { module: 'spacetime_10.0', name: 'console_log', signature: '(i32, i64) -> ()', behavior: 'record' },
  { module: 'spacetime_10.0', name: 'now', signature: '() -> (i64)', behavior: 'const', values: ['i64:1700000000000'] },
  { module: 'env', name: 'answer', signature: '() -> (i32)', behavior: 'const', values: ['i32:42'] },
  { module: 'env', name: 'scale', signature: '(f64) -> (f64)', behavior: 'zero' },
  { module: 'env', name: 'abort_hook', signature: '(i32) -> ()', behavior: 'trap' },
];

describe('run --external with host imports and life cycles', () => {
  const dir = tmp('wasm-matrix-platform-');
  const out = tmp('wasm-matrix-platform-out-');

  beforeAll(() => {
    const built = join(tmp('wasm-matrix-platform-build-'), 'platform.wasm');
    execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', '-mexec-model=reactor', '-o', built, guestSource], { stdio: 'pipe' });
    const add = (name: string, spec: unknown) => {
      copyFileSync(built, join(dir, `${name}.wasm`));
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(spec));
    };
    const preinit = { lifecycle: { prefix: '__preinit__' } };
    add('logs', { ...preinit, host_imports: PLATFORM, export: 'log_twice', export_args: ['i32:5'], values: ['i64:1700000000000'], host_calls: ['spacetime_10.0.console_log(i32:10, i64:1)', 'spacetime_10.0.console_log(i32:20, i64:12)', 'spacetime_10.0.console_log(i32:5, i64:42)', 'spacetime_10.0.console_log(i32:7, i64:-1)'] });
    add('wrong-calls', { ...preinit, host_imports: PLATFORM, export: 'inits', values: ['i32:12'], host_calls: ['spacetime_10.0.console_log(i32:20, i64:2)'] });
    add('bad-start', { lifecycle: { prefix: '__bad__' }, host_imports: PLATFORM, export: 'inits' });
    add('unknown', { host_imports: PLATFORM.filter((d) => d.name !== 'abort_hook'), export: 'answer' });
    add('bad-signature', { host_imports: PLATFORM.map((d) => (d.name === 'now' ? { ...d, signature: '() -> (i32)', values: ['i32:1'] } : d)), export: 'answer' });
    add('bad-const', { host_imports: [{ module: 'env', name: 'answer', signature: '() -> (i32)', behavior: 'const' }], export: 'answer' });
  });

  it('gives each program its cells; recorded calls are in the report; bad input names what is wrong', async () => {
    const r = await run(['--external', dir, '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const report = readReport(join(out, 'report.json'));
    const cells = (name: string) => report.cells.filter((c) => c.case === name);
    for (const name of ['logs', 'wrong-calls', 'bad-start', 'unknown', 'bad-signature', 'bad-const']) expect(cells(name).map((c) => c.runtime).sort()).toEqual(runtimes.map((x) => x.id).sort());

    for (const c of cells('logs')) {
      expect(c.status, c.reason).toBe('pass');
      expect(c.actual?.values).toEqual(['i64:1700000000000']);
      expect(c.actual?.hostCalls).toEqual(['spacetime_10.0.console_log(i32:10, i64:1)', 'spacetime_10.0.console_log(i32:20, i64:12)', 'spacetime_10.0.console_log(i32:5, i64:42)', 'spacetime_10.0.console_log(i32:7, i64:-1)']);
    }
    for (const c of cells('wrong-calls')) expect(c).toMatchObject({ status: 'mismatch', reason: 'recorded host calls differ', expected: { hostCalls: ['spacetime_10.0.console_log(i32:20, i64:2)'] } });
    for (const c of cells('bad-start')) {
      expect(c).toMatchObject({ status: 'trap', expectedTrap: false, reason: 'unexpected trap host-import in life-cycle export __bad__init', actual: { trap: 'host-import', lifecycleExport: '__bad__init' } });
    }
    for (const c of cells('unknown')) {
      expect(c.status).toBe('unsupported');
      expect(c.reason).toContain('`env`.`abort_hook`');
    }
    for (const c of cells('bad-signature')) {
      expect(c).toMatchObject({ status: 'mismatch', reason: 'host import spacetime_10.0.now is declared () -> (i32), but the module imports it as () -> (i64)' });
    }
    for (const c of cells('bad-const')) {
      expect(c.status).toBe('mismatch');
      expect(c.reason).toContain(`bad spec file ${join(dir, 'bad-const.json')}`);
      expect(c.reason).toContain('host_imports.0.values');
    }
    // report.md shows the recorded calls side by side, and the life-cycle export that trapped.
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/host calls[^\n]*spacetime_10\.0\.console_log\(i32:20, i64:2\)[^\n]*spacetime_10\.0\.console_log\(i32:10, i64:1\); spacetime_10\.0\.console_log\(i32:20, i64:12\)/);
    expect(md).toMatch(/life-cycle export[^\n]*__bad__init/);
  });
});
