// The comparison tables of a bench report, and the comparison with a
// baseline bench report. Pure functions over bench cells.
import { comparedPairs, type FlavorInfo } from './pairs.js';
import { type BaselineRow, type BenchBaseline, type BenchCell, type Comparison, ONCE_PHASES, type Phase, PHASES } from './schema.js';
import { DEFAULT_CONFIDENCE, ratioInterval } from './stats.js';

export type { FlavorInfo } from './pairs.js';

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

/** The time tables: every compared pair (bench/pairs.ts), each phase's ratio with its interval. */
export function comparisons(cells: BenchCell[], flavors: FlavorInfo[], runtimeOrder: string[], confidence = DEFAULT_CONFIDENCE): Comparison[] {
  return comparedPairs(cells, flavors, runtimeOrder).flatMap((p) => compareCells(p.label, p.reference, p.candidate, confidence));
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
