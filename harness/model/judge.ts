// The one judge: every cell's status is decided here, for run, bench,
// external programs, cut-over golden calls and merge alike. The oracle is
// the case's expectation when given, otherwise the reference cell; a
// difference always carries both sides.
import type { BuildFailure, Cell, OracleKind } from './cell.js';
import { answerKind, type Observation, type Observed, valueKey } from './observation.js';
import type { CellStatus } from './status.js';
import { isFailure } from './verdict.js';

/** What a cell's answer is judged against. */
export type Oracle =
  /** The suite's expectation (a guest error matches by prefix); `{}` asks only for a result. */
  | { kind: 'expectation'; expected: Observed }
  /** The reference cell's answer: the same answer, exactly. */
  | { kind: 'reference'; reference: Observed }
  /** The reference cell itself: its own answer speaks. */
  | { kind: 'none' }
  /** Any result will do, but it must be one (a benchmark whose input differs from its case's expectation). */
  | { kind: 'result' };

/** A judged cell: everything of the cell the judge decides. */
export interface Judgement {
  status: CellStatus;
  reason?: string;
  oracle: OracleKind;
  expectedTrap?: boolean;
  expected?: Observed;
  actual?: Observed;
  buildFailure?: BuildFailure;
}

const sameValues = (a: string[] | undefined, b: string[] | undefined): boolean =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => valueKey(v) === valueKey((b ?? [])[i]!));

/** The fields the expectation names, compared one by one; returns the first difference. */
function differs(want: Observed, got: Observed): string | undefined {
  if (want.output && got.output?.hex !== want.output.hex) return 'output differs';
  if (want.values && !sameValues(want.values, got.values)) return 'values differ';
  if (want.exitCode !== undefined && got.exitCode !== want.exitCode) return 'exit code differs';
  if (want.stdout !== undefined && got.stdout !== want.stdout) return 'stdout differs';
  if (want.stderr !== undefined && got.stderr !== want.stderr) return 'stderr differs';
  if (want.hostCalls && JSON.stringify(want.hostCalls) !== JSON.stringify(got.hostCalls ?? [])) return 'recorded host calls differ';
  if (want.benchMarks) {
    const { starts, ends } = got.benchMarks ?? { starts: 0, ends: 0 };
    if (starts !== want.benchMarks.starts || ends !== want.benchMarks.ends) {
      const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
      return `bench.start was called ${times(starts)} and bench.end ${times(ends)}; a benchmark must call each exactly ${times(want.benchMarks.starts)}`;
    }
  }
  return undefined;
}

/** Why a trap may have come: the guest's write past the capture cap failed (Rust's println! panics on it). */
function afterCut(actual: Observed): string {
  const cut = [actual.stdoutTruncated ? 'stdout' : '', actual.stderrTruncated ? 'stderr' : ''].filter(Boolean);
  return cut.length ? `, after the guest's ${cut.join(' and ')} reached the capture cap (a write past it fails in the guest)` : '';
}

function againstExpectation(actual: Observed, want: Observed): Judgement {
  const base = { oracle: 'expectation' as const, expected: want, actual };
  const got = answerKind(actual);
  if (want.trap) {
    if (got === 'trap' && actual.trap === want.trap) return { ...base, status: 'trap', expectedTrap: true };
    return { ...base, status: 'mismatch', reason: `expected trap ${want.trap}` };
  }
  if (want.timeout) {
    if (got === 'timeout') return { ...base, status: 'timeout', expectedTrap: true };
    return { ...base, status: 'mismatch', reason: 'expected a timeout' };
  }
  if (want.guestError !== undefined) {
    if (got === 'guest-error' && actual.guestError!.startsWith(want.guestError)) return { ...base, status: 'guest-error' };
    return { ...base, status: 'mismatch', reason: `expected a guest error starting "${want.guestError}"` };
  }
  const during = actual.lifecycleExport ? ` in life-cycle export ${actual.lifecycleExport}` : '';
  if (got === 'trap') return { ...base, status: 'trap', expectedTrap: false, reason: `unexpected trap ${actual.trap}${during}${afterCut(actual)}` };
  if (got === 'timeout') return { ...base, status: 'timeout', expectedTrap: false, reason: `unexpected timeout${during}` };
  if (got !== 'ok') return { ...base, status: 'mismatch', reason: `expected a result, got ${got}` };
  const difference = differs(want, actual);
  return difference ? { ...base, status: 'mismatch', reason: difference } : { ...base, status: 'pass' };
}

/** The reference cell itself: nothing to compare with, so its own outcome speaks. */
function onItsOwn(actual: Observed): Judgement {
  const base = { oracle: 'none' as const, actual };
  switch (answerKind(actual)) {
    case 'ok':
      return { ...base, status: 'pass' };
    case 'error':
      return { ...base, status: 'guest-error', reason: actual.error! };
    case 'trap':
      return { ...base, status: 'trap' };
    case 'timeout':
      return { ...base, status: 'timeout' };
    case 'guest-error':
      return { ...base, status: 'guest-error' };
  }
}

function againstReference(actual: Observed, reference: Observed): Judgement {
  const base = { oracle: 'reference' as const, expected: reference, actual };
  const want = answerKind(reference);
  const got = answerKind(actual);
  const same =
    want === 'trap'
      ? actual.trap === reference.trap
      : want === 'timeout'
        ? got === 'timeout'
        : want === 'guest-error'
          ? actual.guestError === reference.guestError
          : want === 'error'
            ? actual.error !== undefined
            : got === 'ok' && differs(reference, actual) === undefined;
  if (!same) return { ...base, status: 'mismatch', reason: 'differs from the reference cell' };
  if (got === 'trap') return { ...base, status: 'trap', expectedTrap: true };
  if (got === 'timeout') return { ...base, status: 'timeout', expectedTrap: true };
  if (got === 'guest-error' || got === 'error') return { ...base, status: 'guest-error' };
  return { ...base, status: 'pass' };
}

