// How each cell status reads in the renderings and what it means for the verdict.
// The renderers all use these so report.md, junit.xml and report.html agree.
import type { Cell, CellStatus, Report } from './schema.js';

/** A status as shown: `trap` and `timeout` split in two because an expected one is a pass. */
export type ShownStatus = CellStatus | 'trap-expected' | 'timeout-expected';

/** What a cell means for CI (the JUnit vocabulary). */
export type Outcome = 'pass' | 'failure' | 'error' | 'skipped';

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
];

interface StatusStyle {
  label: string;
  /** Short symbol for Markdown tables. */
  symbol: string;
  /** Fill colour in the HTML heat map. */
  color: string;
}

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
};

/**
 * compare/judge.ts sets `expectedTrap` for an expected timeout too; a suite
 * expectation of `timeout: true` says the same.
 */
const expectedTimeout = (cell: Cell): boolean => cell.expectedTrap === true || cell.expected?.timeout === true;

export function shownStatus(cell: Cell): ShownStatus {
  if (cell.status === 'trap' && cell.expectedTrap === true) return 'trap-expected';
  if (cell.status === 'timeout' && expectedTimeout(cell)) return 'timeout-expected';
  return cell.status;
}

/**
 * A guest error, an expected trap and an expected timeout are answers the
 * oracle accepted (compare turns a wrong one into `mismatch`); the same rule
 * as isFailure in compare/judge.ts.
 */
export function outcome(cell: Cell): Outcome {
  switch (cell.status) {
    case 'pass':
    case 'guest-error':
      return 'pass';
    case 'trap':
      return cell.expectedTrap === true ? 'pass' : 'failure';
    case 'timeout':
      return expectedTimeout(cell) ? 'pass' : 'failure';
    case 'mismatch':
      return 'failure';
    case 'crash':
    case 'hang':
      return 'error';
    case 'unsupported':
    case 'skipped':
      return 'skipped';
  }
}

export const isProblem = (cell: Cell): boolean => {
  const o = outcome(cell);
  return o === 'failure' || o === 'error';
};

export function countShown(cells: readonly Cell[]): Map<ShownStatus, number> {
  const counts = new Map<ShownStatus, number>();
  for (const cell of cells) {
    const s = shownStatus(cell);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

export interface Verdict {
  /**
   * The exit code the process gives for this report: 1 for a mismatch, crash
   * or regression, or an incomplete report; 2 when an input could not be used
   * (a broken suite); 130 when a signal stopped the run; else 0.
   */
  exitCode: 0 | 1 | 2 | 130;
  problems: number;
  newlyFailing: number;
  /** One line for people. */
  summary: string;
}

export function verdict(report: Report): Verdict {
  const problems = report.cells.filter(isProblem).length;
  const newlyFailing = report.baseline?.newlyFailing.length ?? 0;
  // A cut-over can be no-go with every cell passing (a lost call, an old entry that loaded).
  const noGo = (report.cutover as { verdict?: unknown } | undefined)?.verdict === 'no-go';
  const inputErrors = report.inputErrors?.length ?? 0;
  // The same order of precedence as the process: a signal ends it with 130,
  // an unusable input gives 2, an incomplete report (a merge with a hole) 1.
  const exitCode = report.interruptedBy ? 130 : inputErrors > 0 ? 2 : problems > 0 || newlyFailing > 0 || noGo || !report.complete ? 1 : 0;
  const clean = report.complete && !inputErrors ? 'nothing wrong' : report.complete ? 'no failing cell' : 'no failing cell among those that finished';
  const parts: string[] = [problems === 0 ? (noGo ? 'cut-over is no-go' : clean) : `${problems} failing cell${problems === 1 ? '' : 's'}`];
  if (inputErrors) parts.push(`${inputErrors} unusable input${inputErrors === 1 ? '' : 's'} (${report.inputErrors!.join('; ')})`);
  if (report.baseline) parts.push(`${newlyFailing} newly failing against the baseline`);
  if (!report.complete) parts.push(report.interrupted ? `interrupted: ${report.interrupted}` : 'incomplete');
  return { exitCode, problems, newlyFailing, summary: parts.join('; ') };
}
