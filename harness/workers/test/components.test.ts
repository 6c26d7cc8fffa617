// Components (WASI preview 2) on every pinned runtime, built at set-up from
// the repository's C sources: the dispatcher world and the wasi:cli/run world
// give what the core module of the same source gives; traps, limits, a killed
// worker and `.cwasm` refusal behave as for core modules; what the harness
// cannot run is `unsupported` naming the interface.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes, type Runtime } from '../../config/runtimes.js';
import type { CaseSpec } from '../../config/suite.js';
import { judgeAgainstExpectation } from '../../compare/judge.js';
import { rawFromExec } from '../../compare/observe.js';
import { prepareCall } from '../requests.js';
import { execOn, type ExecResult } from '../exec.js';
import { WorkerPool } from '../pool.js';
import type { ExecRequest } from '../protocol.js';
import { buildPair, componentFromWat, EXPORTS_HTTP, IMPORTS_HTTP, type Pair } from './component-fixtures.js';

const runtimes = loadRuntimes();
const newest = runtimes[runtimes.length - 1]!;
let pool: WorkerPool;
let core: Pair;
let wasi: Pair;

beforeAll(async () => {
  pool = new WorkerPool(runtimes);
  core = await buildPair('core');
  wasi = await buildPair('wasi');
});
afterAll(() => pool?.close());

function exec(runtime: Runtime, request: ExecRequest, watchdogMs?: number): Promise<ExecResult> {
  return execOn(pool.worker(runtime.id), request, watchdogMs);
}

/** What a cell compares: status, trap kind, outputs; not timings or backtraces. */
function essence(r: ExecResult): Record<string, unknown> {
  const out: Record<string, unknown> = { status: r.status };
  if ('trap' in r && r.trap) out.trap = r.trap;
  if (r.status === 'guest-error') out.message = r.message;
  if ('output' in r && r.output) out.output = Buffer.from(r.output).toString('hex');
  if ('exitCode' in r && r.exitCode !== undefined) out.exitCode = r.exitCode;
  if ('stdout' in r && r.stdout) out.stdout = Buffer.from(r.stdout).toString('utf8');
  if ('stderr' in r && r.stderr) out.stderr = Buffer.from(r.stderr).toString('utf8');
  return out;
}

async function runCase(pair: Pair, name: string, runtime: Runtime, which: 'core' | 'component'): Promise<ExecResult> {
  const testCase = pair.suite.cases.find((c) => c.name === name);
  if (!testCase) throw new Error(`no case ${name}`);
  const prepared = prepareCall(pair.suite, testCase, pair[which]);
  try {
    return await exec(runtime, prepared.request as ExecRequest);
  } finally {
    prepared.cleanup();
  }
}

const caseOf = (pair: Pair, name: string): CaseSpec => pair.suite.cases.find((c) => c.name === name)!;

describe('the clang-wasi-p2 artifacts', () => {
  it('are components whose WASI imports the build recorded', () => {
    expect(core.core.kind).toBe('core-module');
    expect(core.component.kind).toBe('component');
    expect(wasi.component.kind).toBe('component');
    const imports = (a: Pair['component']) => a.imports.map((i) => i.module);
    expect(imports(wasi.component)).toEqual(expect.arrayContaining([expect.stringMatching(/^wasi:cli\/environment@0\.2\.\d+$/), expect.stringMatching(/^wasi:filesystem\/preopens@0\.2\.\d+$/)]));
    expect(wasi.component.exports.map((e) => e.name)).toEqual([expect.stringMatching(/^wasi:cli\/run@0\.2\.\d+$/)]);
    expect(core.component.exports.map((e) => e.name)).toEqual(['wasm-matrix:guest/dispatch@0.1.0', 'wasm-matrix:guest/catalog@0.1.0']);
  });
});

