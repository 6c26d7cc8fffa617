// The one failure rule and the one exit code + headline of a report.
import { describe, expect, it } from 'vitest';
import type { Cell } from '../cell.js';
import { buildFailed, cellOf, notRun } from '../judge.js';
import { isFailure, outcome, verdictOf } from '../verdict.js';

const at = { suite: 's', case: 'c', flavor: 'wat', runtime: 'wasmtime-48' };
const pass: Cell = { ...at, status: 'pass', oracle: 'expectation' };
const complete = (cells: Cell[]) => ({ cells, complete: true });

describe('isFailure and outcome', () => {
  it('fails mismatches, host failures, unexpected traps and timeouts, and failed builds', () => {
    const cases: [Partial<Cell>, ReturnType<typeof outcome>][] = [
      [{ status: 'pass' }, 'pass'],
      [{ status: 'guest-error' }, 'pass'],
      [{ status: 'trap', expectedTrap: true }, 'pass'],
      [{ status: 'trap', expectedTrap: false }, 'failure'],
      [{ status: 'trap' }, 'failure'],
      [{ status: 'timeout', expected: { timeout: true } }, 'pass'],
      [{ status: 'timeout' }, 'failure'],
      [{ status: 'mismatch' }, 'failure'],
      [{ status: 'crash' }, 'error'],
      [{ status: 'hang' }, 'error'],
      [{ status: 'unsupported' }, 'skipped'],
      [{ status: 'skipped' }, 'skipped'],
      [{ status: 'skipped', buildFailure: { summary: 'x' } }, 'error'],
    ];
    for (const [fields, want] of cases) {
      const cell = { ...pass, ...fields } as Cell;
      expect(outcome(cell), JSON.stringify(fields)).toBe(want);
      expect(isFailure(cell), JSON.stringify(fields)).toBe(want === 'failure' || want === 'error');
    }
  });
});

describe('verdictOf: exit code and headline from the report alone', () => {
  it('says nothing wrong, exit 0, only when nothing is', () => {
    expect(verdictOf(complete([pass, cellOf(at, notRun('skipped', 'toolchain missing'))]))).toMatchObject({ exitCode: 0, summary: 'nothing wrong' });
  });

  it('counts a failed build as a failing cell, in the exit code and the headline alike', () => {
    const v = verdictOf(complete([pass, cellOf(at, buildFailed('mini.c:2 error'))]));
    expect(v).toMatchObject({ exitCode: 1, problems: 1, buildFailures: 1 });
    expect(v.summary).toBe('1 failing cell (1 failed build)');
  });

  it('makes an incomplete report (a merge with a missing shard) exit 1 and never say "nothing wrong"', () => {
    const v = verdictOf({ cells: [pass], complete: false, interrupted: 'missing shard 2/3' });
    expect(v.exitCode).toBe(1);
    expect(v.summary).toBe('no failing cell among those that finished; interrupted: missing shard 2/3');
    expect(v.summary).not.toContain('nothing wrong');
  });

  it('gives 130 for a run a signal stopped and 2 for an input left out, before any other code', () => {
    const stopped = verdictOf({ cells: [{ ...pass, status: 'mismatch' }], complete: false, interrupted: 'SIGINT after 1 of 9 cells', interruptedBy: 'SIGINT' });
    expect(stopped.exitCode).toBe(130);
    expect(stopped.summary).toBe('1 failing cell; interrupted: SIGINT after 1 of 9 cells');
    const leftOut = verdictOf({ ...complete([pass]), inputErrors: ['/x/suite.json: cases.0.name: bad'] });
    expect(leftOut).toMatchObject({ exitCode: 2, inputErrors: 1, summary: 'no failing cell; 1 unusable input (/x/suite.json: cases.0.name: bad)' });
  });

  it('fails a no-go cut-over and newly failing cells', () => {
    expect(verdictOf({ ...complete([pass]), cutover: { verdict: 'no-go' } })).toMatchObject({ exitCode: 1, summary: 'cut-over is no-go' });
    expect(verdictOf({ ...complete([pass]), cutover: { verdict: 'go' } })).toMatchObject({ exitCode: 0 });
    const base = verdictOf({ ...complete([{ ...pass, status: 'mismatch' }]), baseline: { newlyFailing: ['s/c/wat/wasmtime-48'] } });
    expect(base).toMatchObject({ exitCode: 1, summary: '1 failing cell; 1 newly failing against the baseline' });
  });
});
