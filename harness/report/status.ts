// How each cell status reads in the renderings and what it means for the verdict.
// The renderers all use these so report.md, junit.xml and report.html agree.
import type { Cell } from '../model/cell.js';
import type { CellStatus } from '../model/status.js';
import { isFailure, outcome, verdictOf, type Outcome, type Verdict } from '../model/verdict.js';
import type { Report } from './schema.js';

/** A status as shown: `trap` and `timeout` split in two because an expected one is a pass. */
export type ShownStatus = CellStatus | 'trap-expected' | 'timeout-expected';

export { outcome, type Outcome, type Verdict };

/** Every shown status, in the order the renderings list them. */
export const SHOWN_STATUSES: readonly ShownStatus[] = [
  'pass',
  'trap-expected',
  'timeout-expected',
  'guest-error',
  'mismatch',
  'trap',
  'timeout',
  'crash',
  'hang',
  'unsupported',
  'skipped',
  'known-failure',
  'fixed',
];

interface StatusStyle {
  label: string;
  /** Short symbol for Markdown tables. */
  symbol: string;
  /** Fill colour in the HTML heat map. */
  color: string;
}

/** How each shown status looks in report.md, report.html and junit.xml. */
export const STATUS_STYLE: Record<ShownStatus, StatusStyle> = {
  pass: { label: 'pass', symbol: '✅', color: '#2da44e' },
  'trap-expected': { label: 'trap (expected)', symbol: '⚡', color: '#4fb0a8' },
  'timeout-expected': { label: 'timeout (expected)', symbol: '⌛', color: '#8fb8de' },
  'guest-error': { label: 'guest error', symbol: '💬', color: '#a6d96a' },
  mismatch: { label: 'mismatch', symbol: '❌', color: '#d1242f' },
  trap: { label: 'trap (unexpected)', symbol: '💥', color: '#f0883e' },
  timeout: { label: 'timeout', symbol: '⏱️', color: '#bf8700' },
  crash: { label: 'crash', symbol: '☠️', color: '#8250df' },
  hang: { label: 'hang', symbol: '🧊', color: '#bf3989' },
  unsupported: { label: 'unsupported', symbol: '➖', color: '#8c959f' },
  skipped: { label: 'skipped', symbol: '⏭️', color: '#d0d7de' },
  'known-failure': { label: 'known failure (listed)', symbol: '🔕', color: '#e8b4b8' },
  fixed: { label: 'fixed (listed, passes)', symbol: '🎉', color: '#6fdd8b' },
};

/** A cell's status as shown: an expected trap or timeout is its own column, because it is a pass. */
export function shownStatus(cell: Cell): ShownStatus {
  if ((cell.status === 'trap' || cell.status === 'timeout') && outcome(cell) === 'pass') return cell.status === 'trap' ? 'trap-expected' : 'timeout-expected';
  return cell.status;
}

/** Whether a cell makes the run fail: model/verdict.ts `isFailure`, the only failure rule. */
export const isProblem = (cell: Cell): boolean => isFailure(cell);

/** How many cells show each status. */
export function countShown(cells: readonly Cell[]): Map<ShownStatus, number> {
  const counts = new Map<ShownStatus, number>();
  for (const cell of cells) {
    const s = shownStatus(cell);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

/** A report's exit code and headline: model/verdict.ts `verdictOf`, the one place they are decided. */
export const verdict = (report: Report): Verdict => verdictOf(report);