describe('dispatcher world on every runtime', () => {
  const names = [
    'int.add_i32.wrap',
    'str.upper_ascii',
    'str.validate_utf8.bad',
    'error.divide_by_zero',
    'trap.unreachable',
    'trap.div_by_zero',
    'trap.int_overflow',
    'trap.out_of_bounds',
    'trap.stack_overflow',
    'trap.bad_conversion',
    'trap.memory_bomb',
    'trap.out_of_fuel',
    'trap.infinite_loop',
  ];

  it('gives the core module\'s result for every case, traps and limits included', async () => {
    const known = names.filter((n) => core.suite.cases.some((c) => c.name === n && (!c.flavors || c.flavors.includes('clang-wasi-p2'))));
    expect(known.length).toBeGreaterThanOrEqual(10);
    await Promise.all(
      runtimes.map(async (runtime) => {
        for (const name of known) {
          const fromCore = await runCase(core, name, runtime, 'core');
          const fromComponent = await runCase(core, name, runtime, 'component');
          expect(essence(fromComponent), `${name} on ${runtime.id}`).toEqual(essence(fromCore));
          // And the suite's own expectation holds for the component.
          const verdict = judgeAgainstExpectation(caseOf(core, name), rawFromExec(fromComponent));
          const failed = verdict.status === 'mismatch' || verdict.expectedTrap === false;
          expect(failed, `${name} on ${runtime.id}: ${verdict.status} ${verdict.reason ?? ''}`).toBe(false);
        }
      }),
    );
  });

  it('answers an unknown case name with a guest error and describe with the case list', async () => {
    for (const runtime of runtimes) {
      const request = (path: string, call: ExecRequest['call']): ExecRequest => ({ type: 'exec', module: { kind: 'file', path }, call });
      const unknown = { style: 'invoke' as const, name: 'no.such.case', input: new Uint8Array() };
      const a = await exec(runtime, request(core.component.path, unknown));
      const b = await exec(runtime, request(core.core.path, unknown));
      expect(essence(a)).toEqual(essence(b));
      expect(a.status).toBe('guest-error');
      const listed = await exec(runtime, request(core.component.path, { style: 'describe' }));
      const listedCore = await exec(runtime, request(core.core.path, { style: 'describe' }));
      expect(listed.status).toBe('ok');
      const names = JSON.parse(Buffer.from((listed as { output: Uint8Array }).output).toString('utf8')) as string[];
      expect(names).toEqual(JSON.parse(Buffer.from((listedCore as { output: Uint8Array }).output).toString('utf8')));
      expect(names).toContain('int.add_i32.wrap');
    }
  });
});

describe('wasi:cli/run world on every runtime', () => {
  it('gives the core command\'s exit code, stdout and stderr (args, env, stdin, files)', async () => {
    const same = ['echo', 'args', 'env', 'env.isolated', 'upper', 'count', 'exit.zero', 'stderr', 'read', 'read.nested', 'write', 'copy', 'ls', 'ls.nested', 'ls.empty'];
    await Promise.all(
      runtimes.map(async (runtime) => {
        for (const name of same) {
          const fromCore = await runCase(wasi, name, runtime, 'core');
          const fromComponent = await runCase(wasi, name, runtime, 'component');
          expect(essence(fromComponent), `${name} on ${runtime.id}`).toEqual(essence(fromCore));
        }
      }),
    );
  });

  it('reports the preview1 adapter\'s exit status: any non-zero proc_exit code becomes 1', async () => {
    // wasi:cli/exit@0.2 carries ok/err only; the adapter maps proc_exit(3) to err.
    for (const runtime of runtimes) {
      for (const name of ['exit.code', 'read.missing', 'usage']) {
        const fromCore = await runCase(wasi, name, runtime, 'core');
        const fromComponent = await runCase(wasi, name, runtime, 'component');
        expect(fromCore.status).toBe('ok');
        expect(fromComponent.status).toBe('ok');
        expect((fromCore as { exitCode: number }).exitCode).toBeGreaterThan(1);
        expect((fromComponent as { exitCode: number }).exitCode).toBe(1);
        expect(essence(fromComponent).stderr).toEqual(essence(fromCore).stderr);
        expect(essence(fromComponent).stdout).toEqual(essence(fromCore).stdout);
      }
    }
  });
});

