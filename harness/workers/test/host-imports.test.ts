// Host-import stubs and life-cycle options on every pinned runtime, with a
// module written here that imports a custom namespace (platform-guest.c,
// built by clang-14 at set-up): each behaviour, the recorded calls, start-up
// exports in sorted order, and the bad-input cases.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { execOn, type ExecResult } from '../exec.js';
import { WorkerPool } from '../pool.js';
import type { ExecRequest, HostImport } from '../protocol.js';

const runtimes = loadRuntimes();
const here = new URL('./fixtures/', import.meta.url).pathname;
let pool: WorkerPool;
let guest: string;

beforeAll(() => {
  guest = join(mkdtempSync(join(tmpdir(), 'wasm-matrix-platform-')), 'platform.wasm');
  execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', '-mexec-model=reactor', '-o', guest, join(here, 'platform-guest.c')], { stdio: 'pipe' });
  pool = new WorkerPool(runtimes);
});
afterAll(() => pool?.close());

const PLATFORM: HostImport[] = [
  { module: 'spacetime_10.0', name: 'console_log', params: ['i32', 'i64'], results: [], behavior: 'record' },
  { module: 'spacetime_10.0', name: 'now', params: [], results: ['i64'], behavior: 'const', values: [{ type: 'i64', value: '1700000000000' }] },
  { module: 'env', name: 'answer', params: [], results: ['i32'], behavior: 'const', values: [{ type: 'i32', value: '42' }] },
  { module: 'env', name: 'scale', params: ['f64'], results: ['f64'], behavior: 'zero' },
  { module: 'env', name: 'abort_hook', params: ['i32'], results: [], behavior: 'trap' },
];

type Lifecycle = ExecRequest['lifecycle'];

/** The same call on every runtime; each answer without what differs by process. */
async function onAll(name: string, args: { type: 'i32' | 'i64' | 'f64'; value: string }[], lifecycle: Lifecycle, hostImports = PLATFORM): Promise<ExecResult[]> {
  return Promise.all(
    runtimes.map((r) =>
      execOn(pool.worker(r.id), {
        type: 'exec',
        module: { kind: 'file', path: guest },
        instance: { wasi: false, hostImports },
        lifecycle,
        call: { style: 'export', name, args },
        timeoutMs: 10_000,
      }),
    ),
  );
}

const calls = (r: ExecResult) => ('hostCalls' in r ? (r.hostCalls ?? []) : []).map((c) => `${c.module}.${c.name}(${c.args.map((a) => `${a.type}:${a.value}`).join(', ')})`);

describe('host imports and life cycles, on every pinned runtime', () => {
  it('runs every export with the prefix once, in sorted order, before the call; record keeps each call and its arguments', async () => {
    for (const r of await onAll('inits', [], { prefix: '__preinit__' })) {
      expect(r).toMatchObject({ status: 'ok', values: [{ type: 'i32', value: '12' }] });
      expect(calls(r)).toEqual(['spacetime_10.0.console_log(i32:10, i64:1)', 'spacetime_10.0.console_log(i32:20, i64:12)']);
    }
  });

  it('const returns the given values; record returns zeros and records in call order', async () => {
    for (const r of await onAll('log_twice', [{ type: 'i32', value: '5' }], 'reactor')) {
      expect(r).toMatchObject({ status: 'ok', values: [{ type: 'i64', value: '1700000000000' }] });
      expect(calls(r)).toEqual(['spacetime_10.0.console_log(i32:5, i64:42)', 'spacetime_10.0.console_log(i32:7, i64:-1)']);
    }
    for (const r of await onAll('answer', [], 'reactor')) expect(r).toMatchObject({ status: 'ok', values: [{ type: 'i32', value: '42' }] });
  });

  it('zero returns zeros of the declared result type', async () => {
    for (const r of await onAll('scaled', [{ type: 'f64', value: '2.5' }], 'none')) expect(r).toMatchObject({ status: 'ok', values: [{ type: 'f64', value: '1' }] });
  });

  it('trap traps with a reason naming the import', async () => {
    for (const r of await onAll('fail', [], 'none')) {
      expect(r).toMatchObject({ status: 'trap', trap: 'host-import' });
      expect((r as { message: string }).message).toContain('host import `env`.`abort_hook` was called (declared `trap`)');
    }
  });

  it('a life-cycle export that traps ends the cell naming that export; the call never runs', async () => {
    for (const r of await onAll('inits', [], { prefix: '__bad__' })) {
      expect(r).toMatchObject({ status: 'trap', trap: 'host-import', lifecycleExport: '__bad__init' });
      expect((r as { message: string }).message).toMatch(/^life-cycle export __bad__init: .*env`\.`abort_hook/s);
      expect((r as { timings: { callNs: number } }).timings.callNs).toBe(0);
    }
  });

  it('an import nobody declared is still unsatisfied at instantiation, naming it', async () => {
    const withoutAbort = PLATFORM.filter((d) => d.name !== 'abort_hook');
    for (const r of await onAll('inits', [], 'none', withoutAbort)) {
      expect(r).toMatchObject({ status: 'error', phase: 'instantiate' });
      expect((r as { message: string }).message).toContain('unsatisfied import: the module imports `env`.`abort_hook`');
    }
  });

  it('a declaration whose signature disagrees with the module is refused before linking, naming both', async () => {
    const wrong = PLATFORM.map((d) => (d.name === 'console_log' ? { ...d, params: ['i32' as const] } : d));
    for (const r of await onAll('inits', [], 'none', wrong)) {
      expect(r).toMatchObject({
        status: 'error',
        phase: 'setup',
        message: 'host import spacetime_10.0.console_log is declared (i32) -> (), but the module imports it as (i32, i64) -> ()',
      });
    }
  });
});
