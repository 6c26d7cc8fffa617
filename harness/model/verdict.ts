// What a judged cell means for the run, and what a whole report means: its
// exit code and its headline. The only failure rule; every stage and every
// rendering uses it, so the exit code and report.md's headline cannot disagree.
import type { Cell } from './cell.js';

/** The fields of a cell the failure rule reads. */
export type Judged = Pick<Cell, 'status' | 'expectedTrap'> & Partial<Pick<Cell, 'expected' | 'buildFailure'>>;

/** What a cell means for CI (the JUnit vocabulary). */
export type Outcome = 'pass' | 'failure' | 'error' | 'skipped';

/**
 * A trap or a timeout the oracle expected is an answer it accepted. The judge
 * sets `expectedTrap` for an expected timeout too; a suite expectation of
 * `timeout: true` says the same.
 */
const expectedTrapOrTimeout = (cell: Judged): boolean =>
  cell.expectedTrap === true || (cell.status === 'timeout' && cell.expected?.timeout === true);

/**
 * A cell's outcome: a guest error, an expected trap and an expected timeout
 * are answers the oracle accepted (the judge turns a wrong one into
 * `mismatch`); a crash, a hang and a failed build blame the host or the
 * toolchain; unsupported and skipped cells did not run.
 */
export function outcome(cell: Judged): Outcome {
  switch (cell.status) {
    case 'pass':
    case 'guest-error':
    case 'fixed':
      return 'pass';
    // A listed known failure is reported (JUnit: skipped with the list's reason), not failed.
    case 'known-failure':
      return 'skipped';
    case 'trap':
    case 'timeout':
      return expectedTrapOrTimeout(cell) ? 'pass' : 'failure';
    case 'mismatch':
      return 'failure';
    case 'crash':
    case 'hang':
      return 'error';
    case 'unsupported':
      return 'skipped';
    case 'skipped':
      return cell.buildFailure ? 'error' : 'skipped';
  }
}

/** Whether a cell makes the run fail (exit 1). */
export const isFailure = (cell: Judged): boolean => {
  const o = outcome(cell);
  return o === 'failure' || o === 'error';
};

/** Whether an answer counts against a cut-over: a failure, or a runtime that could not run what the old one ran. */
export const failsCutover = (cell: Judged): boolean => isFailure(cell) || cell.status === 'unsupported' || cell.status === 'skipped';

/** The parts of a report the verdict reads (a Report has them all). */
export interface VerdictInput {
  cells: readonly Judged[];
  complete: boolean;
  interrupted?: string | undefined;
  baseline?: { newlyFailing: readonly string[] } | undefined;
  cutover?: { verdict: 'go' | 'no-go' } | undefined;
  /** Set when a signal stopped the run (exit 130). */
  interruptedBy?: 'SIGINT' | 'SIGTERM' | undefined;
  /** Inputs that could not be used and were left out, such as broken suites (exit 2). */
  inputErrors?: readonly string[] | undefined;
}

/** A report's verdict. */
export interface Verdict {
  /**
   * DESIGN.md's exit code: 130 when a signal stopped the run; 2 when an input
   * could not be used (a broken suite); 1 for a failing cell, a regression, a
   * no-go cut-over or an incomplete report; else 0.
   */
  exitCode: 0 | 1 | 2 | 130;
  /** Cells that fail (isFailure), failed builds included. */
  problems: number;
  /** Of those, cells skipped because their build failed. */
  buildFailures: number;
  newlyFailing: number;
  noGo: boolean;
  /** Inputs left out as unusable. */
  inputErrors: number;
  /** One line for people; report.md, report.html and the CLI print it. */
  summary: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The one function that turns a report into its exit code and headline. */
export function verdictOf(report: VerdictInput): Verdict {
  const problems = report.cells.filter(isFailure).length;
  const buildFailures = report.cells.filter((c) => c.status === 'skipped' && c.buildFailure).length;
  const newlyFailing = report.baseline?.newlyFailing.length ?? 0;
  // A cut-over can be no-go with every cell passing (a lost call, an old entry that loaded).
  const noGo = report.cutover?.verdict === 'no-go';
  const inputErrors = report.inputErrors?.length ?? 0;
  // The same order of precedence as the process: a signal ends it with 130,
  // an unusable input gives 2, an incomplete report (a merge with a hole) 1.
  const exitCode = report.interruptedBy ? 130 : inputErrors > 0 ? 2 : problems > 0 || newlyFailing > 0 || noGo || !report.complete ? 1 : 0;
  const parts: string[] = [];
  if (problems > 0) parts.push(`${plural(problems, 'failing cell')}${buildFailures ? ` (${plural(buildFailures, 'failed build')})` : ''}`);
  if (noGo) parts.push('cut-over is no-go');
  if (parts.length === 0) parts.push(report.complete && !inputErrors ? 'nothing wrong' : report.complete ? 'no failing cell' : 'no failing cell among those that finished');
  if (inputErrors) parts.push(`${plural(inputErrors, 'unusable input')} (${report.inputErrors!.join('; ')})`);
  if (report.baseline) parts.push(`${newlyFailing} newly failing against the baseline`);
  if (!report.complete) parts.push(report.interrupted ? `interrupted: ${report.interrupted}` : 'incomplete');
  return { exitCode, problems, buildFailures, newlyFailing, noGo, inputErrors, summary: parts.join('; ') };
}
