// `wasm-matrix runtimes` and `wasm-matrix exec` as a user runs them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { buildFixtures, type Fixtures } from '../../workers/test/fixtures.js';
import { cli } from './cli.js';

const runtimes = loadRuntimes();
let fx: Fixtures;
beforeAll(() => {
  fx = buildFixtures();
});

describe('wasm-matrix runtimes', () => {
  it('lists every runtime with the version and hash its own worker reports', async () => {
    const r = await cli(['runtimes', '--json']);
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout) as { runtimes: { id: string; inManifest: boolean; built: boolean; wasmtimeVersion: string; compatibilityHash: string; pid: number }[] };
    // The pinned ones first, in manifest order; runtimes added on demand (the cache) after them.
    const json = { runtimes: all.runtimes.filter((x) => x.inManifest) };
    expect(all.runtimes.slice(0, runtimes.length)).toEqual(json.runtimes);
    expect(json.runtimes.map((x) => x.id)).toEqual(runtimes.map((x) => x.id));
    for (const [i, entry] of json.runtimes.entries()) {
      expect(entry.built).toBe(true);
      expect(entry.wasmtimeVersion).toBe(runtimes[i]!.wasmtime);
      expect(entry.compatibilityHash).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(json.runtimes.map((x) => x.pid)).size).toBe(runtimes.length);
  });
});

describe('wasm-matrix exec', () => {
  it('runs a dispatcher call and prints the outcome as JSON', async () => {
    const r = await cli(['exec', '--runtime', 'wasmtime-48', fx.abi, '--invoke', 'echo', '--input-hex', '00ff41']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ status: 'ok', runtime: 'wasmtime-48', wasmtimeVersion: runtimes.find((x) => x.id === 'wasmtime-48')!.wasmtime, outputHex: '00ff41' });
  });

  it('runs a raw export with typed arguments', async () => {
    const r = await cli(['exec', '--runtime', 'wasmtime-24', fx.abi, '--export', 'add_i64', '--args', 'i64:40,i64:2']);
    expect(JSON.parse(r.stdout).values).toEqual([{ type: 'i64', value: '42' }]);
  });

  it('runs a command with args after --, env and stdin, and reports the exit code', async () => {
    const stdin = join(fx.dir, 'stdin.txt');
    writeFileSync(stdin, 'abc');
    const r = await cli(['exec', '--runtime', 'wasmtime-36', fx.command, '--env', 'GREETING=yo', '--stdin', stdin, '--', 'fail']);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ status: 'ok', exitCode: 3, stderr: 'to stderr\n' });
    expect(json.stdout).toContain('env:yo\n');
    expect(json.stdout).toContain('stdin:abc\n');
  });

  it('reports a trap with exit code 1', async () => {
    const r = await cli(['exec', '--runtime', 'wasmtime-36', fx.traps, '--export', 'unreachable']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'trap', trap: 'unreachable' });
  });

  it('exits 2 on an unknown runtime, listing the valid ones', async () => {
    const r = await cli(['exec', '--runtime', 'wasmtime-99', fx.abi]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown runtime "wasmtime-99"');
    expect(r.stderr).toContain(runtimes.map((x) => x.id).join(', '));
  });

  it('exits 2 on a file that is not wasm, with a clear error', async () => {
    const bogus = join(fx.dir, 'bogus.wasm');
    writeFileSync(bogus, 'definitely not wasm');
    const r = await cli(['exec', '--runtime', 'wasmtime-48', bogus, '--export', 'x']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', phase: 'load' });
  });

  it('exits 2 on bad usage', async () => {
    expect((await cli(['exec', fx.abi])).code).toBe(2);
    expect((await cli(['exec', '--runtime', 'wasmtime-48', fx.abi, '--export', 'add_i64', '--args', 'i65:1'])).code).toBe(2);
    expect((await cli(['no-such-command'])).code).toBe(2);
  });

  it('prints help with exit code 0', async () => {
    const r = await cli(['exec', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--input-utf8');
  });
});