describe('component .cwasm', () => {
  it('loads on the engine that made it and is refused by every other version', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-ccwasm-'));
    for (const maker of runtimes) {
      const outPath = join(dir, `${maker.id}.cwasm`);
      const answer = await pool.worker(maker.id).request({ type: 'precompile', modulePath: core.component.path, outPath });
      expect(answer.ok && answer.response.type, JSON.stringify(answer)).toBe('precompiled');
      if (!answer.ok || answer.response.type !== 'precompiled') continue;
      const record = answer.response.result.record;
      expect(record.kind).toBe('component');
      const call = { style: 'invoke' as const, name: 'int.add_i32.wrap', input: new TextEncoder().encode('2147483647 1') };
      for (const loader of runtimes) {
        const r = await exec(loader, { type: 'exec', module: { kind: 'cwasm', path: outPath, record }, call });
        if (loader.id === maker.id) {
          expect(r.status).toBe('ok');
          expect(Buffer.from((r as { output: Uint8Array }).output).toString()).toBe('-2147483648');
        } else {
          expect(r).toMatchObject({ status: 'error', phase: 'load' });
          expect((r as { message: string }).message).toContain(`refused .cwasm: made by Wasmtime ${maker.wasmtime}`);
        }
      }
      // Relabelled to another engine's hash: Wasmtime's own header check refuses it.
      const other = runtimes.find((r) => r.id !== maker.id)!;
      const info = await pool.worker(other.id).describe();
      const relabelled = { ...record, compatibilityHash: info.compatibilityHash };
      const r = await exec(other, { type: 'exec', module: { kind: 'cwasm', path: outPath, record: relabelled }, call });
      expect(r).toMatchObject({ status: 'error', phase: 'load' });
      // Claimed to be a core module: refused before Wasmtime maps anything.
      const asModule = await exec(maker, { type: 'exec', module: { kind: 'cwasm', path: outPath, record: { ...record, kind: 'module' } }, call });
      expect((asModule as { message: string }).message).toContain('a precompiled component, not a precompiled module');
    }
  });
});

describe('supervision', () => {
  it('ends a component call whose worker hangs as hang, and the next call gets a fresh worker', async () => {
    const worker = pool.worker(newest.id);
    await worker.describe();
    const spawned = worker.spawned;
    const spin: ExecRequest = { type: 'exec', module: { kind: 'file', path: core.component.path }, call: { style: 'invoke', name: 'trap.infinite_loop', input: new Uint8Array() } };
    const hung = await execOn(worker, spin, 1500);
    expect(hung.status).toBe('hang');
    const next = await runCase(core, 'int.add_i32.wrap', newest, 'component');
    expect(next.status).toBe('ok');
    expect(worker.spawned).toBe(spawned + 1);
  });

  it('ends a component call whose worker is killed as crash', async () => {
    const worker = pool.worker(newest.id);
    const info = await worker.describe();
    const spin: ExecRequest = { type: 'exec', module: { kind: 'file', path: core.component.path }, call: { style: 'invoke', name: 'trap.infinite_loop', input: new Uint8Array() } };
    const pending = execOn(worker, spin);
    // Kill once the request is in flight (the worker answers nothing while it spins).
    await new Promise((r) => setTimeout(r, 300));
    process.kill(info.pid, 'SIGKILL');
    const crashed = await pending;
    expect(crashed.status).toBe('crash');
  });
});

