// The comparison tables of a bench report, and the comparison with a
// baseline bench report. Pure functions over bench cells.
import { caseKey, cellKey } from '../model/cell.js';
import { type BaselineRow, type BenchBaseline, type BenchCell, type Comparison, ONCE_PHASES, type Phase, PHASES } from './schema.js';
import { DEFAULT_CONFIDENCE, ratioInterval } from './stats.js';

/** What the comparison tables need of a flavor. */
export interface FlavorInfo {
  id: string;
  /** Source language family: flavors of one family are built from the same source. */
  language: string;
  target: 'wasm' | 'native';
}

/** One value per process for a phase (only processes that completed). */
export function processValues(cell: BenchCell, phase: Phase): number[] {
  const ok = cell.processes.filter((p) => p.status === 'ok');
  if (phase === 'perCall') return ok.flatMap((p) => (p.perCallMedianNs === undefined ? [] : [p.perCallMedianNs]));
  const field = `${phase}Ns` as `${(typeof ONCE_PHASES)[number]}Ns`;
  return ok.map((p) => p[field]);
}

const clip = (s: string, n = 160): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Why a side has no time, naming the side by what differs between the two (the flavor, or the runtime). */
function whyMissing(cell: BenchCell, kind: Comparison['kind']): string {
  return clip(`${kind === 'flavor' ? cell.flavor : cell.runtime}: ${cell.status}${cell.reason ? ` (${cell.reason})` : ''}`);
}

/** Every phase's ratio of two cells, or one row saying why there is none. */
function compareCells(
  base: Omit<Comparison, 'phase' | 'interval' | 'missing'>,
  reference: BenchCell,
  candidate: BenchCell,
  confidence: number,
): Comparison[] {
  const notTimed = [reference, candidate].filter((c) => c.status !== 'ok');
  if (notTimed.length) return [{ ...base, phase: 'perCall', missing: notTimed.map((c) => whyMissing(c, base.kind)).join('; ') }];
  return PHASES.map((phase) => {
    const interval = ratioInterval(processValues(candidate, phase), processValues(reference, phase), confidence);
    return interval ? { ...base, phase, interval } : { ...base, phase, missing: 'fewer than 2 timed processes on a side' };
  });
}

/**
 * Every pair of flavors built from the same source family on each runtime
 * (earlier flavor in `flavorOrder` is the reference: mono-interp before
 * nativeaot-llvm, clang-wasi-O0 before clang-wasi-O2), and every pair of
 * runtimes per flavor (the older runtime is the reference).
 */
export function comparisons(cells: BenchCell[], flavors: FlavorInfo[], runtimeOrder: string[], confidence = DEFAULT_CONFIDENCE): Comparison[] {
  const byKey = new Map(cells.map((c) => [cellKey(c), c]));
  const benchmarks = [...new Map(cells.map((c) => [caseKey(c), { suite: c.suite, case: c.case }])).values()];
  const present = new Set(cells.map((c) => c.flavor));
  const wasmFlavors = flavors.filter((f) => f.target === 'wasm' && present.has(f.id));
  const runtimes = runtimeOrder.filter((r) => cells.some((c) => c.runtime === r));
  const out: Comparison[] = [];
  const families = [...new Set(wasmFlavors.map((f) => f.language))];
  for (const family of families) {
    const members = wasmFlavors.filter((f) => f.language === family);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const ref = members[i]!.id;
        const cand = members[j]!.id;
        for (const b of benchmarks) {
          for (const runtime of runtimes) {
            const r = byKey.get(cellKey({ ...b, flavor: ref, runtime }));
            const c = byKey.get(cellKey({ ...b, flavor: cand, runtime }));
            if (!r || !c) continue;
            out.push(...compareCells({ kind: 'flavor', suite: b.suite, case: b.case, on: runtime, family, reference: ref, candidate: cand }, r, c, confidence));
          }
        }
      }
    }
  }
  for (const flavor of wasmFlavors) {
    for (let i = 0; i < runtimes.length; i++) {
      for (let j = i + 1; j < runtimes.length; j++) {
        for (const b of benchmarks) {
          const r = byKey.get(cellKey({ ...b, flavor: flavor.id, runtime: runtimes[i]! }));
          const c = byKey.get(cellKey({ ...b, flavor: flavor.id, runtime: runtimes[j]! }));
          if (!r || !c) continue;
          out.push(...compareCells({ kind: 'runtime', suite: b.suite, case: b.case, on: flavor.id, reference: runtimes[i]!, candidate: runtimes[j]! }, r, c, confidence));
        }
      }
    }
  }
  return out;
}

/**
 * One cell against the same cell of a baseline report. A regression is a
 * per-call ratio (now / baseline) above 1 + threshold whose interval excludes
 * 1, so noise alone (an interval that contains 1) never fails a build, and a
 * real but negligible slowdown (under the threshold) does not either. An
 * improvement is the mirror image: below 1 / (1 + threshold), significant.
 */
export function baselineRow(now: BenchCell, before: BenchCell | undefined, thresholdPct: number, confidence = DEFAULT_CONFIDENCE): BaselineRow {
  const key = now.key;
  if (!before) return { key, verdict: 'not-compared', reason: 'not in the baseline' };
  const nowTypical = now.perCall?.typical;
  const baselineTypical = before.perCall?.typical;
  const means = {
    ...(baselineTypical ? { baselineNs: baselineTypical.ns, baselineRange: [baselineTypical.low, baselineTypical.high] as [number, number] } : {}),
    ...(nowTypical ? { nowNs: nowTypical.ns, nowRange: [nowTypical.low, nowTypical.high] as [number, number] } : {}),
  };
  if (now.status !== 'ok') return { key, ...means, verdict: 'not-compared', reason: `not timed now: ${now.status}` };
  if (before.status !== 'ok') return { key, ...means, verdict: 'not-compared', reason: `not timed in the baseline: ${before.status}` };
  const interval = ratioInterval(processValues(now, 'perCall'), processValues(before, 'perCall'), confidence);
  if (!interval) return { key, ...means, verdict: 'not-compared', reason: 'fewer than 2 timed processes on a side' };
  const limit = 1 + thresholdPct / 100;
  const verdict = interval.significant && interval.ratio > limit ? 'regression' : interval.significant && interval.ratio < 1 / limit ? 'improvement' : 'same';
  return { key, ...means, interval, verdict };
}

/** The baseline comparison of a bench run: its rows, regressions and improvements. */
export function baselineSummary(file: string, thresholdPct: number, rows: BaselineRow[]): BenchBaseline {
  return {
    file,
    thresholdPct,
    rows,
    regressions: rows.filter((r) => r.verdict === 'regression').map((r) => r.key),
    improvements: rows.filter((r) => r.verdict === 'improvement').map((r) => r.key),
  };
}
