// `run --external` on a folder holding both core modules and components: the
// same C programs as core modules (clang-14) and as preview 2 components (the
// clang-wasi-p2 adapter step), plus components the harness cannot run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { readReport } from '../../report/writer.js';
import { componentize } from '../../toolchains/clang-p2.js';
import { componentFromWat, EXPORTS_HTTP, IMPORTS_HTTP } from '../../workers/test/component-fixtures.js';
import { run, tmp } from './helpers.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const runtimes = loadRuntimes();

describe('run --external with core modules and components', () => {
  const dir = tmp('wasm-matrix-external-mixed-');
  const out = tmp('wasm-matrix-external-mixed-out-');

  beforeAll(async () => {
    const built = tmp('wasm-matrix-external-mixed-build-');
    for (const name of ['echo', 'files']) {
      execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', '-o', join(built, `${name}.wasm`), join(fixtures, `${name}.c`)], { stdio: 'pipe' });
    }
    const spec = (name: string, value: unknown) => writeFileSync(join(dir, `${name}.json`), JSON.stringify(value));
    const args = { args: ['one', 'two words'], env: { GREETING: 'hi' }, stdout: 'arg:one\narg:two words\nenv:hi\nhome:unset\n', stderr: 'to stderr\n' };
    execFileSync('cp', [join(built, 'echo.wasm'), join(dir, 'echo-core.wasm')]);
    spec('echo-core', args);
    await componentize(join(built, 'echo.wasm'), join(dir, 'echo-component.wasm'), false, () => {});
    spec('echo-component', args);
    await componentize(join(built, 'files.wasm'), join(dir, 'files-component.wasm'), false, () => {});
    spec('files-component', { dirs: ['data'], stdout: 'file:hello\n' });
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'in.txt'), 'hello');
    // Exit codes above 1 do not survive wasi:cli/exit@0.2 (ok/err): expected as 1.
    await componentize(join(built, 'echo.wasm'), join(dir, 'exit3-component.wasm'), false, () => {});
    spec('exit3-component', { env: { EXIT: '3' }, exit_code: 1 });
    writeFileSync(join(dir, 'http-client.wasm'), await componentFromWat(IMPORTS_HTTP));
    writeFileSync(join(dir, 'http-server.wasm'), await componentFromWat(EXPORTS_HTTP));
  });

  it('runs command components as commands and reports the others unsupported, naming the interface', async () => {
    const r = await run(['--external', dir, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const report = readReport(join(out, 'report.json'));
    const names = ['echo-component', 'echo-core', 'exit3-component', 'files-component', 'http-client', 'http-server'];
    expect(report.cells).toHaveLength(names.length * runtimes.length);
    const statuses = (name: string) => [...new Set(report.cells.filter((c) => c.case === name).map((c) => c.status))];
    for (const name of ['echo-component', 'echo-core', 'exit3-component', 'files-component']) expect(statuses(name), name).toEqual(['pass']);
    for (const name of ['http-client', 'http-server']) expect(statuses(name), name).toEqual(['unsupported']);
    const reasons = (name: string) => report.cells.filter((c) => c.case === name).map((c) => c.reason ?? '');
    for (const reason of reasons('http-client')) expect(reason).toContain('wasi:http/outgoing-handler@0.2.0');
    for (const reason of reasons('http-server')) expect(reason).toContain('wasi:http/incoming-handler@0.2.0');
    // The same program gives the same cell as a core module and as a component.
    const actual = (name: string) => report.cells.filter((c) => c.case === name).map((c) => c.actual);
    expect(actual('echo-component')).toEqual(actual('echo-core'));
    // Each artifact's kind and what it imports.
    const artifact = (name: string) => report.artifacts.find((a) => a.hash === report.cells.find((c) => c.case === name)!.artifactHash)!;
    expect(artifact('echo-core')).toMatchObject({ kind: 'core-module', imports: ['wasi_snapshot_preview1'] });
    expect(artifact('echo-component').kind).toBe('component');
    expect(artifact('echo-component').imports).toEqual(expect.arrayContaining([expect.stringMatching(/^wasi:cli\/stdout@0\.2\.\d+$/)]));
    expect(artifact('http-client').imports).toEqual(['wasi:http/outgoing-handler@0.2.0']);
  });
});
