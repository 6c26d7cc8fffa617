// report.html's ratio plots and time whiskers, on fixed numbers: as text, and
// in headless Chromium (rows and whiskers in the DOM, no console errors, a
// screenshot to look at).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineRow, baselineSummary, comparisons } from '../../bench/compare.js';
import { instructionBaselineRow, instructionComparisons } from '../../bench/instructions.js';
import type { BenchCell, BenchData, ProcessRecord } from '../../bench/schema.js';
import { geometricMeanInterval } from '../../bench/stats.js';
import { cellKey } from '../../model/cell.js';
import { renderHtml } from '../html.js';
import { reportInChromium } from './chromium.js';
import { syntheticReport } from './fixtures.js';

const SCREENSHOT = join(tmpdir(), 'wasm-matrix-ratio-plots.png');
const FLAVORS = [
  { id: 'clang-wasi-O0', language: 'c', target: 'wasm' as const },
  { id: 'clang-wasi-O2', language: 'c', target: 'wasm' as const },
];
const RUNTIMES = ['wasmtime-24', 'wasmtime-48'];

/** A timed and counted cell: per-process medians spread around `ns`, `instructions` per call. */
function cell(suite: string, name: string, flavor: string, runtime: string, ns: number, spread: number, instructions: number): BenchCell {
  const at = { suite, case: name, flavor, runtime };
  const medians = [1 - spread, 1, 1 + spread, 1 - spread / 2, 1 + spread / 2].map((f) => ns * f);
  const processes: ProcessRecord[] = medians.map((m, i) => ({ round: i + 1, order: i, pid: 100 + i, status: 'ok', compileNs: 1e6, precompileNs: 1e6, deserializeNs: 1e5, instantiateNs: 1e4, firstCallNs: m, perCallMedianNs: m, perCallMeanNs: m, samples: 10, wallMs: 100 }));
  const gm = geometricMeanInterval(medians)!;
  const s = { n: 50, medianNs: ns, meanNs: ns, stddevNs: 0, madNs: 0, iqrNs: 0, minNs: ns, maxNs: ns };
  const count = (total: number, calls: number) => ({ perCall: total / calls, total, calls, deterministic: true, min: total, max: total });
  return {
    key: cellKey(at),
    ...at,
    status: 'ok',
    processes,
    phases: { compile: s, precompile: s, deserialize: s, instantiate: s, firstCall: s },
    perCall: { ...s, samples: 50, processMediansNs: medians, typical: { ns: gm.geometricMean, low: gm.low, high: gm.high, confidence: 0.99 } },
    instructions: { processes: [], phases: { compile: count(3_600_000, 1), instantiate: count(600_000, 1), firstCall: count(instructions + 900, 1), perCall: count(instructions * 3, 3) }, nondeterministic: [] },
  };
}

function bench(): BenchData {
  const cells: BenchCell[] = [];
  for (const [i, runtime] of RUNTIMES.entries()) {
    cells.push(cell('compute', 'sort.100k', 'clang-wasi-O0', runtime, 14e6, 0.05, 90_000_000));
    cells.push(cell('compute', 'sort.100k', 'clang-wasi-O2', runtime, 8.4e6, 0.04, 40_000_000 + i * 1000));
    cells.push(cell('compute', 'sha256.abc', 'clang-wasi-O0', runtime, 7.7e3, 0.3, 12_000));
    cells.push(cell('compute', 'sha256.abc', 'clang-wasi-O2', runtime, 4.6e3 * (1 + i * 0.1), 0.35, 7_000));
  }
  // The baseline: the same cells, one 30% faster (a time regression now), one counting 2% fewer instructions.
  const before = cells.map((c) => {
    if (c.key === 'compute/sort.100k/clang-wasi-O2/wasmtime-48') return cell(c.suite, c.case, c.flavor, c.runtime, 8.4e6 / 1.3, 0.04, 40_001_000);
    if (c.key === 'compute/sort.100k/clang-wasi-O0/wasmtime-24') return cell(c.suite, c.case, c.flavor, c.runtime, 14e6, 0.05, 90_000_000 * 0.98);
    return c;
  });
  const rows = cells.map((c, i) => baselineRow(c, before[i], 5));
  const countRows = cells.map((c, i) => instructionBaselineRow(c, before[i], 1));
  return {
    schemaVersion: 1,
    definitions: 'benchmarks/default.json',
    method: { processes: 5, budgetMs: 200, minIterations: 3, confidence: 0.99, interval: 'Welch' },
    measure: 'both',
    instructionMethod: { valgrind: 'valgrind-3.19.0', command: 'valgrind --tool=callgrind --collect-atstart=no', processes: 2, calls: 3, counted: 'guest', notCounted: 'node' },
    schedule: { seed: 1, rounds: [] },
    wallMs: 1000,
    cells,
    comparisons: comparisons(cells, FLAVORS, RUNTIMES),
    instructionComparisons: instructionComparisons(cells, FLAVORS, RUNTIMES),
    nondeterministic: [],
    baseline: {
      ...baselineSummary('reports/bench/run1/report.json', 5, rows),
      instructions: { thresholdPct: 1, rows: countRows, regressions: countRows.filter((r) => r.verdict === 'regression').map((r) => r.key), improvements: [] },
    },
  };
}

