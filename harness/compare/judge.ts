// One status per cell. The oracle is the case's expectation when given,
// otherwise the reference cell; a difference always carries both sides.
import type { CaseSpec } from '../config/suite.js';
import type { Cell, CellStatus, Observed } from '../report/schema.js';
import { expected as expectedOf, observe, type RawResult, valueKey } from './observe.js';

export interface Judgement {
  status: CellStatus;
  reason?: string;
  oracle: NonNullable<Cell['oracle']>;
  expectedTrap?: boolean;
  expected?: Observed;
  actual?: Observed;
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
  return undefined;
}

/** Statuses that end a cell whatever the oracle says. */
function hostFailure(raw: RawResult, actual: Observed): Judgement | undefined {
  if (raw.status === 'crash' || raw.status === 'hang') return { status: raw.status, reason: raw.message, oracle: 'none', actual };
  if (raw.status === 'error') {
    // Loading or instantiating failed: this runtime cannot run this module.
    if (raw.phase === 'load' || raw.phase === 'instantiate') return { status: 'unsupported', reason: raw.message, oracle: 'none', actual };
    // The case's own declarations disagree with the module (host-import signatures): bad input.
    if (raw.phase === 'setup') return { status: 'mismatch', reason: raw.message, oracle: 'none', actual };
  }
  return undefined;
}

export function judgeAgainstExpectation(testCase: CaseSpec, raw: RawResult): Judgement {
  const actual = observe(raw, testCase.call);
  const failure = hostFailure(raw, actual);
  if (failure) return failure;
  const want = expectedOf(testCase.expect!);
  const base = { oracle: 'expectation' as const, expected: want, actual };
  if (want.trap) {
    if (raw.status === 'trap' && raw.trap === want.trap) return { ...base, status: 'trap', expectedTrap: true };
    return { ...base, status: 'mismatch', reason: `expected trap ${want.trap}` };
  }
  if (want.timeout) {
    if (raw.status === 'timeout') return { ...base, status: 'timeout', expectedTrap: true };
    return { ...base, status: 'mismatch', reason: 'expected a timeout' };
  }
  if (want.guestError !== undefined) {
    if (raw.status === 'guest-error' && raw.message.startsWith(want.guestError)) return { ...base, status: 'guest-error' };
    return { ...base, status: 'mismatch', reason: `expected a guest error starting "${want.guestError}"` };
  }
  const during = raw.lifecycleExport ? ` in life-cycle export ${raw.lifecycleExport}` : '';
  if (raw.status === 'trap') return { ...base, status: 'trap', expectedTrap: false, reason: `unexpected trap ${raw.trap}${during}` };
  if (raw.status === 'timeout') return { ...base, status: 'timeout', expectedTrap: false, reason: `unexpected timeout${during}` };
  if (raw.status !== 'ok') return { ...base, status: 'mismatch', reason: `expected a result, got ${raw.status}` };
  const difference = differs(want, actual);
  return difference ? { ...base, status: 'mismatch', reason: difference } : { ...base, status: 'pass' };
}

/** The reference cell itself: nothing to compare with, so its own outcome speaks. */
export function judgeReference(testCase: CaseSpec, raw: RawResult): Judgement {
  const actual = observe(raw, testCase.call);
  const failure = hostFailure(raw, actual);
  if (failure) return failure;
  const status: CellStatus = raw.status === 'ok' ? 'pass' : raw.status === 'error' ? 'guest-error' : raw.status;
  return { status, oracle: 'none', actual, ...(raw.status === 'error' ? { reason: raw.message } : {}) };
}

export function judgeAgainstReference(testCase: CaseSpec, raw: RawResult, reference: Observed): Judgement {
  const actual = observe(raw, testCase.call);
  const failure = hostFailure(raw, actual);
  if (failure) return failure;
  const base = { oracle: 'reference' as const, expected: reference, actual };
  const same =
    reference.trap !== undefined
      ? actual.trap === reference.trap
      : reference.timeout
        ? !!actual.timeout
        : reference.guestError !== undefined
          ? actual.guestError === reference.guestError
          : reference.error !== undefined
            ? actual.error !== undefined
            : differs(reference, actual) === undefined && actual.trap === undefined && actual.timeout === undefined && actual.guestError === undefined && actual.error === undefined;
  if (!same) return { ...base, status: 'mismatch', reason: 'differs from the reference cell' };
  if (actual.trap) return { ...base, status: 'trap', expectedTrap: true };
  if (actual.timeout) return { ...base, status: 'timeout', expectedTrap: true };
  if (actual.guestError !== undefined || actual.error !== undefined) return { ...base, status: 'guest-error' };
  return { ...base, status: 'pass' };
}

/** Whether a cell makes the run fail (exit 1). */
export function isFailure(cell: Pick<Cell, 'status' | 'expectedTrap'>): boolean {
  switch (cell.status) {
    case 'mismatch':
    case 'crash':
    case 'hang':
      return true;
    case 'trap':
    case 'timeout':
      return !cell.expectedTrap;
    default:
      return false;
  }
}
