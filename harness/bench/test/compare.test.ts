// The comparison tables and the baseline verdicts on made-up cells, and how
// report.md and report.html show them.
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../report/html.js';
import { renderMarkdown } from '../../report/markdown.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../../report/schema.js';
import { baselineRow, comparisons, type FlavorInfo } from '../compare.js';
import { BENCH_SCHEMA_VERSION, BenchData, type BenchCell, type ProcessRecord } from '../schema.js';

const FLAVORS: FlavorInfo[] = [
  { id: 'mono-interp', language: 'csharp', target: 'wasm' },
  { id: 'nativeaot-llvm', language: 'csharp', target: 'wasm' },
  { id: 'csharp-native', language: 'csharp', target: 'native' },
  { id: 'clang-wasi-O0', language: 'c', target: 'wasm' },
  { id: 'clang-wasi-O2', language: 'c', target: 'wasm' },
];

function proc(perCallMeanNs: number, i: number): ProcessRecord {
  return { round: i + 1, order: i, pid: 100 + i, status: 'ok', compileNs: 5e7, precompileNs: 5e7, deserializeNs: 4e5, instantiateNs: 4e5, firstCallNs: perCallMeanNs * 1.2, perCallMeanNs, perCallMedianNs: perCallMeanNs, samples: 10, wallMs: 500 };
}

function timed(flavor: string, runtime: string, means: number[], name = 'sort.100k'): BenchCell {
  const summary = { n: means.length, medianNs: means[0]!, meanNs: means[0]!, stddevNs: 0, madNs: 0, iqrNs: 0, minNs: Math.min(...means), maxNs: Math.max(...means) };
  return {
    key: `compute/${name}/${flavor}/${runtime}`,
    suite: 'compute',
    case: name,
    flavor,
    runtime,
    status: 'ok',
    artifactSizeBytes: 150_000,
    processes: means.map(proc),
    phases: { compile: summary, precompile: summary, deserialize: summary, instantiate: summary, firstCall: summary },
    perCall: { ...summary, samples: means.length * 10, processMediansNs: means },
  };
}

function notTimed(flavor: string, runtime: string, status: BenchCell['status'], reason: string, name = 'sort.100k'): BenchCell {
  return { key: `compute/${name}/${flavor}/${runtime}`, suite: 'compute', case: name, flavor, runtime, status, reason, processes: [] };
}

describe('comparison tables', () => {
  const cells = [
    timed('clang-wasi-O0', 'wasmtime-36', [20e6, 20.4e6, 19.8e6, 20.1e6]),
    timed('clang-wasi-O2', 'wasmtime-36', [10e6, 10.2e6, 9.9e6, 10.1e6]),
    timed('clang-wasi-O0', 'wasmtime-48', [20.2e6, 20.0e6, 19.9e6, 20.3e6]),
    timed('clang-wasi-O2', 'wasmtime-48', [10.1e6, 9.8e6, 10.0e6, 10.2e6]),
    notTimed('mono-interp', 'wasmtime-48', 'skipped', 'mono-interp toolchain unavailable'),
    notTimed('nativeaot-llvm', 'wasmtime-48', 'skipped', 'nativeaot-llvm toolchain unavailable'),
  ];
  const rows = comparisons(cells, FLAVORS, ['wasmtime-24', 'wasmtime-36', 'wasmtime-48']);

  it('pairs flavors of the same source on each runtime, the earlier flavor as reference', () => {
    const o2 = rows.filter((r) => r.kind === 'flavor' && r.family === 'c' && r.phase === 'perCall');
    expect(o2.map((r) => [r.reference, r.candidate, r.on])).toEqual([
      ['clang-wasi-O0', 'clang-wasi-O2', 'wasmtime-36'],
      ['clang-wasi-O0', 'clang-wasi-O2', 'wasmtime-48'],
    ]);
    for (const r of o2) {
      expect(r.interval!.significant).toBe(true);
      expect(r.interval!.ratio).toBeGreaterThan(0.45);
      expect(r.interval!.ratio).toBeLessThan(0.55);
    }
    // Every phase has its ratio.
    expect(rows.filter((r) => r.kind === 'flavor' && r.family === 'c').map((r) => r.phase)).toContain('compile');
  });

  it('keeps the interpreter-vs-AOT row when neither side was timed, saying why', () => {
    const aot = rows.filter((r) => r.kind === 'flavor' && r.family === 'csharp');
    expect(aot).toHaveLength(1);
    expect(aot[0]).toMatchObject({ reference: 'mono-interp', candidate: 'nativeaot-llvm', on: 'wasmtime-48', phase: 'perCall' });
    expect(aot[0]!.interval).toBeUndefined();
    expect(aot[0]!.missing).toContain('mono-interp: skipped (mono-interp toolchain unavailable)');
  });

  it('pairs runtimes per flavor, the older runtime as reference; a same-speed pair is not significant', () => {
    const runtimes = rows.filter((r) => r.kind === 'runtime' && r.phase === 'perCall');
    expect(runtimes.map((r) => [r.on, r.reference, r.candidate])).toEqual([
      ['clang-wasi-O0', 'wasmtime-36', 'wasmtime-48'],
      ['clang-wasi-O2', 'wasmtime-36', 'wasmtime-48'],
    ]);
    expect(runtimes.every((r) => r.interval && !r.interval.significant)).toBe(true);
  });
});

