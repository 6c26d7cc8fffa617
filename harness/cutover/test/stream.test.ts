// The serving stream: every call issued gets exactly one answer, across any
// number of switches, and even when a worker dies with calls in flight.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RawResult } from '../../compare/observe.js';
import type { ExecRequest } from '../../workers/protocol.js';
import { RuntimeWorker } from '../../workers/runtime-worker.js';
import { ServingStream, type StreamCase, type StreamTarget } from '../stream.js';
import { assemble, runtime, tmp } from './helpers.js';

const ADDER = `(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`;

describe('serving stream', () => {
  let request: ExecRequest;
  const workers: RuntimeWorker[] = [];
  const target = (id: string): StreamTarget => {
    const worker = new RuntimeWorker(runtime(id));
    workers.push(worker);
    return { runtime: id, worker, request: () => request };
  };
  const cases: StreamCase[] = [
    {
      key: 'adder/add',
      check: (raw: RawResult) => (raw.status === 'ok' && raw.values?.[0]?.value === '42' ? { ok: true } : { ok: false, reason: `${raw.status}` }),
    },
  ];

  beforeAll(async () => {
    const adder = await assemble(tmp('wasm-matrix-stream-'), 'adder', ADDER);
    request = {
      type: 'exec',
      module: { kind: 'file', path: adder.path },
      instance: { wasi: false },
      lifecycle: 'none',
      call: { style: 'export', name: 'add', args: [{ type: 'i32', value: '2' }, { type: 'i32', value: '40' }] },
    };
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });

  it('loses no call across many switches with many calls in flight', async () => {
    const a = target('wasmtime-36');
    const b = target('wasmtime-48');
    await Promise.all([a.worker.describe(), b.worker.describe()]);
    const stream = new ServingStream(cases, a, { concurrency: 8, watchdogMs: 30_000 });
    stream.start('before-fill');
    // Each switch waits for a round of calls (one per slot) on the runtime before, counted,
    // not timed: how busy the machine is changes how long that takes, never how many.
    const issuedAtLeast = async (n: number) => {
      while (stream.issued < n) await new Promise((r) => setTimeout(r, 1));
    };
    let inFlightAtSwitches = 0;
    for (let i = 0; i < 20; i++) {
      await issuedAtLeast(stream.issued + 8);
      inFlightAtSwitches += stream.switchTo(i % 2 === 0 ? b : a, 'after-switch');
    }
    await issuedAtLeast(stream.issued + 8);
    const { summary } = await stream.stop();
    expect(inFlightAtSwitches).toBeGreaterThan(20);
    expect(summary.issued).toBeGreaterThan(100);
    expect(summary.answered).toBe(summary.issued);
    expect(summary.lost).toBe(0);
    expect(summary.duplicated).toBe(0);
    expect(summary.failed).toBe(0);
    expect(summary.byRuntime.every((r) => r.served > 0)).toBe(true);
  });

  it('answers the calls in flight on a worker killed at the switch (as failed), and loses none', async () => {
    const a = target('wasmtime-36');
    const b = target('wasmtime-48');
    await Promise.all([a.worker.describe(), b.worker.describe()]);
    const stream = new ServingStream(cases, a, { concurrency: 4, watchdogMs: 30_000 });
    stream.start('before-fill');
    // Counted, not timed: a round of calls (one per slot) on the old runtime before the
    // switch, and one on the new runtime after it, however busy the machine is.
    const issuedAtLeast = async (n: number) => {
      while (stream.issued < n) await new Promise((r) => setTimeout(r, 1));
    };
    await issuedAtLeast(8);
    const oldPid = a.worker.pid!;
    const inFlight = stream.switchTo(b, 'after-switch');
    process.kill(oldPid, 'SIGKILL');
    await issuedAtLeast(stream.issued + 8);
    const { summary } = await stream.stop();
    expect(inFlight).toBeGreaterThan(0);
    expect(summary.lost).toBe(0);
    expect(summary.duplicated).toBe(0);
    expect(summary.answered).toBe(summary.issued);
    // The call executing in the dying worker is answered as a crash; the ones queued behind it
    // are served by the replacement worker the supervisor starts; none is dropped.
    expect(summary.failed).toBeLessThanOrEqual(1);
    expect(summary.failures.every((f) => f.runtime === 'wasmtime-36' && f.reason === 'crash')).toBe(true);
    expect(summary.byRuntime.find((r) => r.runtime === 'wasmtime-48')!.failed).toBe(0);
  });
});
