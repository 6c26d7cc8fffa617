// The bisect search against a fake release list and scripted oracles: no
// builds, no workers, so every branch of the search is checked exactly.
import { describe, expect, it } from 'vitest';
import { bisect, majorCandidates, type Answer, type Value } from '../search.js';

/** 24.0.0-24.0.3, 25.0.0-25.0.2, ..., 31.0.0-31.0.1: patches per major vary. */
const RELEASES = [
  ...['0', '1', '2', '3'].map((p) => `24.0.${p}`),
  ...['0', '1', '2'].map((p) => `25.0.${p}`),
  '26.0.0',
  ...['0', '1'].map((p) => `27.0.${p}`),
  ...['0', '1', '2', '3', '4'].map((p) => `28.0.${p}`),
  ...['0', '1', '2'].map((p) => `29.0.${p}`),
  ...['0', '1'].map((p) => `30.0.${p}`),
  ...['0', '1'].map((p) => `31.0.${p}`),
];

const cmp = (a: string, b: string) => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
};

/** An oracle whose result is `before` below `first` and `after` from it on; it counts its calls. */
function stepOracle(first: string, before = 'pass', after = 'unsupported') {
  const calls: string[] = [];
  const oracle = async (v: string): Promise<Answer> => {
    calls.push(v);
    const key = cmp(v, first) >= 0 ? after : before;
    return { kind: 'value', key, display: key };
  };
  return { oracle, calls };
}

const byKey = (a: Value, b: Value) => a.key !== b.key;

describe('majorCandidates', () => {
  it('takes the newest patch of every major strictly between the endpoints, plus the endpoints', () => {
    expect(majorCandidates(RELEASES, '24.0.1', '31.0.0')).toEqual(['24.0.1', '24.0.3', '25.0.2', '26.0.0', '27.0.1', '28.0.4', '29.0.2', '30.0.1', '31.0.0']);
    expect(majorCandidates(RELEASES, '28.0.0', '28.0.4')).toEqual(['28.0.0', '28.0.3', '28.0.4']);
  });
});

