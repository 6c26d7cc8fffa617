// How the renderings stay usable at scale (tens of thousands of cells).
//
// Up to DETAIL_CELL_LIMIT cells every cell is drawn (report.md: a row per
// case per suite; report.html: one heat-map square per cell). Beyond it,
// report.md and report.html open with the same summary and then show
// passing cells only as counts per suite × flavor × runtime (aggregateBySuite);
// the per-cell grids are drawn for the suites that have a failing cell, as
// long as those grids hold at most DETAIL_CELL_LIMIT cells together. Failing
// cells are always listed one by one (up to the limits below, with expected
// vs actual for the first ones). report.json and junit.xml always hold
// every cell.
import type { Column, SuiteGrid } from './matrix.js';
import type { Cell } from '../model/cell.js';
import type { Report } from './schema.js';
import { SHOWN_STATUSES, type ShownStatus, isProblem, shownStatus } from './status.js';

/** A report with at most this many cells shows every cell in report.md and report.html. */
export const DETAIL_CELL_LIMIT = 5000;
/** report.md: failing cells with expected vs actual (GitHub cuts a step summary at 1 MiB). */
export const MD_DETAILED_DIFFERENCES = 200;
/** report.md: further failing cells, one line each. */
export const MD_LISTED_DIFFERENCES = 1000;
/** report.html: failing cells with expected vs actual. */
export const HTML_DETAILED_DIFFERENCES = 1000;
/** report.html: further failing cells, one table row each. */
export const HTML_LISTED_DIFFERENCES = 5000;

export const isLarge = (report: Report): boolean => report.cells.length > DETAIL_CELL_LIMIT;

/** Cell counts of one suite × flavor × runtime, by shown status. */
export interface AggregateEntry {
  total: number;
  problems: number;
  counts: Map<ShownStatus, number>;
  /** The status that stands for the entry: the most severe present (last in SHOWN_STATUSES among problems, else the most common). */
  worst: ShownStatus;
}

export interface SuiteAggregate {
  suite: string;
  total: number;
  problems: number;
  entries: Map<string, AggregateEntry>;
}

export const columnId = (c: Column): string => `${c.flavor}\0${c.runtime}`;

const SEVERITY: readonly ShownStatus[] = ['crash', 'hang', 'mismatch', 'trap', 'timeout'];

function worstOf(counts: Map<ShownStatus, number>): ShownStatus {
  for (const s of SEVERITY) if (counts.has(s)) return s;
  let best: ShownStatus = 'pass';
  let n = -1;
  for (const s of SHOWN_STATUSES) {
    const c = counts.get(s) ?? 0;
    if (c > n) [best, n] = [s, c];
  }
  return best;
}

/** One pass over the cells: per suite, per (flavor, runtime), counts by status. */
export function aggregateBySuite(cells: readonly Cell[]): SuiteAggregate[] {
  const suites = new Map<string, SuiteAggregate>();
  for (const cell of cells) {
    let suite = suites.get(cell.suite);
    if (!suite) suites.set(cell.suite, (suite = { suite: cell.suite, total: 0, problems: 0, entries: new Map() }));
    const id = columnId(cell);
    let entry = suite.entries.get(id);
    if (!entry) suite.entries.set(id, (entry = { total: 0, problems: 0, counts: new Map(), worst: 'pass' }));
    const shown = shownStatus(cell);
    const problem = isProblem(cell);
    entry.total++;
    suite.total++;
    if (problem) {
      entry.problems++;
      suite.problems++;
    }
    entry.counts.set(shown, (entry.counts.get(shown) ?? 0) + 1);
  }
  for (const s of suites.values()) for (const e of s.entries.values()) e.worst = worstOf(e.counts);
  return [...suites.values()];
}

/** Every column any suite has, in the grids' order (flavors, then runtimes, in report order). */
export function allColumns(grids: readonly SuiteGrid[], report: Report): Column[] {
  const flavorRank = new Map(report.flavors.map((f, i) => [f.id, i] as const));
  const runtimeRank = new Map(report.runtimes.map((r, i) => [r.id, i] as const));
  const seen = new Map<string, Column>();
  for (const g of grids) for (const c of g.columns) if (!seen.has(columnId(c))) seen.set(columnId(c), c);
  return [...seen.values()].sort(
    (a, b) =>
      (flavorRank.get(a.flavor) ?? Infinity) - (flavorRank.get(b.flavor) ?? Infinity) ||
      a.flavor.localeCompare(b.flavor) ||
      (runtimeRank.get(a.runtime) ?? Infinity) - (runtimeRank.get(b.runtime) ?? Infinity) ||
      a.runtime.localeCompare(b.runtime),
  );
}

/**
 * The suites whose every cell is drawn: all of them in a small report; in a
 * large one the suites with a failing cell, in order, while the drawn cells
 * stay within DETAIL_CELL_LIMIT.
 */
export function detailedSuites(report: Report, grids: readonly SuiteGrid[], aggregates: readonly SuiteAggregate[]): { shown: SuiteGrid[]; omitted: number } {
  if (!isLarge(report)) return { shown: [...grids], omitted: 0 };
  const bySuite = new Map(aggregates.map((a) => [a.suite, a] as const));
  const shown: SuiteGrid[] = [];
  let budget = DETAIL_CELL_LIMIT;
  let omitted = 0;
  for (const g of grids) {
    const agg = bySuite.get(g.suite);
    if (!agg || agg.problems === 0) continue;
    if (agg.total <= budget) {
      shown.push(g);
      budget -= agg.total;
    } else omitted++;
  }
  return { shown, omitted };
}
