// `run --external DIR` on WASI programs written here (C, built at set-up with
// clang-14); `bench --external` is tested in third-party.test.ts.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { readReport } from '../../report/writer.js';
import { ci, keyOf, run, tmp, verdictOf } from './helpers.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const runtimes = loadRuntimes();

function clang(source: string, out: string): void {
  execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', '-o', out, join(fixtures, source)], { stdio: 'pipe' });
}

const spec = (dir: string, name: string, value: unknown) => writeFileSync(join(dir, `${name}.json`), typeof value === 'string' ? value : JSON.stringify(value));

describe('run --external', () => {
  const dir = tmp('wasm-matrix-external-');
  const good = tmp('wasm-matrix-external-good-');

  beforeAll(() => {
    const built = tmp('wasm-matrix-external-build-');
    clang('echo.c', join(built, 'echo.wasm'));
    clang('files.c', join(built, 'files.wasm'));
    const add = (target: string, name: string, from: 'echo' | 'files', value?: unknown) => {
      copyFileSync(join(built, `${from}.wasm`), join(target, `${name}.wasm`));
      if (value !== undefined) spec(target, name, value);
    };
    for (const target of [dir, good]) {
      // args, env and both streams, compared exactly; the host's HOME stays out.
      add(target, 'args', 'echo', { args: ['one', 'two words'], env: { GREETING: 'hi' }, stdout: 'arg:one\narg:two words\nenv:hi\nhome:unset\n', stderr: 'to stderr\n' });
      // An exit code other than 0, expected.
      add(target, 'exit3', 'echo', { env: { EXIT: '3' }, exit_code: 3 });
      // No spec: no args, empty env, exit 0; output not compared.
      add(target, 'nospec', 'echo');
      // A folder copied fresh for every run: the program fails if it sees an earlier run's file.
      add(target, 'files', 'files', { dirs: ['data'], stdout: 'file:hello\n' });
      mkdirSync(join(target, 'data'), { recursive: true });
      writeFileSync(join(target, 'data', 'in.txt'), 'hello');
    }
    // Only in `dir`: a wrong exit code, wrong stdout, and two bad spec files.
    add(dir, 'wrong-exit', 'echo', { env: { EXIT: '4' } });
    add(dir, 'wrong-stdout', 'echo', { stdout: 'something else\n' });
    add(dir, 'bad-json', 'echo', '{ "args": [');
    add(dir, 'bad-types', 'echo', { args: 'one', exit_code: '0' });
    writeFileSync(join(dir, 'not-wasm.wasm'), 'hello');
  });

  const fullOut = tmp('wasm-matrix-out-');

  it('runs every program on every runtime; bad specs fail their own cells, naming the file and field', async () => {
    const out = fullOut;
    const r = await run(['--external', dir, '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const report = readReport(join(out, 'report.json'));
    expect(report.complete).toBe(true);
    const names = ['args', 'bad-json', 'bad-types', 'exit3', 'files', 'not-wasm', 'nospec', 'wrong-exit', 'wrong-stdout'];
    expect(report.cells).toHaveLength(names.length * runtimes.length);
    const status = (name: string) => [...new Set(report.cells.filter((c) => c.case === name).map((c) => c.status))];
    for (const cell of report.cells) {
      expect(cell.suite).toBe('external');
      expect(cell.flavor).toBe('prebuilt');
    }
    for (const name of ['args', 'exit3', 'nospec', 'files']) expect(status(name), name).toEqual(['pass']);
    for (const name of ['wrong-exit', 'wrong-stdout', 'bad-json', 'bad-types', 'not-wasm']) expect(status(name), name).toEqual(['mismatch']);

    const args = report.cells.find((c) => c.case === 'args')!;
    expect(args.actual).toEqual({ exitCode: 0, stdout: 'arg:one\narg:two words\nenv:hi\nhome:unset\n', stderr: 'to stderr\n' });
    const wrongExit = report.cells.find((c) => c.case === 'wrong-exit')!;
    expect(wrongExit.reason).toBe('exit code differs');
    expect(wrongExit.expected?.exitCode).toBe(0);
    expect(wrongExit.actual?.exitCode).toBe(4);
    const wrongStdout = report.cells.find((c) => c.case === 'wrong-stdout')!;
    expect(wrongStdout.reason).toBe('stdout differs');
    expect(wrongStdout.expected?.stdout).toBe('something else\n');

    const badJson = report.cells.find((c) => c.case === 'bad-json')!;
    expect(badJson.reason).toContain(`bad spec file ${join(dir, 'bad-json.json')}: not valid JSON`);
    const badTypes = report.cells.find((c) => c.case === 'bad-types')!;
    expect(badTypes.reason).toContain(join(dir, 'bad-types.json'));
    expect(badTypes.reason).toMatch(/args: .*expected array/);
    expect(badTypes.reason).toMatch(/exit_code: .*expected number/);
    expect(report.cells.find((c) => c.case === 'not-wasm')!.reason).toContain('not a wasm binary');
    expect(r.stderr).toContain('bad-types.json');

    // The folder itself is never written to.
    expect(readdirSync(join(dir, 'data'))).toEqual(['in.txt']);
    // report.md is written and names the failing programs.
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md.split('\n')[0]).toContain('(exit 1)');
    expect(md).toContain('bad-json');
  });

  it('exits 0 when every program does what its spec says, and shards like a suite run', async () => {
    const out = tmp('wasm-matrix-out-');
    const r = await run(['--external', good, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const all = readReport(join(out, 'report.json'));
    expect(all.cells.every((c) => c.status === 'pass')).toBe(true);

    const planned = await ci(['plan', '--external', good, '--shards', '2', '--format', 'json']);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as { shards: { args: string[]; cells: string[] }[] };
    expect(plan.shards.flatMap((s) => s.cells).sort()).toEqual(all.cells.map(keyOf).sort());
    const parts = tmp('wasm-matrix-parts-');
    for (const [i, shard] of plan.shards.entries()) {
      const part = await run([...shard.args, '--out', join(parts, String(i + 1))]);
      expect(part.code, part.stderr).toBe(0);
      expect(readReport(join(parts, String(i + 1), 'report.json')).cells.map(keyOf).sort()).toEqual([...shard.cells].sort());
    }
    const merged = await ci(['merge', parts, '--out', tmp('wasm-matrix-out-')]);
    expect(merged.code, merged.stderr).toBe(0);
  });

  it('gives the same cells, and exit 1, when the bad folder runs in shards and merges', async () => {
    const parts = tmp('wasm-matrix-parts-');
    for (const shard of ['1/2', '2/2']) {
      const part = await run(['--external', dir, '--shard', shard, '--out', join(parts, shard.replace('/', '-of-'))]);
      expect(part.code, part.stderr).toBe(1);
    }
    const out = tmp('wasm-matrix-out-');
    const merged = await ci(['merge', parts, '--out', out]);
    expect(merged.code, merged.stderr).toBe(1);
    const want = new Map(readReport(join(fullOut, 'report.json')).cells.map((c) => [keyOf(c), verdictOf(c)]));
    const got = readReport(join(out, 'report.json')).cells;
    expect(got).toHaveLength(want.size);
    for (const cell of got) expect(verdictOf(cell), keyOf(cell)).toBe(want.get(keyOf(cell)));
  });

  it('exits 2 on a missing folder, a folder without programs, or --external with --suite', async () => {
    expect((await run(['--external', join(dir, 'nope')])).code).toBe(2);
    const empty = await run(['--external', join(dir, 'data')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('has no .wasm files');
    const both = await run(['--external', dir, '--suite', 'core']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('does not combine');
  });
});