describe('bisect', () => {
  it('finds the first changed release in the middle of a major (majors first, then its patches)', async () => {
    const { oracle, calls } = stepOracle('28.0.2');
    const result = await bisect({ releases: RELEASES, good: '24.0.0', bad: '31.0.1', oracle, changed: byKey });
    expect(result.outcome).toBe('found');
    if (result.outcome !== 'found') return;
    expect(result.firstChanged).toBe('28.0.2');
    expect(result.lastSame).toBe('28.0.1');
    // Majors first: every major-phase try is the newest patch of its major.
    const majors = result.tried.filter((t) => t.phase === 'major').map((t) => t.version);
    expect(majors.length).toBeGreaterThan(0);
    for (const v of majors) expect(RELEASES.filter((r) => r.split('.')[0] === v.split('.')[0]).at(-1)).toBe(v);
    // Then only releases between the two bracketing majors (27.0.1 same, 28.0.4 changed).
    const patches = result.tried.filter((t) => t.phase === 'patch').map((t) => t.version);
    for (const v of patches) expect(cmp(v, '27.0.1') > 0 && cmp(v, '28.0.4') < 0).toBe(true);
    // Far fewer than all 25 releases; each version asked exactly twice (the default repeats).
    expect(result.tried.length).toBeLessThanOrEqual(2 + 3 + 3);
    expect(calls.length).toBe(result.tried.length * 2);
    expect(new Set(result.tried.map((t) => t.version)).size).toBe(result.tried.length);
    // Verdicts agree with the step.
    for (const t of result.tried) expect(t.verdict).toBe(cmp(t.version, '28.0.2') >= 0 ? 'new' : 'old');
  });

  it('refines to the first patch of the guilty major when the change came with its .0.0', async () => {
    const { oracle } = stepOracle('29.0.0');
    const result = await bisect({ releases: RELEASES, good: '24.0.3', bad: '31.0.1', oracle, changed: byKey });
    expect(result).toMatchObject({ outcome: 'found', firstChanged: '29.0.0', lastSame: '28.0.4' });
  });

  it('says when the endpoints give the same result, after asking only the endpoints', async () => {
    const { oracle, calls } = stepOracle('99.0.0');
    const result = await bisect({ releases: RELEASES, good: '24.0.0', bad: '31.0.1', oracle, changed: byKey });
    expect(result.outcome).toBe('no-change');
    expect(new Set(calls)).toEqual(new Set(['24.0.0', '31.0.1']));
    if (result.outcome === 'no-change') expect(result.display).toMatch(/24\.0\.0 and 31\.0\.1 give the same result: pass/);
  });

  it('accepts the endpoints in either order (the newer one may be the good one)', async () => {
    const { oracle } = stepOracle('26.0.0');
    const result = await bisect({ releases: RELEASES, good: '31.0.1', bad: '24.0.0', oracle, changed: byKey });
    expect(result).toMatchObject({ outcome: 'found', firstChanged: '26.0.0', lastSame: '25.0.2' });
  });

  it('asks a flaky oracle twice, skips the version whose answers disagree, and still brackets the change', async () => {
    // 28.0.1 answers differently on its two attempts; the change is at 28.0.2.
    const asked: string[] = [];
    const oracle = async (v: string, attempt: number): Promise<Answer> => {
      asked.push(`${v}#${attempt}`);
      if (v === '28.0.1') return { kind: 'value', key: attempt === 1 ? 'pass' : 'unsupported', display: attempt === 1 ? 'pass' : 'unsupported' };
      const key = cmp(v, '28.0.2') >= 0 ? 'unsupported' : 'pass';
      return { kind: 'value', key, display: key };
    };
    const result = await bisect({ releases: RELEASES, good: '24.0.0', bad: '31.0.1', oracle, changed: byKey });
    const flaky = result.tried.find((t) => t.version === '28.0.1');
    expect(flaky?.verdict).toBe('skip');
    expect(flaky?.display).toMatch(/flaky: attempt 1 gave pass, attempt 2 gave unsupported/);
    expect(asked.filter((a) => a.startsWith('28.0.1#'))).toEqual(['28.0.1#1', '28.0.1#2']);
    // 28.0.1 could not be judged, so the answer is the range around it, not a guess.
    expect(result).toMatchObject({ outcome: 'range', lastSame: '28.0.0', firstChanged: '28.0.2', untested: ['28.0.1'] });
    // Every other version answered the same twice and was judged by the step.
    for (const t of result.tried.filter((x) => x.version !== '28.0.1')) expect(t.verdict).toBe(cmp(t.version, '28.0.2') >= 0 ? 'new' : 'old');
  });

  it('reports a range naming the releases it could not judge (a build that fails) instead of guessing', async () => {
    const oracle = async (v: string): Promise<Answer> => {
      if (v === '28.0.0' || v === '28.0.1') return { kind: 'skip', reason: `build of ${v} failed` };
      const key = cmp(v, '28.0.1') >= 0 ? 'new' : 'old';
      return { kind: 'value', key, display: key };
    };
    const result = await bisect({ releases: RELEASES, good: '24.0.0', bad: '31.0.1', oracle, changed: byKey, repeats: 1 });
    expect(result.outcome).toBe('range');
    if (result.outcome !== 'range') return;
    expect(result.lastSame).toBe('27.0.1');
    expect(result.firstChanged).toBe('28.0.2');
    expect(result.untested).toEqual(['28.0.0', '28.0.1']);
    expect(result.tried.filter((t) => t.verdict === 'skip').map((t) => t.display)).toEqual(expect.arrayContaining(['build of 28.0.0 failed']));
  });

  it('prefers an already built release near the middle', async () => {
    const { oracle } = stepOracle('28.0.2');
    const result = await bisect({ releases: RELEASES, good: '24.0.0', bad: '31.0.1', oracle, changed: byKey, isCheap: (v) => v === '26.0.0' });
    expect(result.tried[2]!.version).toBe('26.0.0');
    expect(result).toMatchObject({ outcome: 'found', firstChanged: '28.0.2' });
  });

  it('refuses an endpoint the oracle cannot judge or that is not a release', async () => {
    const skip = async (): Promise<Answer> => ({ kind: 'skip', reason: 'no toolchain' });
    await expect(bisect({ releases: RELEASES, good: '24.0.0', bad: '31.0.1', oracle: skip, changed: byKey })).rejects.toThrow(/24\.0\.0 \(an endpoint\) could not be judged: no toolchain/);
    const { oracle } = stepOracle('28.0.2');
    await expect(bisect({ releases: RELEASES, good: '24.0.9', bad: '31.0.1', oracle, changed: byKey })).rejects.toThrow(/24\.0\.9 is not a release/);
  });

  it('compares a measure against a threshold when told how (time: beyond 20% of the older endpoint)', async () => {
    const cost = (v: string) => (cmp(v, '30.0.0') >= 0 ? 150 : 100 + (v.endsWith('.1') ? 5 : 0));
    const oracle = async (v: string): Promise<Answer> => ({ kind: 'value', key: String(cost(v)), display: `${cost(v)} ns`, value: cost(v) });
    const beyond = (a: Value, ref: Value) => Math.abs(a.value! / ref.value! - 1) > 0.2;
    const result = await bisect({ releases: RELEASES, good: '24.0.0', bad: '31.0.1', oracle, changed: beyond });
    expect(result).toMatchObject({ outcome: 'found', firstChanged: '30.0.0', lastSame: '29.0.2' });
  });
});
