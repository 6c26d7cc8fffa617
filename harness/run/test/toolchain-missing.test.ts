// A runtime whose Rust toolchain this machine lacks: its cells are skipped with
// the reason and the command that would build it, and the rest of the matrix runs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuntimes, runtimeFromEntry } from '../../config/runtimes.js';
import { loadAllSuites } from '../../config/suite.js';
import { buildAddon } from '../../runtimes/build-addons.js';
import { flavorById } from '../../toolchains/registry.js';
import { runMatrix } from '../matrix.js';

const real = loadRuntimes().find((r) => r.id === 'wasmtime-48')!;
// A runtime that needs a Rust no toolchain here has (no rustc is 99).
const unbuildable = runtimeFromEntry(
  { id: 'wasmtime-99', wasmtime: '99.0.0', wasmtimeWasi: '99.0.0', workspace: 'wasmtime-99', rust: '99.0.0' },
  mkdtempSync(join(tmpdir(), 'wasm-matrix-runtimes-')),
  true,
);

describe('a runtime whose toolchain is missing', () => {
  it('is "not built" with the reason and the build command, and the others still run', async () => {
    const build = await buildAddon({ ...unbuildable, workspaceDir: real.workspaceDir, wasmtime: real.wasmtime });
    expect(build).toMatchObject({ status: 'not-built', runtimeId: 'wasmtime-99' });
    if (build.status !== 'not-built') return;
    expect(build.reason).toMatch(/^wasmtime-99 needs rustc 99\.0\.0 or newer \(the default rustc is \d+\.\d+\.\d+/);
    expect(build.command).toMatch(/rustup toolchain install nightly && .*build-runtimes --runtime wasmtime-99/);

    const core = loadAllSuites().filter((s) => s.name === 'core');
    const { report, exitCode } = await runMatrix({
      suites: core,
      flavors: [flavorById('wat')],
      runtimes: [real, unbuildable],
      outDir: mkdtempSync(join(tmpdir(), 'wasm-matrix-report-')),
      quiet: true,
    });
    const missing = report.cells.filter((c) => c.runtime === 'wasmtime-99');
    const ran = report.cells.filter((c) => c.runtime === 'wasmtime-48' && c.status !== 'skipped');
    expect(ran.length).toBeGreaterThan(10);
    expect(missing.length).toBe(report.cells.filter((c) => c.runtime === 'wasmtime-48').length);
    // Every case that ran on 48 is skipped on the missing runtime, saying why and what builds it.
    for (const c of ran) {
      const twin = missing.find((m) => m.case === c.case)!;
      expect(twin.status).toBe('skipped');
      expect(twin.reason).toMatch(/needs rustc 99\.0\.0 or newer.*build it with: rustup toolchain install nightly/);
    }
    expect(missing.every((c) => c.status === 'skipped')).toBe(true);
    expect(ran.every((c) => ['pass', 'trap', 'timeout', 'guest-error'].includes(c.status))).toBe(true);
    expect(report.runtimes.find((r) => r.id === 'wasmtime-99')?.error).toMatch(/not built: wasmtime-99 needs rustc 99\.0\.0/);
    // Compare-only cases take their reference from the newest runtime that ran, not the missing one.
    expect(ran.filter((c) => c.oracle === 'reference').every((c) => c.referenceCell?.endsWith('/wasmtime-48'))).toBe(true);
    expect(exitCode).toBe(0);
  });
});
