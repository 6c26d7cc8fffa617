// `wasm-matrix bench` on component cells: every phase is timed for the
// clang-wasi-p2 component as for the core module of the same source.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport } from '../../report/writer.js';
import { BenchData } from '../schema.js';
import { benchCli } from './cli.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('wasm-matrix bench with components', () => {
  it('times compile, precompile, deserialize, instantiate, first call and steady calls of a component', async () => {
    const file = join(tmp('wasm-matrix-benchdefs-'), 'set.json');
    writeFileSync(
      file,
      JSON.stringify({ schemaVersion: 1, description: 'components', processes: 2, budgetMs: 100, minIterations: 3, benchmarks: [{ suite: 'compute', case: 'sha256.abc' }, { suite: 'wasi', case: 'echo' }] }),
    );
    const out = tmp('wasm-matrix-bench-p2-');
    const r = await benchCli(['--benchmarks', file, '--flavor', 'clang-wasi-O2', 'clang-wasi-p2', '--runtime', 'wasmtime-48', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = readReport(join(out, 'report.json'));
    if (report.kind !== 'bench') throw new Error(`${out}: a ${report.kind} report`);
    const bench = BenchData.parse(report.bench);
    const p2 = bench.cells.filter((c) => c.flavor === 'clang-wasi-p2');
    expect(p2.map((c) => c.status)).toEqual(['ok', 'ok']);
    for (const cell of p2) {
      for (const phase of ['compile', 'precompile', 'deserialize', 'instantiate', 'firstCall'] as const) expect(cell.phases![phase].medianNs, `${cell.key} ${phase}`).toBeGreaterThan(0);
    }
  });
});
