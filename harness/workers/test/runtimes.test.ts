// The runtime issue's acceptance tests, on every pinned Wasmtime, with real
// guests: C compiled here by clang-14 and WAT.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuntimes, type Runtime } from '../../config/runtimes.js';
import { execOn, type ExecResult } from '../exec.js';
import type { ExecRequest } from '../protocol.js';
import { useFixturesAndPool } from './fixtures.js';

const runtimes = loadRuntimes();
const ctx = useFixturesAndPool(runtimes);

const file = (path: string) => ({ kind: 'file' as const, path });
type Arg = { type: 'i32' | 'i64' | 'f32' | 'f64'; value: string };
const exportCall = (name: string, args: Arg[] = []) => ({ style: 'export' as const, name, args });

function run(runtime: Runtime, request: Omit<ExecRequest, 'type'>, watchdogMs?: number): Promise<ExecResult> {
  return execOn(ctx.pool.worker(runtime.id), { type: 'exec', ...request }, watchdogMs);
}

/** Runs the same request on every runtime, concurrently. */
async function onAll(request: Omit<ExecRequest, 'type'>): Promise<ExecResult[]> {
  return Promise.all(runtimes.map((r) => run(r, request)));
}

const strip = (r: ExecResult) => {
  const { pid: _pid, ...rest } = r as ExecResult & { timings?: unknown };
  delete (rest as { timings?: unknown }).timings;
  delete (rest as { message?: unknown }).message; // backtraces differ by version
  return rest;
};

describe('every pinned runtime', () => {
  it('reports its own exact version from its own process', async () => {
    const infos = await Promise.all(runtimes.map((r) => ctx.pool.worker(r.id).describe()));
    expect(infos.map((i) => i.wasmtimeVersion)).toEqual(runtimes.map((r) => r.wasmtime));
    expect(new Set(infos.map((i) => i.pid)).size).toBe(runtimes.length);
    expect(infos.every((i) => i.pid !== process.pid)).toBe(true);
    expect(new Set(infos.map((i) => i.compatibilityHash)).size).toBe(runtimes.length);
  });

  it('gives identical dispatcher results (C guest)', async () => {
    const input = new TextEncoder().encode('héllo wasm');
    const results = await onAll({ module: file(ctx.fx.abi), call: { style: 'invoke', name: 'upper', input } });
    for (const r of results) {
      expect(r.status).toBe('ok');
      expect(Buffer.from((r as { output: Uint8Array }).output).toString('utf8')).toBe('HéLLO WASM');
    }
    const failing = await onAll({ module: file(ctx.fx.abi), call: { style: 'invoke', name: 'nope', input } });
    for (const r of failing) {
      expect(r.status).toBe('guest-error');
      expect((r as { message: string }).message).toBe('System.InvalidOperationException: no such case');
    }
  });

  it('gives identical raw-call values, i64 exact and NaN as NaN', async () => {
    const cases = [
      { module: ctx.fx.abi, name: 'add_i64', args: [{ type: 'i64' as const, value: '9223372036854775807' }, { type: 'i64' as const, value: '1' }], want: '-9223372036854775808' },
      { module: ctx.fx.abi, name: 'div_f64', args: [{ type: 'f64' as const, value: '0' }, { type: 'f64' as const, value: '0' }], want: 'NaN' },
      { module: ctx.fx.abi, name: 'div_f64', args: [{ type: 'f64' as const, value: '1' }, { type: 'f64' as const, value: '-0' }], want: '-inf' },
      { module: ctx.fx.abi, name: 'mul_f32', args: [{ type: 'f32' as const, value: '1.5' }, { type: 'f32' as const, value: '3' }], want: '4.5' },
      { module: ctx.fx.traps, name: 'add', args: [{ type: 'i32' as const, value: '2147483647' }, { type: 'i32' as const, value: '1' }], want: '-2147483648' },
    ];
    for (const c of cases) {
      const results = await onAll({ module: file(c.module), call: exportCall(c.name, c.args) });
      const stripped = results.map(strip);
      expect(stripped.every((s) => JSON.stringify(s) === JSON.stringify(stripped[0]))).toBe(true);
      expect((results[0] as { values: { value: string }[] }).values[0]!.value).toBe(c.want);
    }
  });

  const trapCases: [string, string, string, { type: 'i32'; value: string }[], Partial<ExecRequest>][] = [
    ['unreachable (C __builtin_trap)', 'abi', 'boom', [], {}],
    ['unreachable (WAT)', 'traps', 'unreachable', [], {}],
    ['integer-divide-by-zero', 'abi', 'div_i32', [{ type: 'i32', value: '1' }, { type: 'i32', value: '0' }], {}],
    ['memory-out-of-bounds', 'abi', 'peek', [{ type: 'i32', value: '-16' }], {}],
    ['memory-out-of-bounds (shadow stack exhausted)', 'abi', 'recurse_shadow', [{ type: 'i32', value: '0' }], {}],
    ['stack-overflow', 'abi', 'recurse', [{ type: 'i32', value: '0' }], {}],
    ['stack-overflow (WAT)', 'traps', 'rec', [{ type: 'i32', value: '0' }], {}],
    ['out-of-fuel', 'traps', 'spin', [], { engine: { fuel: true }, fuel: 10_000 }],
    ['memory-limit', 'abi', 'bomb', [], { engine: { memoryLimitBytes: 32 << 20 } }],
  ];
  const expectedKind = (label: string) => label.split(' ')[0]!;

  it.each(trapCases)('maps %s to the same enum value on every version', async (label, which, name, args, extra) => {
    const module = which === 'abi' ? ctx.fx.abi : ctx.fx.traps;
    const results = await onAll({ module: file(module), call: exportCall(name, args), timeoutMs: 20_000, ...extra });
    for (const r of results) {
      expect(r.status, JSON.stringify(strip(r))).toBe('trap');
      expect((r as { trap: string }).trap).toBe(expectedKind(label));
    }
  });

  it('ends an infinite loop as timeout near its deadline', async () => {
    const deadline = 300;
    const results = await onAll({ module: file(ctx.fx.abi), call: exportCall('spin'), timeoutMs: deadline });
    for (const r of results) {
      expect(r.status).toBe('timeout');
      const callMs = (r as { timings: { callNs: number } }).timings.callNs / 1e6;
      expect(callMs).toBeGreaterThanOrEqual(deadline * 0.9);
      expect(callMs).toBeLessThan(deadline + 2000);
    }
  });

  it('runs a WASI command with args, env, stdin, a preopened dir and its exit code', async () => {
    const results = await Promise.all(
      runtimes.map((runtime, i) => {
        const host = join(ctx.fx.dir, `preopen-${i}`);
        mkdirSync(host, { recursive: true });
        writeFileSync(join(host, 'in.txt'), `from ${runtime.id}`);
        return run(runtime, {
          module: file(ctx.fx.command),
          instance: { args: ['command.wasm', 'fail', 'two words'], env: ['GREETING=hi'], preopens: [{ host, guest: 'data' }], stdin: new TextEncoder().encode('piped') },
          lifecycle: 'none',
          call: { style: 'command' },
        }).then((r) => ({ r, host, runtime }));
      }),
    );
    for (const { r, host, runtime } of results) {
      expect(r.status).toBe('ok');
      const ok = r as { exitCode: number; stdout: Uint8Array; stderr: Uint8Array };
      expect(ok.exitCode).toBe(3);
      expect(Buffer.from(ok.stdout).toString()).toBe(`arg:fail\narg:two words\nenv:hi\nhome:unset\nstdin:piped\nfile:from ${runtime.id}\n`);
      expect(Buffer.from(ok.stderr).toString()).toBe('to stderr\n');
      expect(readFileSync(join(host, 'out.txt'), 'utf8')).toBe('written by guest');
    }
  });
});

