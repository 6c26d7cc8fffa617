// Issue 10's probes at the worker boundary, on every pinned runtime: a guest
// exit outside a command run, a guest sleeping in WASI past its deadline, and
// output past the capture cap.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes, type Runtime } from '../../config/runtimes.js';
import { execOn, type ExecResult } from '../exec.js';
import type { ExecRequest } from '../protocol.js';
import { useFixturesAndPool } from './fixtures.js';

const runtimes = loadRuntimes();
const ctx = useFixturesAndPool(runtimes);
const here = new URL('./fixtures/', import.meta.url).pathname;
let hostile = '';
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-hostile-'));
  hostile = join(dir, 'hostile.wasm');
  execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', '-mexec-model=reactor', '-o', hostile, join(here, 'hostile.c')], { stdio: 'pipe' });
});

const i32 = (value: number) => ({ type: 'i32' as const, value: String(value) });
const run = (runtime: Runtime, request: Omit<ExecRequest, 'type'>): Promise<ExecResult> =>
  execOn(ctx.pool.worker(runtime.id), { type: 'exec', ...request });
const onAll = (request: Omit<ExecRequest, 'type'>) => Promise.all(runtimes.map((r) => run(r, request)));
const field = <T>(r: ExecResult, name: string): T => (r as unknown as Record<string, T>)[name] as T;

describe('a guest exit outside a command run is the guest\'s outcome, on every runtime', () => {
  it('in an export call: guest-error naming the code and the call, the worker lives on', async () => {
    const results = await onAll({ module: { kind: 'file', path: hostile }, call: { style: 'export', name: 'exit_now', args: [i32(7)] } });
    for (const r of results) {
      expect(r.status).toBe('guest-error');
      expect(field<number>(r, 'exitCode')).toBe(7);
      expect(field<string>(r, 'message')).toBe('guest exited with code 7 (proc_exit) during the call of export `exit_now`');
    }
    // Same worker processes answer the next request: nothing crashed.
    const again = await onAll({ module: { kind: 'file', path: hostile }, call: { style: 'export', name: 'sleep_ms', args: [i32(1)] } });
    expect(again.map((r) => r.status)).toEqual(runtimes.map(() => 'ok'));
    expect(again.map((r) => r.pid)).toEqual(results.map((r) => r.pid));
  });

  it('in a dispatcher call', async () => {
    const results = await onAll({ module: { kind: 'file', path: hostile }, call: { style: 'invoke', name: 'anything', input: new Uint8Array() } });
    for (const r of results) {
      expect(r.status).toBe('guest-error');
      expect(field<number>(r, 'exitCode')).toBe(9);
      expect(field<string>(r, 'message')).toBe('guest exited with code 9 (proc_exit) during the dispatcher call `anything`');
    }
  });

  it('in _initialize', async () => {
    const results = await onAll({
      module: { kind: 'file', path: hostile },
      instance: { env: ['EXIT_IN_INIT=5'] },
      call: { style: 'export', name: 'sleep_ms', args: [i32(1)] },
    });
    for (const r of results) {
      expect(r.status).toBe('guest-error');
      expect(field<number>(r, 'exitCode')).toBe(5);
      expect(field<string>(r, 'message')).toBe('guest exited with code 5 (proc_exit) during _initialize');
    }
  });

  it('while a command run keeps proc_exit as its exit code', async () => {
    const exit7 = join(here, 'exit7.wat');
    const asCommand = await onAll({ module: { kind: 'file', path: exit7 }, lifecycle: 'none', call: { style: 'command' } });
    for (const r of asCommand) expect({ status: r.status, exitCode: field(r, 'exitCode') }).toEqual({ status: 'ok', exitCode: 7 });
    const asExport = await onAll({ module: { kind: 'file', path: exit7 }, lifecycle: 'none', call: { style: 'export', name: '_start', args: [] } });
    for (const r of asExport) expect({ status: r.status, exitCode: field(r, 'exitCode') }).toEqual({ status: 'guest-error', exitCode: 7 });
  });
});

describe('a guest blocked in WASI honours the per-call deadline', () => {
  // Before the fix the worker slept the whole hour and the watchdog killed it
  // (`hang`). The bound below is generous: it only has to be far below an hour.
  it.each([
    ['a relative sleep', 'sleep_ms'],
    ['an absolute monotonic sleep', 'sleep_until_ms'],
  ])('%s of an hour with a 200 ms deadline ends as timeout', async (_label, name) => {
    const started = Date.now();
    const results = await onAll({ module: { kind: 'file', path: hostile }, call: { style: 'export', name, args: [i32(3_600_000)] }, timeoutMs: 200 });
    for (const r of results) {
      expect(r.status).toBe('timeout');
      expect(field<string>(r, 'trap')).toBe('interrupt');
      expect(field<string>(r, 'message')).toContain('poll_oneoff');
    }
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a sleep that fits in the deadline still sleeps and returns normally', async () => {
    const results = await onAll({ module: { kind: 'file', path: hostile }, call: { style: 'export', name: 'sleep_ms', args: [i32(20)] }, timeoutMs: 60_000 });
    for (const r of results) {
      expect(r.status).toBe('ok');
      expect(field<{ value: string }[]>(r, 'values')).toEqual([{ type: 'i32', value: '0' }]);
      expect(field<{ callNs: number }>(r, 'timings').callNs).toBeGreaterThanOrEqual(20e6);
    }
  });
});

describe('output past the capture cap is marked as cut', () => {
  it.each([
    [1000, false],
    [1001, true],
    [50_000, true],
  ])('%i bytes against a cap of 1000: truncated %s', async (bytes, cut) => {
    const results = await onAll({ module: { kind: 'file', path: hostile }, instance: { outputCapBytes: 1000 }, call: { style: 'export', name: 'write_stdout', args: [i32(bytes)] } });
    for (const r of results) {
      expect(r.status).toBe('ok');
      expect(Buffer.from(field<Uint8Array>(r, 'stdout')).length).toBe(1000);
      expect(field<boolean | undefined>(r, 'stdoutTruncated')).toBe(cut ? true : undefined);
      expect(field<boolean | undefined>(r, 'stderrTruncated')).toBeUndefined();
    }
  });
});