/** Decides one cell's status from what its call gave and its oracle. */
export function judge(observation: Observation, oracle: Oracle): Judgement {
  const actual = observation.observed;
  // A crash, a hang, or a module this runtime cannot load ends the cell whatever the oracle says.
  if (observation.hostFailure) return { status: observation.hostFailure.status, reason: observation.hostFailure.message, oracle: 'none', actual };
  switch (oracle.kind) {
    case 'expectation':
      return againstExpectation(actual, oracle.expected);
    case 'reference':
      return againstReference(actual, oracle.reference);
    case 'none':
      return onItsOwn(actual);
    case 'result': {
      const { expected: _none, ...j } = againstExpectation(actual, {});
      return { ...j, oracle: 'none' };
    }
  }
}

/**
 * A cut-over's golden call on the new runtime: the suite's expectation when
 * there is one, and always strictly against the old runtime's answer
 * (`golden`). A module the new runtime cannot load is a mismatch here, not
 * `unsupported`: the old runtime ran it.
 */
export function judgeGolden(observation: Observation, expected: Observed | undefined, golden: Observed, goldenRuntime: string): Judgement {
  const cannotRun = (j: Judgement): Judgement => ({ ...j, status: 'mismatch', reason: `${goldenRuntime} ran it, this runtime cannot: ${j.reason ?? 'unsupported'}` });
  if (expected) {
    const j = judge(observation, { kind: 'expectation', expected });
    if (j.status === 'unsupported') return cannotRun(j);
    if (isFailure(j)) return j;
    const strict = judge(observation, { kind: 'reference', reference: golden });
    if (strict.status === 'mismatch') return { ...strict, reason: `meets the expectation but differs from ${goldenRuntime}` };
    return j;
  }
  const j = judge(observation, { kind: 'reference', reference: golden });
  if (j.status === 'unsupported') return cannotRun(j);
  if (j.status === 'mismatch') return { ...j, reason: `differs from ${goldenRuntime}` };
  return j;
}

/** A cell that does not run: skipped (a missing toolchain, a case the guest lacks) or unsupported. */
export const notRun = (status: 'skipped' | 'unsupported', reason: string): Judgement => ({ status, reason, oracle: 'none' });

/** A cell whose artifact failed to build with its toolchain present: skipped, and a failure of the run. */
export const buildFailed = (summary: string): Judgement => ({ status: 'skipped', reason: `build failed: ${summary}`, oracle: 'none', buildFailure: { summary } });

/**
 * A cell whose own input is unusable (an external program's bad spec, a file
 * that is not wasm): `mismatch`, the status that fails a run for the
 * program's own input, with the reason naming the file and the field.
 */
export const badInput = (reason: string): Judgement => ({ status: 'mismatch', reason, oracle: 'none', actual: { error: reason } });

/** A call that had to be answered and could not even be made (a cut-over's missing cache entry): `mismatch`. */
export const unanswered = (reason: string): Judgement => ({ status: 'mismatch', reason, oracle: 'none' });

/** A benchmark cell slower than its baseline beyond the threshold (bench/compare.ts decides that): `mismatch` against the baseline. */
export const regressed = (reason: string): Judgement => ({ status: 'mismatch', reason, oracle: 'reference' });

/**
 * A cell named in an expectation list (`--expect FILE`, wasi-testsuite's skip
 * lists): a failure becomes `known-failure` with the list's reason (what
 * actually happened stays in the reason and in expected/actual); a pass becomes
 * `fixed`, so the stale entry shows. Cells that did not run keep their status.
 */
export function withListed(j: Judgement, listed: { file: string; reason: string } | undefined): Judgement {
  if (!listed) return j;
  if (isFailure(j)) return { ...j, status: 'known-failure', reason: `known failure (${listed.file}): ${listed.reason}; this run: ${j.status}${j.reason ? `: ${j.reason}` : ''}` };
  if (j.status === 'pass' || j.status === 'guest-error' || j.status === 'trap' || j.status === 'timeout') {
    return { ...j, status: 'fixed', reason: `listed as a known failure in ${listed.file} (${listed.reason}), but it passes: remove the entry` };
  }
  return j;
}

/** A judged cell: its coordinates plus the judgement and any extra fields (timings, pid, artifact). */
export function cellOf(coordinates: Pick<Cell, 'suite' | 'case' | 'flavor' | 'runtime'>, j: Judgement, extra: Partial<Cell> = {}): Cell {
  const cell: Cell = { ...coordinates, status: j.status, oracle: j.oracle, ...extra };
  if (j.reason) cell.reason = j.reason;
  if (j.expectedTrap !== undefined) cell.expectedTrap = j.expectedTrap;
  if (j.expected) cell.expected = j.expected;
  if (j.actual) cell.actual = j.actual;
  if (j.buildFailure) cell.buildFailure = j.buildFailure;
  // Streams the judged answer already shows are not kept twice.
  if (cell.guestOutput) {
    const kept = { ...cell.guestOutput };
    for (const stream of ['stdout', 'stderr'] as const) {
      if (kept[stream] !== undefined && cell.actual?.[stream] === kept[stream]) {
        delete kept[stream];
        delete kept[`${stream}Bytes`];
        if (cell.actual[`${stream}Truncated`]) delete kept[`${stream}Truncated`];
      }
    }
    if (Object.keys(kept).length) cell.guestOutput = kept;
    else delete cell.guestOutput;
  }
  return cell;
}
