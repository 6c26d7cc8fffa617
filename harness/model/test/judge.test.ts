// The one judge on fixed observations: every rule that decides a status.
import { describe, expect, it } from 'vitest';
import { badInput, buildFailed, judge, judgeGolden, notRun, unanswered } from '../judge.js';
import type { Observed } from '../observation.js';
import { isFailure } from '../verdict.js';

const out = (utf8: string): Observed => ({ output: { utf8, hex: Buffer.from(utf8).toString('hex') } });
const answer = (observed: Observed) => ({ observed });

describe('judge against an expectation', () => {
  const expectation = (expected: Observed) => ({ kind: 'expectation' as const, expected });

  it('passes the expected answer and names the first field that differs', () => {
    expect(judge(answer(out('3')), expectation(out('3')))).toMatchObject({ status: 'pass', oracle: 'expectation' });
    expect(judge(answer(out('4')), expectation(out('3')))).toMatchObject({ status: 'mismatch', reason: 'output differs', expected: out('3'), actual: out('4') });
    expect(judge(answer({ exitCode: 0, stdout: 'a' }), expectation({ exitCode: 0, stdout: 'b' }))).toMatchObject({ status: 'mismatch', reason: 'stdout differs' });
  });

  it('compares values by bits with NaNs canonicalised, integers modulo their width', () => {
    expect(judge(answer({ values: ['f64:nan'] }), expectation({ values: ['f64:-nan'] })).status).toBe('pass');
    expect(judge(answer({ values: ['f64:-0'] }), expectation({ values: ['f64:0'] })).status).toBe('mismatch');
    expect(judge(answer({ values: ['i32:-1'] }), expectation({ values: ['i32:4294967295'] })).status).toBe('pass');
  });

  it('accepts exactly the expected trap, timeout or guest-error prefix', () => {
    expect(judge(answer({ trap: 'unreachable' }), expectation({ trap: 'unreachable' }))).toMatchObject({ status: 'trap', expectedTrap: true });
    expect(judge(answer({ trap: 'unreachable' }), expectation({ trap: 'integer-divide-by-zero' }))).toMatchObject({ status: 'mismatch', reason: 'expected trap integer-divide-by-zero' });
    expect(judge(answer({ timeout: true }), expectation({ timeout: true }))).toMatchObject({ status: 'timeout', expectedTrap: true });
    expect(judge(answer({ guestError: 'System.FormatException: bad' }), expectation({ guestError: 'System.FormatException' })).status).toBe('guest-error');
    expect(judge(answer({ guestError: 'System.Other' }), expectation({ guestError: 'System.FormatException' })).status).toBe('mismatch');
  });

  it('fails an unexpected trap, timeout, guest error or host error', () => {
    const trap = judge(answer({ trap: 'unreachable' }), expectation(out('3')));
    expect(trap).toMatchObject({ status: 'trap', expectedTrap: false, reason: 'unexpected trap unreachable' });
    expect(isFailure(trap)).toBe(true);
    expect(judge(answer({ guestError: 'x' }), expectation(out('3')))).toMatchObject({ status: 'mismatch', reason: 'expected a result, got guest-error' });
    expect(judge(answer({ error: 'no export' }), expectation(out('3')))).toMatchObject({ status: 'mismatch', reason: 'expected a result, got error' });
  });

  it('lets a host failure end the cell whatever the oracle says', () => {
    for (const status of ['crash', 'hang', 'unsupported'] as const) {
      const j = judge({ observed: { error: 'x' }, hostFailure: { status, message: 'worker died' } }, expectation(out('3')));
      expect(j).toMatchObject({ status, reason: 'worker died', oracle: 'none' });
    }
  });
});

describe('judge against the reference cell, and the reference itself', () => {
  const reference = (r: Observed) => ({ kind: 'reference' as const, reference: r });

  it('asks for the same answer, exactly', () => {
    expect(judge(answer(out('1')), reference(out('1')))).toMatchObject({ status: 'pass', oracle: 'reference' });
    expect(judge(answer(out('2')), reference(out('1')))).toMatchObject({ status: 'mismatch', reason: 'differs from the reference cell' });
    expect(judge(answer({ trap: 'unreachable' }), reference({ trap: 'unreachable' }))).toMatchObject({ status: 'trap', expectedTrap: true });
    expect(judge(answer({ trap: 'unreachable' }), reference(out('1'))).status).toBe('mismatch');
    expect(judge(answer({ guestError: 'a' }), reference({ guestError: 'b' })).status).toBe('mismatch');
  });

  it('lets the reference cell speak for itself: a host error is its guest error, a trap fails', () => {
    expect(judge(answer(out('1')), { kind: 'none' })).toMatchObject({ status: 'pass', oracle: 'none' });
    expect(judge(answer({ error: 'no such case' }), { kind: 'none' })).toMatchObject({ status: 'guest-error', reason: 'no such case' });
    expect(isFailure(judge(answer({ trap: 'unreachable' }), { kind: 'none' }))).toBe(true);
  });

  it('with the "result" oracle asks only for a result', () => {
    expect(judge(answer(out('anything')), { kind: 'result' })).toMatchObject({ status: 'pass', oracle: 'none' });
    expect(judge(answer({ guestError: 'boom' }), { kind: 'result' })).toMatchObject({ status: 'mismatch', reason: 'expected a result, got guest-error' });
    expect(isFailure(judge(answer({ trap: 'unreachable' }), { kind: 'result' }))).toBe(true);
  });
});

describe('judgeGolden (a cut-over golden call on the new runtime)', () => {
  it('fails an answer that meets the expectation but differs from the old runtime', () => {
    expect(judgeGolden(answer({ values: ['f64:nan'] }), { values: ['f64:nan'] }, { values: ['f64:-nan'] }, 'wasmtime-24').status).toBe('pass');
    expect(judgeGolden(answer(out('3 ')), undefined, out('3'), 'wasmtime-24')).toMatchObject({ status: 'mismatch', reason: 'differs from wasmtime-24' });
    const strict = judgeGolden(answer({ guestError: 'System.X: one' }), { guestError: 'System.X' }, { guestError: 'System.X: two' }, 'wasmtime-24');
    expect(strict).toMatchObject({ status: 'mismatch', reason: 'meets the expectation but differs from wasmtime-24' });
  });

  it('makes a module the new runtime cannot load a mismatch, not unsupported', () => {
    const j = judgeGolden({ observed: { error: 'x' }, hostFailure: { status: 'unsupported', message: 'load: bad' } }, undefined, out('1'), 'wasmtime-24');
    expect(j).toMatchObject({ status: 'mismatch', reason: 'wasmtime-24 ran it, this runtime cannot: load: bad' });
  });
});

describe('cells that do not run', () => {
  it('makes a failed build a structured field that fails the run; a skip does not', () => {
    const built = buildFailed('mini.c:2 error expected expression');
    expect(built).toMatchObject({ status: 'skipped', reason: 'build failed: mini.c:2 error expected expression', buildFailure: { summary: 'mini.c:2 error expected expression' } });
    expect(isFailure(built)).toBe(true);
    expect(isFailure(notRun('skipped', 'build failed: looks like a prefix, is not one'))).toBe(false);
    expect(isFailure(notRun('unsupported', 'a component'))).toBe(false);
  });

  it('makes bad input and an unanswered call mismatches', () => {
    expect(badInput('spec.json: args: expected array')).toMatchObject({ status: 'mismatch', oracle: 'none', actual: { error: 'spec.json: args: expected array' } });
    expect(isFailure(unanswered('no cache entry'))).toBe(true);
  });
});
