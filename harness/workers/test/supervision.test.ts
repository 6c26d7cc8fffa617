// Worker supervision and precompiled-module safety: crashes and hangs end one
// request and the next is served by a fresh process; `.cwasm` files load only
// on the engine that made them, and only untampered.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { loadAddon } from '../addon.js';
import { execOn } from '../exec.js';
import { IntegrityRecord } from '../protocol.js';
import { useFixturesAndPool } from './fixtures.js';
import { NotBuiltError } from '../../errors.js';

const runtimes = loadRuntimes();
const [oldest, , newest] = [runtimes[0]!, runtimes[1], runtimes[runtimes.length - 1]!];
const ctx = useFixturesAndPool(runtimes);

const noop = () => ({ type: 'exec' as const, module: { kind: 'file' as const, path: ctx.fx.abi }, call: { style: 'export' as const, name: 'noop', args: [] } });

describe('worker supervision', () => {
  it('ends a request whose worker is killed as crash, then serves the next from a fresh worker', async () => {
    const worker = ctx.pool.worker(newest.id);
    const before = await worker.describe();
    const pending = execOn(worker, { type: 'exec', module: { kind: 'file', path: ctx.fx.abi }, call: { style: 'export', name: 'spin', args: [] } });
    await new Promise((r) => setTimeout(r, 300));
    process.kill(before.pid, 'SIGKILL');
    const crashed = await pending;
    expect(crashed.status).toBe('crash');
    expect((crashed as { message: string }).message).toContain('SIGKILL');
    const next = await execOn(worker, noop());
    expect(next.status).toBe('ok');
    expect(next.pid).not.toBe(before.pid);
  });

  it('ends a silent worker as hang when its watchdog fires, and carries on', async () => {
    const worker = ctx.pool.worker(oldest.id);
    await worker.describe();
    const spawnedBefore = worker.spawned;
    const hung = await execOn(worker, { type: 'exec', module: { kind: 'file', path: ctx.fx.abi }, call: { style: 'export', name: 'spin', args: [] } }, 1500);
    expect(hung.status).toBe('hang');
    const next = await execOn(worker, noop());
    expect(next.status).toBe('ok');
    expect(worker.spawned).toBe(spawnedBefore + 1);
  });

  it('ends a worker that exits mid-request as crash with its exit code', async () => {
    const worker = ctx.pool.worker(newest.id);
    const answer = await worker.request({ type: 'die', code: 7 });
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.failure).toBe('crash');
    expect(!answer.ok && answer.message).toContain('code 7');
  });

  it('refuses to load a second runtime into a worker', async () => {
    const worker = ctx.pool.worker(oldest.id);
    await worker.describe();
    const answer = await worker.request({ type: 'load', runtimeId: newest.id });
    expect(answer.ok && answer.response.type).toBe('refused');
    expect(answer.ok && answer.response.type === 'refused' && answer.response.message).toContain('one runtime per process');
  });

  it('serves two runtimes at the same time from different processes', async () => {
    const spin = (id: string) =>
      execOn(ctx.pool.worker(id), { type: 'exec', module: { kind: 'file', path: ctx.fx.abi }, call: { style: 'export', name: 'spin', args: [] }, timeoutMs: 800 });
    await Promise.all([ctx.pool.worker(oldest.id).describe(), ctx.pool.worker(newest.id).describe()]);
    const [a, b] = await Promise.all([spin(oldest.id), spin(newest.id)]);
    expect(a.status).toBe('timeout');
    expect(b.status).toBe('timeout');
    expect(a.pid).not.toBe(b.pid);
    // The two guest calls overlapped in wall-clock time: neither waited for the other.
    const ta = (a as { timings: { callStartedAtMs: number; callEndedAtMs: number } }).timings;
    const tb = (b as { timings: { callStartedAtMs: number; callEndedAtMs: number } }).timings;
    expect(ta.callStartedAtMs).toBeLessThan(tb.callEndedAtMs);
    expect(tb.callStartedAtMs).toBeLessThan(ta.callEndedAtMs);
  });
});

describe('precompiled modules', () => {
  async function precompile(runtimeId: string, out: string) {
    const answer = await ctx.pool.worker(runtimeId).request({ type: 'precompile', modulePath: ctx.fx.abi, outPath: out });
    if (!answer.ok || answer.response.type !== 'precompiled') throw new Error(`precompile failed: ${JSON.stringify(answer)}`);
    return answer.response.result;
  }

  it('loads a .cwasm on the engine that made it', async () => {
    const out = join(ctx.fx.dir, 'same.cwasm');
    const made = await precompile(newest.id, out);
    expect(IntegrityRecord.parse(JSON.parse(readFileSync(`${out}.json`, 'utf8')))).toEqual(made.record);
    const r = await execOn(ctx.pool.worker(newest.id), { type: 'exec', module: { kind: 'cwasm', path: out, record: made.record }, call: { style: 'invoke', name: 'echo', input: new Uint8Array([1, 2]) } });
    expect(r.status).toBe('ok');
  });

  it('refuses a .cwasm made by another version with a clear error', async () => {
    const out = join(ctx.fx.dir, 'old.cwasm');
    const made = await precompile(oldest.id, out);
    const r = await execOn(ctx.pool.worker(newest.id), { type: 'exec', module: { kind: 'cwasm', path: out, record: made.record }, call: { style: 'export', name: 'noop', args: [] } });
    expect(r).toMatchObject({ status: 'error', phase: 'load' });
    const message = (r as { message: string }).message;
    expect(message).toContain(`made by Wasmtime ${oldest.wasmtime}`);
    expect(message).toContain(`this is Wasmtime ${newest.wasmtime}`);
  });

  it('refuses a tampered .cwasm', async () => {
    const out = join(ctx.fx.dir, 'tampered.cwasm');
    const made = await precompile(newest.id, out);
    const bytes = readFileSync(out);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(out, bytes);
    const r = await execOn(ctx.pool.worker(newest.id), { type: 'exec', module: { kind: 'cwasm', path: out, record: made.record }, call: { style: 'export', name: 'noop', args: [] } });
    expect(r).toMatchObject({ status: 'error', phase: 'load' });
    expect((r as { message: string }).message).toMatch(/sha256 .* tampered/);
  });
});

describe('loading addons', () => {
  it('says which command builds an addon that is missing', () => {
    expect(() => loadAddon({ ...newest, addonPath: '/nonexistent/addon.node' })).toThrow(NotBuiltError);
    expect(() => loadAddon({ ...newest, addonPath: '/nonexistent/addon.node' })).toThrow(/npm run build/);
  });
});
