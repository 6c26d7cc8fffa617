// What a guest printed outlives its worker (issue 14): every instance writes
// its stdout and stderr through to the supervisor's spill files, so a worker
// killed mid-call (crash) or by its watchdog (hang) still reports them, on
// every runtime, for core modules and components alike, cut at the request's
// cap, and never another request's output.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { componentize } from '../../toolchains/clang-p2.js';
import { execOn, type ExecResult } from '../exec.js';
import { spillFiles } from '../output-spill.js';
import type { ExecRequest } from '../protocol.js';
import { RuntimeWorker } from '../runtime-worker.js';

const runtimes = loadRuntimes();
const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const PANIC = "thread 'main' panicked at src/main.rs:4:5:\nassertion `left == right` failed\n  left: 1\n right: 2\n";
const paths = { core: '', component: '' };
const workers: RuntimeWorker[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-spill-fixtures-'));
  paths.core = join(dir, 'prints.wasm');
  execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', '-o', paths.core, join(fixtures, 'prints-then-spins.c')], { stdio: 'pipe' });
  paths.component = join(dir, 'prints.component.wasm');
  await componentize(paths.core, paths.component, false, () => {});
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
});

function workerOf(runtimeId: string): RuntimeWorker {
  const worker = new RuntimeWorker(runtimes.find((r) => r.id === runtimeId)!);
  workers.push(worker);
  return worker;
}

const spins = (path: string, extra = 0, outputCapBytes?: number): ExecRequest => ({
  type: 'exec',
  module: { kind: 'file', path },
  lifecycle: 'none',
  call: { style: 'command' },
  instance: { args: ['prints', String(extra)], ...(outputCapBytes ? { outputCapBytes } : {}) },
  timeoutMs: 3_600_000, // never reached: the worker is killed first
});

/** Waits (on the file, not a clock) until the guest's stderr reached the spill file. */
async function untilSpilled(worker: RuntimeWorker, text: string): Promise<void> {
  for (;;) {
    const dir = worker.outputSpillDir;
    const file = dir && spillFiles(dir).stderr;
    if (file && existsSync(file) && readFileSync(file, 'utf8').includes(text)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends `request`, then SIGKILLs the worker once the guest has printed its panic message. */
async function killedAfterPrinting(worker: RuntimeWorker, request: ExecRequest): Promise<ExecResult> {
  const { pid } = await worker.describe();
  const pending = execOn(worker, request);
  await untilSpilled(worker, 'right: 2');
  process.kill(pid, 'SIGKILL');
  return pending;
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe.each(runtimes.map((r) => r.id))('a worker killed mid-call on %s', (runtimeId) => {
  it.each(['core', 'component'] as const)('keeps what the %s guest printed before, with the crash', async (kind) => {
    const result = await killedAfterPrinting(workerOf(runtimeId), spins(paths[kind]));
    expect(result.status).toBe('crash');
    expect((result as { message: string }).message).toContain('SIGKILL');
    expect(text(result.stdout)).toBe('running 1 test\n');
    expect(text(result.stderr)).toBe(PANIC);
    expect(result.stdoutTruncated).toBeUndefined();
  });
});

describe('spilled output', () => {
  const runtimeId = runtimes.at(-1)!.id;

  it('comes back with a hang when the watchdog kills the worker', async () => {
    const worker = workerOf(runtimeId);
    // A first request compiles the module into the worker's cache (and ends at its 50 ms
    // deadline), so the watched one only instantiates and prints: milliseconds, against 20 s.
    expect((await execOn(worker, { ...spins(paths.core), timeoutMs: 50 })).status).toBe('timeout');
    const result = await execOn(worker, spins(paths.core), 20_000);
    expect(result.status).toBe('hang');
    expect(text(result.stderr)).toBe(PANIC);
  });

  it('is cut at the request’s output cap and marked, as a finished call’s capture is', async () => {
    const result = await killedAfterPrinting(workerOf(runtimeId), spins(paths.core, 5000, 100));
    expect(result.status).toBe('crash');
    expect(result.stdout).toHaveLength(100);
    expect(text(result.stdout)).toBe(`running 1 test\n${'x'.repeat(85)}`);
    expect(result.stdoutTruncated).toBe(true);
  });

  it('never reports an earlier request’s output for a failure that made no instance', async () => {
    const worker = workerOf(runtimeId);
    const first = await execOn(worker, { ...spins(paths.core), timeoutMs: 50 });
    expect(first.status).toBe('timeout');
    expect(text(first.stderr)).toBe(PANIC); // the finished call reports from memory
    const dir = worker.outputSpillDir!;
    expect(readFileSync(spillFiles(dir).stderr, 'utf8')).toBe(PANIC); // and left its spill behind
    const died = await worker.request({ type: 'die', code: 3 });
    expect(died.ok).toBe(false);
    expect(!died.ok && died.output).toBeUndefined();
  });

  it('is removed with its folder when the worker is closed', async () => {
    const worker = workerOf(runtimeId);
    await execOn(worker, { ...spins(paths.core), timeoutMs: 50 });
    const dir = worker.outputSpillDir!;
    expect(existsSync(dir)).toBe(true);
    await worker.close();
    expect(existsSync(dir)).toBe(false);
  });
});
