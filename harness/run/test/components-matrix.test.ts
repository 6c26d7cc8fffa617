// The clang-wasi-p2 flavor on the real suites: every cell of the component
// equals the clang-wasi-O2 cell of the same case on the same runtime.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { loadAllSuites } from '../../config/suite.js';
import { isFailure } from '../../model/verdict.js';
import { flavorById } from '../../toolchains/registry.js';
import { runMatrix } from '../matrix.js';

const runtimes = loadRuntimes();

describe('clang-wasi-p2 against clang-wasi-O2 on core, compute and wasi', () => {
  it('passes every cell, and each component cell equals the core-module cell', async () => {
    const suites = loadAllSuites().filter((s) => ['core', 'compute', 'wasi'].includes(s.name));
    expect(suites).toHaveLength(3);
    const outDir = mkdtempSync(join(tmpdir(), 'wasm-matrix-p2-'));
    const { report, exitCode } = await runMatrix({ suites, flavors: ['clang-wasi-O2', 'clang-wasi-p2'].map(flavorById), runtimes, outDir, quiet: true });
    const failures = report.cells.filter(isFailure);
    expect(failures, JSON.stringify(failures.slice(0, 3), null, 1)).toEqual([]);
    expect(exitCode).toBe(0);

    const byKey = new Map(report.cells.map((c) => [`${c.suite}/${c.case}/${c.flavor}/${c.runtime}`, c]));
    let compared = 0;
    const differing: string[] = [];
    for (const p2 of report.cells.filter((c) => c.flavor === 'clang-wasi-p2')) {
      const o2 = byKey.get(`${p2.suite}/${p2.case}/clang-wasi-O2/${p2.runtime}`);
      if (!o2 || o2.status === 'skipped' || p2.status === 'skipped') continue;
      compared++;
      // The one documented difference: WASI 0.2 exit statuses are ok/err, so exit codes above 1 arrive as 1.
      const override = suites.find((s) => s.name === p2.suite)!.cases.find((c) => c.name === p2.case)!.expectByFlavor?.['clang-wasi-p2'];
      const want = override ? { ...o2.actual, ...override } : o2.actual;
      if (override) {
        differing.push(p2.case);
        expect(o2.actual?.exitCode, p2.case).toBeGreaterThan(1);
      }
      expect({ status: p2.status, actual: p2.actual }, `${p2.suite}/${p2.case} on ${p2.runtime}`).toEqual({ status: o2.status, actual: want });
    }
    expect([...new Set(differing)].sort()).toEqual(['exit.code', 'exit.max', 'ls.missing', 'read.missing', 'read.no_preopen', 'usage', 'usage.unknown', 'write.no_preopen']);
    // Every runtime ran the component on (nearly) every case of the three suites.
    expect(compared).toBeGreaterThan(100 * runtimes.length);
    for (const runtime of runtimes) {
      const ran = report.cells.filter((c) => c.flavor === 'clang-wasi-p2' && c.runtime === runtime.id && c.status !== 'skipped');
      expect(ran.some((c) => c.status === 'unsupported'), runtime.id).toBe(false);
    }
    const artifacts = report.artifacts.filter((a) => a.flavor === 'clang-wasi-p2');
    expect(artifacts.map((a) => a.kind)).toEqual(['component', 'component', 'component']);
  });
});
