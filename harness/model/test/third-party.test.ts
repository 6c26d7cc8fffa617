// The model's rules for issue 14 on fixed values: the bench.start/bench.end
// count, an expectation list's known failures and fixed entries, and the guest
// output every cell keeps (its cap and markers).
import { describe, expect, it } from 'vitest';
import { cellOf, judge, withListed } from '../judge.js';
import { GUEST_OUTPUT_KEEP_BYTES, GuestOutput, guestOutputOf, lastLines } from '../observation.js';
import { isFailure, outcome } from '../verdict.js';

const expectation = { kind: 'expectation' as const, expected: { exitCode: 0, benchMarks: { starts: 1, ends: 1 } } };
const listed = { file: '/x/skip.json', reason: 'upstream bug 12' };

describe('a benchmark calls bench.start and bench.end exactly once', () => {
  it('passes one of each and names the counts otherwise', () => {
    expect(judge({ observed: { exitCode: 0, benchMarks: { starts: 1, ends: 1 } } }, expectation).status).toBe('pass');
    expect(judge({ observed: { exitCode: 0, benchMarks: { starts: 2, ends: 1 } } }, expectation)).toMatchObject({
      status: 'mismatch',
      reason: 'bench.start was called 2 times and bench.end once; a benchmark must call each exactly once',
    });
    // Never called (or not imported at all): zero of each.
    expect(judge({ observed: { exitCode: 0 } }, expectation).reason).toContain('bench.start was called 0 times and bench.end 0 times');
    // A wrong exit code is named first.
    expect(judge({ observed: { exitCode: 3, benchMarks: { starts: 1, ends: 1 } } }, expectation).reason).toBe('exit code differs');
  });
});

describe('an expectation list (withListed)', () => {
  it('turns a listed failure into a known failure that does not fail the run, keeping what happened', () => {
    const failed = judge({ observed: { exitCode: 4 } }, { kind: 'expectation', expected: { exitCode: 0 } });
    const j = withListed(failed, listed);
    expect(j).toMatchObject({ status: 'known-failure', actual: { exitCode: 4 } });
    expect(j.reason).toBe('known failure (/x/skip.json): upstream bug 12; this run: mismatch: exit code differs');
    expect(isFailure(j)).toBe(false);
    expect(outcome(j)).toBe('skipped');
  });

  it('reports a listed pass as fixed, leaves unlisted and not-run cells alone', () => {
    const passed = judge({ observed: { exitCode: 0 } }, { kind: 'expectation', expected: { exitCode: 0 } });
    expect(withListed(passed, listed)).toMatchObject({ status: 'fixed' });
    expect(withListed(passed, listed).reason).toContain('remove the entry');
    expect(outcome(withListed(passed, listed))).toBe('pass');
    expect(withListed(passed, undefined)).toBe(passed);
    expect(withListed({ status: 'skipped', reason: 'runtime missing', oracle: 'none' }, listed).status).toBe('skipped');
  });
});

describe('guest output kept on a cell', () => {
  it('keeps the end of a long stream on a character boundary, with the bytes written', () => {
    const long = Buffer.from(`${'é'.repeat(GUEST_OUTPUT_KEEP_BYTES)}\npanicked: the end\n`);
    const kept = GuestOutput.parse(guestOutputOf({ stderr: long, stderrTruncated: true }));
    expect(kept.stderrBytes).toBe(long.length);
    expect(Buffer.byteLength(kept.stderr!)).toBeLessThanOrEqual(GUEST_OUTPUT_KEEP_BYTES);
    expect(kept.stderr!.endsWith('panicked: the end\n')).toBe(true);
    expect(kept.stderr).not.toContain('\ufffd');
    expect(kept.stderrTruncated).toBe(true);
    expect(lastLines(kept.stderr!, 1)).toEqual(['panicked: the end']);
    expect(guestOutputOf({ stdout: new Uint8Array(), stderr: undefined })).toBeUndefined();
  });

  it('does not keep a stream twice when the judged answer already shows it', () => {
    const j = judge({ observed: { exitCode: 0, stdout: 'out\n', stderr: 'err\n' } }, { kind: 'expectation', expected: { exitCode: 1 } });
    const cell = cellOf({ suite: 's', case: 'c', flavor: 'prebuilt', runtime: 'r' }, j, { guestOutput: { stdout: 'out\n', stderr: 'err\n' } });
    expect(cell.guestOutput).toBeUndefined();
    const trap = judge({ observed: { trap: 'unreachable' } }, { kind: 'expectation', expected: { exitCode: 0 } });
    const trapCell = cellOf({ suite: 's', case: 'c', flavor: 'prebuilt', runtime: 'r' }, trap, { guestOutput: { stderr: 'assertion failed\n' } });
    expect(trapCell).toMatchObject({ status: 'trap', guestOutput: { stderr: 'assertion failed\n' } });
  });
});
