// The shape check after a C# build, on real modules built here by clang-14 and
// shaped like each flavor's output (a command with _start and harness_*, a
// reactor with _initialize, one missing harness_invoke, one importing a WASI
// preview 2 function), and its wiring into the build stage: a bad artifact
// fails the build with a diagnostic naming what is missing.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Flavor } from '../../toolchains/flavor.js';
import { ECHO_CASES, options, removeTempDirs, writeSuite } from '../../toolchains/test/csharp-fixtures.js';
import { loadRuntimes } from '../../config/runtimes.js';
import { execOn } from '../../workers/exec.js';
import { WorkerPool } from '../../workers/pool.js';
import { buildArtifact } from '../build.js';
import { shapeProblems } from '../shape.js';
import { summarize } from '../../util/wasm-summary.js';

const source = new URL('./fixtures/shape-guest.c', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-shape-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});

function build(name: string, flags: string[]): string {
  const out = join(dir, `${name}.wasm`);
  execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', ...flags, '-o', out, source], { stdio: 'pipe' });
  return out;
}

const shapeOf = (path: string) => summarize(readFileSync(path));

describe('artifact shapes of the C# flavors', () => {
  const command = build('command', ['-DCOMMAND']);
  const reactor = build('reactor', ['-mexec-model=reactor']);
  const noInvoke = build('no-invoke', ['-mexec-model=reactor', '-DNO_INVOKE']);
  const p2 = build('p2', ['-mexec-model=reactor', '-DP2_IMPORT']);

  it('mono-interp: a command with _start and the ABI exports passes; a reactor has no _start', () => {
    expect(shapeProblems('mono-interp', 'dispatcher', shapeOf(command))).toEqual([]);
    expect(shapeProblems('mono-interp', 'dispatcher', shapeOf(reactor))).toEqual(['mono-interp artifact has no _start export, the life cycle its flavor needs (a command)']);
  });

  it('nativeaot-llvm: a reactor with _initialize passes; a command has none', () => {
    expect(shapeProblems('nativeaot-llvm', 'dispatcher', shapeOf(reactor))).toEqual([]);
    expect(shapeProblems('nativeaot-llvm', 'dispatcher', shapeOf(command))).toEqual(['nativeaot-llvm artifact has no _initialize export, the life cycle its flavor needs (a reactor)']);
    // A command suite is an Exe: _start, no ABI exports needed.
    expect(shapeProblems('nativeaot-llvm', 'command', shapeOf(command))).toEqual([]);
  });

  it('a module missing an ABI export fails naming it (and, for mono-interp, the glue that was not linked)', () => {
    expect(shapeProblems('nativeaot-llvm', 'dispatcher', shapeOf(noInvoke))).toEqual(['nativeaot-llvm artifact is missing the guest ABI v1 export harness_invoke']);
    expect(shapeProblems('mono-interp', 'dispatcher', shapeOf(noInvoke))).toEqual([
      'mono-interp artifact is missing the guest ABI v1 export harness_invoke (the C glue mono_glue.c was not linked: see _WasmNativeFileForLinking)',
      'mono-interp artifact has no _start export, the life cycle its flavor needs (a command)',
    ]);
  });

  it('a core module importing WASI preview 2 functions fails, naming them', () => {
    expect(shapeProblems('nativeaot-llvm', 'dispatcher', shapeOf(p2))).toEqual([
      'nativeaot-llvm artifact imports WASI preview 2 functions a preview1 host cannot provide: wasi:io/error@0.2.0.[resource-drop]error',
    ]);
  });

  it('a component fails (NativeAOT-LLVM links one by default)', () => {
    const component = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
    expect(shapeProblems('nativeaot-llvm', 'dispatcher', summarize(component))).toEqual([
      "nativeaot-llvm produced a component, not a core module (for NativeAOT-LLVM: the framework's component-type link arguments were not removed)",
    ]);
  });

  it('a command shaped like a .NET 8 Mono bundle (sock_accept among its imports) passes and runs on every pinned runtime', async () => {
    const bundle = build('mono-bundle', ['-DCOMMAND', '-DSOCK_ACCEPT']);
    const summary = shapeOf(bundle);
    expect(summary.imports.map((i) => `${i.module}.${i.name}`)).toContain('wasi_snapshot_preview1.sock_accept');
    expect(shapeProblems('mono-interp', 'dispatcher', summary)).toEqual([]);
    const runtimes = loadRuntimes();
    const pool = new WorkerPool(runtimes);
    try {
      const results = await Promise.all(
        runtimes.map((r) => execOn(pool.worker(r.id), { type: 'exec', module: { kind: 'file', path: bundle }, lifecycle: 'command-first', call: { style: 'export', name: 'harness_invoke', args: [1, 2, 3, 4].map((v) => ({ type: 'i32' as const, value: String(v) })) } })),
      );
      for (const r of results) expect(r).toMatchObject({ status: 'ok', values: [{ type: 'i64', value: '10' }] });
    } finally {
      await pool.close();
    }
  });

  it('other flavors are not checked here', () => {
    expect(shapeProblems('clang-wasi-O2', 'dispatcher', shapeOf(noInvoke))).toEqual([]);
  });

  it('the build stage fails a build whose artifact has the wrong shape, with the diagnostic', async () => {
    const suite = writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES }, `shape-${process.pid}`);
    const fake = (id: 'nativeaot-llvm', module: string): Flavor =>
      ({
        id,
        language: 'csharp',
        target: 'wasm',
        lifecycle: 'reactor',
        detect: async () => ({ available: true, versions: { fake: module }, missing: [] }),
        build: async ({ outPath }) => (copyFileSync(module, outPath), { ok: true, diagnostics: [], commands: [] }),
      }) as Flavor;
    const bad = await buildArtifact(suite, fake('nativeaot-llvm', noInvoke), options(), { available: true, versions: { fake: noInvoke }, missing: [] });
    expect(bad).toMatchObject({ status: 'failed', diagnostics: [{ severity: 'error', message: 'nativeaot-llvm artifact is missing the guest ABI v1 export harness_invoke' }] });
    const good = await buildArtifact(suite, fake('nativeaot-llvm', reactor), options(), { available: true, versions: { fake: reactor }, missing: [] });
    expect(good.status).toBe('built');
  });
});
