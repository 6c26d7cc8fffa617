// The shapes every rendering walks: per suite a grid of cases by (flavor,
// runtime) columns, the list of differences, and skip reasons grouped.
import { cellKey, type Cell } from '../model/cell.js';
import type { Report } from './schema.js';
import { isProblem } from './status.js';

/** A flavor x runtime column of a suite grid. */
export interface Column {
  flavor: string;
  runtime: string;
}

/** One suite as a grid: a row per case, a column per flavor x runtime. */
export interface SuiteGrid {
  suite: string;
  /** Cases in the order the run produced them. */
  cases: string[];
  /** Only the columns this suite has cells in, flavors then runtimes in report order. */
  columns: Column[];
  at(caseName: string, column: Column): Cell | undefined;
}

/** Report order first (the order people configured), then anything only seen in cells. */
function orderOf(declared: readonly string[], seen: Iterable<string>): Map<string, number> {
  const order = new Map<string, number>();
  for (const id of [...declared, ...seen]) if (!order.has(id)) order.set(id, order.size);
  return order;
}

/** The result grids of a report, one per suite. */
export function suiteGrids(report: Report): SuiteGrid[] {
  const flavorOrder = orderOf(
    report.flavors.map((f) => f.id),
    report.cells.map((c) => c.flavor),
  );
  const runtimeOrder = orderOf(
    report.runtimes.map((r) => r.id),
    report.cells.map((c) => c.runtime),
  );
  const bySuite = new Map<string, Cell[]>();
  for (const cell of report.cells) {
    const list = bySuite.get(cell.suite);
    if (list) list.push(cell);
    else bySuite.set(cell.suite, [cell]);
  }
  return [...bySuite].map(([suite, cells]) => {
    const cases = [...new Set(cells.map((c) => c.case))];
    const columnKeys = new Map<string, Column>();
    const byKey = new Map<string, Cell>();
    for (const c of cells) {
      columnKeys.set(`${c.flavor}\0${c.runtime}`, { flavor: c.flavor, runtime: c.runtime });
      byKey.set(`${c.case}\0${c.flavor}\0${c.runtime}`, c);
    }
    const columns = [...columnKeys.values()].sort(
      (a, b) =>
        (flavorOrder.get(a.flavor) ?? 0) - (flavorOrder.get(b.flavor) ?? 0) ||
        (runtimeOrder.get(a.runtime) ?? 0) - (runtimeOrder.get(b.runtime) ?? 0),
    );
    return { suite, cases, columns, at: (caseName, col) => byKey.get(`${caseName}\0${col.flavor}\0${col.runtime}`) };
  });
}

/** A failing cell with its expected and actual values, for the differences list. */
export interface Difference {
  cell: Cell;
  key: string;
  /** Passed in the baseline and does not now. */
  newlyFailing: boolean;
}

/** Every failing cell; with a baseline, the newly failing ones first. */
export function differences(report: Report): Difference[] {
  const newly = new Set(report.baseline?.newlyFailing ?? []);
  // Cells of an expectation list show too: what a known failure did, and which entries are stale.
  const list = report.cells.filter((c) => isProblem(c) || c.status === 'known-failure' || c.status === 'fixed').map((cell) => {
    const key = cellKey(cell);
    return { cell, key, newlyFailing: newly.has(key) };
  });
  // Array.prototype.sort is stable, so report order holds within each group.
  return list.sort((a, b) => Number(b.newlyFailing) - Number(a.newlyFailing));
}

/** Skipped or unsupported cells that share a reason. */
export interface SkipGroup {
  status: 'skipped' | 'unsupported';
  reason: string;
  cells: Cell[];
}

/** Skipped and unsupported cells grouped by reason, largest group first. */
export function skipGroups(report: Report): SkipGroup[] {
  const groups = new Map<string, SkipGroup>();
  for (const cell of report.cells) {
    if (cell.status !== 'skipped' && cell.status !== 'unsupported') continue;
    const reason = cell.reason ?? '(no reason given)';
    const id = `${cell.status}\0${reason}`;
    const group = groups.get(id);
    if (group) group.cells.push(cell);
    else groups.set(id, { status: cell.status, reason, cells: [cell] });
  }
  return [...groups.values()].sort((a, b) => b.cells.length - a.cells.length);
}

/** Where a skip group applies, compactly: `flavor × runtime` pairs and suite count. */
export function skipScope(group: SkipGroup): string {
  const pairs = [...new Set(group.cells.map((c) => `${c.flavor} × ${c.runtime}`))];
  const suites = new Set(group.cells.map((c) => c.suite)).size;
  const shown = pairs.length > 6 ? [...pairs.slice(0, 6), `… ${pairs.length - 6} more`] : pairs;
  return `${shown.join(', ')} (${suites} suite${suites === 1 ? '' : 's'})`;
}

/** Looks up the cells a baseline diff names; a key no longer in the report maps to undefined. */
export function cellsByKey(report: Report): Map<string, Cell> {
  return new Map(report.cells.map((c) => [cellKey(c), c]));
}