const report = { ...syntheticReport(), kind: 'bench' as const, bench: bench() };
const html = renderHtml(report);

describe('ratio plots, as text', () => {
  it('draws one plot per comparison table with a row per case, a whisker per time ratio, and the baseline in its colours', () => {
    const b = report.bench;
    expect(b.baseline!.regressions).toEqual(['compute/sort.100k/clang-wasi-O2/wasmtime-48']);
    expect(b.baseline!.instructions!.regressions).toEqual(['compute/sort.100k/clang-wasi-O0/wasmtime-24']);
    // time: O2 vs O0 (4 rows), runtime pairs for 2 flavors (2 rows each), baseline (8); counts: the same, baseline (8).
    expect(html.match(/<figure class="ratio"/g)).toHaveLength(8);
    expect(html.match(/class="ratio-row"/g)).toHaveLength(4 + 2 + 2 + 8 + 4 + 2 + 2 + 8);
    expect(html.match(/<line class="whisker"/g)).toHaveLength(4 + 2 + 2 + 8); // exact counts have none
    expect(html).toContain('data-verdict="regression"');
    expect(html.match(/data-verdict="regression"/g)).toHaveLength(2);
    expect(html.match(/data-whisker=/g)).toHaveLength(8); // every timed bar
    expect(html.match(/<text[^>]*data-count=/g)).toHaveLength(8); // counts beside the times
    expect(html).toContain('id="instructions"');
  });
});

describe('ratio plots, in headless Chromium', () => {
  const chromium = reportInChromium('wasm-matrix-ratio-', html);

  it('has the rows, whiskers and the line at 1 in the DOM, and no console errors', async (ctx) => {
    const { page, errors } = await chromium.open(ctx);
    expect(errors).toEqual([]);
    expect(await page.locator('figure.ratio').count()).toBe(8);
    expect(await page.locator('g.ratio-row').count()).toBe(32);
    expect(await page.locator('g.ratio-row line.whisker').count()).toBe(16);
    expect(await page.locator('figure.ratio line.one').count()).toBe(8);
    expect(await page.locator('g.ratio-row[data-significant="true"]').count()).toBeGreaterThan(0);
    // Every whisker lies around its point and has a visible length.
    const boxes = await page.locator('g.ratio-row line.whisker').evaluateAll((lines) => lines.map((l) => (l as SVGGraphicsElement).getBBox().width));
    for (const w of boxes) expect(w).toBeGreaterThan(0);
    await page.locator('#ratios').screenshot({ path: SCREENSHOT });
    await page.locator('#bench').screenshot({ path: SCREENSHOT.replace('.png', '-bars.png') });
    console.log(`screenshots of the ratio plots and the time bars: ${SCREENSHOT}, ${SCREENSHOT.replace('.png', '-bars.png')}`);
    await page.close();
  });
});