describe('bad input', () => {
  const runtime = runtimes[runtimes.length - 1]!;

  it('names the missing import of a module nothing satisfies', async () => {
    const r = await run(runtime, { module: file(ctx.fx.needsImport), call: exportCall('call') });
    expect(r.status).toBe('error');
    expect((r as { phase: string }).phase).toBe('instantiate');
    expect((r as { message: string }).message).toContain('`host`.`missing_fn`');
  });

  it('names WASI as missing when a WASI module runs with --no-wasi', async () => {
    const r = await run(runtime, { module: file(ctx.fx.command), instance: { wasi: false }, lifecycle: 'none', call: { style: 'command' } });
    expect(r.status).toBe('error');
    expect((r as { message: string }).message).toMatch(/wasi_snapshot_preview1.*WASI is not linked/);
  });

  it('refuses bytes that are not wasm, and truncated wasm, at load', async () => {
    const junk = await run(runtime, { module: { kind: 'bytes', bytes: new TextEncoder().encode('hello'), label: 'junk.wasm' }, call: exportCall('x') });
    expect(junk).toMatchObject({ status: 'error', phase: 'load' });
    expect((junk as { message: string }).message).toContain('junk.wasm');
    const whole = readFileSync(ctx.fx.abi);
    const truncated = await run(runtime, { module: { kind: 'bytes', bytes: whole.subarray(0, whole.length >> 1), label: 'half.wasm' }, call: exportCall('noop') });
    expect(truncated).toMatchObject({ status: 'error', phase: 'load' });
  });
});