describe('baseline verdicts', () => {
  const now = timed('clang-wasi-O2', 'wasmtime-48', [10.1e6, 9.8e6, 10.0e6, 10.2e6]);

  it('a much faster baseline makes a regression; the same times do not', () => {
    const faster = timed('clang-wasi-O2', 'wasmtime-48', [5.0e6, 5.1e6, 4.9e6, 5.05e6]);
    expect(baselineRow(now, faster, 5)).toMatchObject({ verdict: 'regression' });
    expect(baselineRow(now, now, 5)).toMatchObject({ verdict: 'same' });
    const slower = timed('clang-wasi-O2', 'wasmtime-48', [20e6, 20.2e6, 19.9e6, 20.1e6]);
    expect(baselineRow(now, slower, 5)).toMatchObject({ verdict: 'improvement' });
  });

  it('a significant slowdown under the threshold is not a regression', () => {
    const steady = timed('clang-wasi-O2', 'wasmtime-48', [10.0e6, 10.02e6, 9.99e6, 10.01e6]);
    const little = timed('clang-wasi-O2', 'wasmtime-48', [9.7e6, 9.72e6, 9.69e6, 9.71e6]);
    const row = baselineRow(steady, little, 5);
    expect(row.interval!.significant).toBe(true);
    expect(row.interval!.ratio).toBeLessThan(1.05);
    expect(row.verdict).toBe('same');
    expect(baselineRow(steady, little, 1).verdict).toBe('regression');
  });

  it('cells not timed on either side are not compared', () => {
    expect(baselineRow(now, undefined, 5)).toMatchObject({ verdict: 'not-compared', reason: 'not in the baseline' });
    const trapped = notTimed('clang-wasi-O2', 'wasmtime-48', 'trap', 'unreachable');
    expect(baselineRow(trapped, now, 5)).toMatchObject({ verdict: 'not-compared', reason: 'not timed now: trap' });
  });
});

describe('renderings of a bench report', () => {
  const cells = [
    timed('clang-wasi-O0', 'wasmtime-48', [20e6, 20.4e6, 19.8e6, 20.1e6]),
    timed('clang-wasi-O2', 'wasmtime-48', [10e6, 10.2e6, 9.9e6, 10.1e6]),
    notTimed('clang-wasi-O2', 'wasmtime-48', 'trap', 'unreachable', 'trap.unreachable'),
  ];
  const bench: BenchData = {
    schemaVersion: BENCH_SCHEMA_VERSION,
    definitions: 'benchmarks/default.json',
    method: { processes: 4, budgetMs: 300, minIterations: 3, confidence: 0.99, interval: 'Welch' },
    schedule: { seed: 7, rounds: [] },
    wallMs: 12_345,
    cells,
    comparisons: comparisons(cells, FLAVORS, ['wasmtime-48']),
  };
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'wasm-matrix',
    kind: 'bench',
    startedAt: '2026-01-01T00:00:00Z',
    complete: true,
    host: { platform: 'linux', arch: 'x64', node: 'v20', cpus: 2 },
    runtimes: [{ id: 'wasmtime-48', wasmtimeVersion: '48.0.8' }],
    flavors: [],
    artifacts: [],
    cells: [],
    bench: BenchData.parse(bench),
  };

  it('report.md has the time per call, the -O0/-O2 table and the cells not timed', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('### Benchmarks');
    expect(md).toContain('seed 7');
    expect(md).toMatch(/\| compute\/sort\.100k \| `clang-wasi-O2` \| `wasmtime-48` \| 10\.0 ms \|/);
    expect(md).toContain('##### `clang-wasi-O2` against `clang-wasi-O0` (c source)');
    expect(md).toMatch(/\| compute\/sort\.100k \| `wasmtime-48` \| \*\*0\.5\d\d\*\* \| [\d.]+–[\d.]+ \| 2\.0\d× faster \|/);
    expect(md).toContain('#### Not timed');
    expect(md).toMatch(/`compute\/trap\.unreachable\/clang-wasi-O2\/wasmtime-48` \| trap \| unreachable/);
  });

  it('report.md without a bench section has no benchmark part', () => {
    expect(renderMarkdown({ ...report, bench: undefined })).not.toContain('### Benchmarks');
  });

  it('report.html draws a bar per timed cell', () => {
    const html = renderHtml(report);
    expect(html).toContain('data-bench="compute/sort.100k/clang-wasi-O0/wasmtime-48"');
    expect(html).toContain('data-bench="compute/sort.100k/clang-wasi-O2/wasmtime-48"');
    expect(html).not.toContain('data-bench="compute/trap.unreachable');
  });
});