describe('what the harness cannot run, and bad input', () => {
  const bytes = (b: Uint8Array, label: string): ExecRequest['module'] => ({ kind: 'bytes', bytes: b, label });
  const command: ExecRequest['call'] = { style: 'command' };

  it('an import nothing provides: instantiate error naming the interface and version, on every runtime', async () => {
    const http = await componentFromWat(IMPORTS_HTTP);
    for (const runtime of runtimes) {
      const r = await exec(runtime, { type: 'exec', module: bytes(http, 'http-client.wasm'), call: command, lifecycle: 'none' });
      expect(r).toMatchObject({ status: 'error', phase: 'instantiate' });
      expect((r as { message: string }).message).toContain('wasi:http/outgoing-handler@0.2.0');
    }
  });

  it('a world matching neither supported world: names what it exports', async () => {
    const server = await componentFromWat(EXPORTS_HTTP);
    const r = await exec(newest, { type: 'exec', module: bytes(server, 'http-server.wasm'), call: command, lifecycle: 'none' });
    expect(r).toMatchObject({ status: 'error', phase: 'instantiate' });
    expect((r as { message: string }).message).toContain('wasi:http/incoming-handler@0.2.0');
  });

  it('a command call on a dispatcher component and a dispatcher call on a command component', async () => {
    const a = await exec(newest, { type: 'exec', module: { kind: 'file', path: core.component.path }, call: command, lifecycle: 'none' });
    expect(a).toMatchObject({ status: 'error', phase: 'instantiate' });
    expect((a as { message: string }).message).toContain('wasi:cli/run');
    const b = await exec(newest, { type: 'exec', module: { kind: 'file', path: wasi.component.path }, call: { style: 'invoke', name: 'x', input: new Uint8Array() } });
    expect((b as { message: string }).message).toContain('wasm-matrix:guest/dispatch');
  });

  it('a truncated component and a core module whose header claims to be a component: load errors naming the file', async () => {
    const whole = readFileSync(core.component.path);
    const truncated = await exec(newest, { type: 'exec', module: bytes(whole.subarray(0, whole.length >> 1), 'half-component.wasm'), call: command });
    expect(truncated).toMatchObject({ status: 'error', phase: 'load' });
    expect((truncated as { message: string }).message).toContain('half-component.wasm');
    const claiming = Buffer.from(readFileSync(core.core.path));
    claiming[4] = 0x0d;
    claiming[6] = 1; // layer 1: a component header over a core module body
    const r = await exec(newest, { type: 'exec', module: bytes(claiming, 'claims-component.wasm'), call: command });
    expect(r).toMatchObject({ status: 'error', phase: 'load' });
    expect((r as { message: string }).message).toContain('claims-component.wasm');
  });
});

describe('components built against newer WASI 0.2.x than a runtime provides', () => {
  // wasmtime-wasi provides WASI 0.2.0 (24), 0.2.6 (36), 0.2.12 (48) and 0.2.12 (50); its linker
  // matches imports semver-compatibly, so a newer 0.2.x import is satisfied as
  // long as every function it names exists in the host's version.
  const world = (fn: string) => `(component (import "wasi:cli/environment@0.2.99" (instance (export "${fn}" (func (result (list string)))))))`;

  it('is asserted on every pinned runtime, the README\'s four', () => {
    expect(runtimes.map((r) => r.id)).toEqual(['wasmtime-24', 'wasmtime-36', 'wasmtime-48', 'wasmtime-50']);
  });

  it('instantiates on every runtime when the newer interface names only functions the host has', async () => {
    const known = await componentFromWat(world('get-arguments'));
    for (const runtime of runtimes) {
      const r = await exec(runtime, { type: 'exec', module: { kind: 'bytes', bytes: known, label: 'newer-wasi.wasm' }, call: { style: 'command' }, lifecycle: 'none' });
      // Imports satisfied; it is refused only for exporting nothing the harness runs.
      expect((r as { message: string }).message, runtime.id).toContain('the component exports nothing');
    }
  });

  it('is refused on every runtime, naming the interface, when it needs a function the host lacks', async () => {
    const unknown = await componentFromWat(world('get-everything'));
    for (const runtime of runtimes) {
      const r = await exec(runtime, { type: 'exec', module: { kind: 'bytes', bytes: unknown, label: 'newer-wasi.wasm' }, call: { style: 'command' }, lifecycle: 'none' });
      expect(r).toMatchObject({ status: 'error', phase: 'instantiate' });
      expect((r as { message: string }).message, runtime.id).toContain('wasi:cli/environment@0.2.99');
    }
  });

  it('the clang-wasi-p2 adapter imports WASI 0.2.12 and runs on every runtime', async () => {
    expect(wasi.component.imports.map((i) => i.module)).toContain('wasi:cli/environment@0.2.12');
    for (const runtime of runtimes) expect((await runCase(wasi, 'echo', runtime, 'component')).status).toBe('ok');
  });
});
