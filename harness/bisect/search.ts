// The bisect search, pure: a sorted release list, two endpoints and an oracle
// (a function from a version to an answer) in; the versions tried and the
// first changed release out. Majors first (the newest patch of each major
// between the endpoints), then every release between the two majors that
// bracket the change. Nothing here builds or runs anything, so the search is
// tested against a fake version list with a scripted oracle.
import { compareVersions } from '../runtimes/api-ranges.js';

/** What the oracle says about one version; `skip` when it could not be judged (build failed, flaky). */
export type Answer = { kind: 'value'; key: string; display: string; value?: number } | { kind: 'skip'; reason: string };

export type Value = Extract<Answer, { kind: 'value' }>;

/** Same as the older endpoint (`old`), changed (`new`), or untested (`skip`). */
export type Verdict = 'old' | 'new' | 'skip';

export interface Tried {
  version: string;
  phase: 'endpoint' | 'major' | 'patch';
  verdict: Verdict;
  /** What the oracle said (the value or the reason it could not judge). */
  display: string;
}

export type BisectResult =
  | {
      outcome: 'found';
      /** The first release whose result differs from the older endpoint's. */
      firstChanged: string;
      /** The release just before it that still gives the older endpoint's result. */
      lastSame: string;
      tried: Tried[];
    }
  | {
      outcome: 'range';
      /** The change is after `lastSame` and at or before `firstChanged`, but these releases between could not be judged. */
      lastSame: string;
      firstChanged: string;
      untested: string[];
      tried: Tried[];
    }
  | { outcome: 'no-change'; tried: Tried[]; display: string };

export interface SearchInput {
  /** Every release, in any order (duplicates and pre-releases are not expected). */
  releases: string[];
  /** The two endpoints, in either order; both must be in `releases`. */
  good: string;
  bad: string;
  /** Asked `repeats` times per version (`attempt` counts from 1). */
  oracle: (version: string, attempt: number) => Promise<Answer>;
  /** Whether an answer differs from the reference answer (the older endpoint's). */
  changed: (answer: Value, reference: Value) => boolean;
  /**
   * How often each version is asked (default 2). Answers that disagree make the
   * version `skip` (flaky), so one unlucky run cannot steer the search.
   */
  repeats?: number;
  /** Versions that cost nothing to try (already built): preferred near the middle. */
  isCheap?: (version: string) => boolean;
  onTried?: (tried: Tried, remaining: number) => void;
}

const major = (v: string) => Number(v.split('.')[0]);

/** The newest release of each major strictly between the endpoints' own releases, plus the endpoints. */
export function majorCandidates(sorted: string[], older: string, newer: string): string[] {
  const inside = sorted.filter((v) => compareVersions(v, older) > 0 && compareVersions(v, newer) < 0);
  const newestOfMajor = new Map<number, string>();
  for (const v of inside) newestOfMajor.set(major(v), v); // sorted: the last one wins
  return [older, ...[...newestOfMajor.values()], newer];
}

/** Picks the index to try between lo and hi (exclusive): the middle, or a cheap one near it. */
function pickMiddle(list: string[], lo: number, hi: number, skipped: Set<string>, isCheap?: (v: string) => boolean): number | undefined {
  const open: number[] = [];
  for (let i = lo + 1; i < hi; i++) if (!skipped.has(list[i]!)) open.push(i);
  if (open.length === 0) return undefined;
  const mid = (lo + hi) / 2;
  const byDistance = [...open].sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid) || a - b);
  if (isCheap) {
    // A built release within a quarter of the range from the middle costs one step more at worst.
    const cheap = byDistance.find((i) => isCheap(list[i]!) && Math.abs(i - mid) <= (hi - lo) / 4);
    if (cheap !== undefined) return cheap;
  }
  return byDistance[0];
}

/** The bisect. Rejects when an endpoint is not a release or cannot be judged. */
export async function bisect(input: SearchInput): Promise<BisectResult> {
  const sorted = [...new Set(input.releases)].sort(compareVersions);
  for (const end of [input.good, input.bad]) {
    if (!sorted.includes(end)) throw new Error(`${end} is not a release in the list`);
  }
  if (input.good === input.bad) throw new Error(`good and bad are both ${input.good}`);
  const [older, newer] = compareVersions(input.good, input.bad) < 0 ? [input.good, input.bad] : [input.bad, input.good];
  const tried: Tried[] = [];
  const verdicts = new Map<string, Verdict>();
  const skipped = new Set<string>();

  const repeats = Math.max(1, input.repeats ?? 2);
  /** The version's answer; `skip` when one attempt could not judge it or two disagree. */
  const ask = async (v: string): Promise<Answer> => {
    const answers: Value[] = [];
    for (let attempt = 1; attempt <= repeats; attempt++) {
      const a = await input.oracle(v, attempt);
      if (a.kind === 'skip') return a;
      const first = answers[0];
      if (first && input.changed(a, first)) {
        return { kind: 'skip', reason: `flaky: attempt 1 gave ${first.display}, attempt ${attempt} gave ${a.display}` };
      }
      answers.push(a);
    }
    return answers[0]!;
  };
  const endpoint = async (v: string): Promise<Value> => {
    const a = await ask(v);
    if (a.kind === 'skip') throw new Error(`${v} (an endpoint) could not be judged: ${a.reason}`);
    return a;
  };
  const olderAnswer = await endpoint(older);
  const newerAnswer = await endpoint(newer);
  const record = (t: Tried, remaining: number) => {
    tried.push(t);
    verdicts.set(t.version, t.verdict);
    if (t.verdict === 'skip') skipped.add(t.version);
    input.onTried?.(t, remaining);
  };
  record({ version: older, phase: 'endpoint', verdict: 'old', display: olderAnswer.display }, -1);
  const newerVerdict: Verdict = input.changed(newerAnswer, olderAnswer) ? 'new' : 'old';
  record({ version: newer, phase: 'endpoint', verdict: newerVerdict, display: newerAnswer.display }, -1);
  if (newerVerdict === 'old') {
    return { outcome: 'no-change', tried, display: `${older} and ${newer} give the same result: ${olderAnswer.display}` };
  }

  // One binary search over a candidate list whose first entry is old and last is new.
  const search = async (list: string[], phase: 'major' | 'patch'): Promise<{ lo: number; hi: number }> => {
    let lo = 0;
    let hi = list.length - 1;
    for (;;) {
      const i = pickMiddle(list, lo, hi, skipped, input.isCheap);
      if (i === undefined) return { lo, hi };
      const v = list[i]!;
      const a = await ask(v);
      const verdict: Verdict = a.kind === 'skip' ? 'skip' : input.changed(a, olderAnswer) ? 'new' : 'old';
      if (verdict === 'old') lo = i;
      else if (verdict === 'new') hi = i;
      const remaining = list.slice(lo + 1, hi).filter((x) => !skipped.has(x) && x !== v).length;
      record({ version: v, phase, verdict, display: a.kind === 'skip' ? a.reason : a.display }, Math.ceil(Math.log2(remaining + 1)));
    }
  };

  const majors = majorCandidates(sorted, older, newer);
  const m = await search(majors, 'major');
  const patches = [majors[m.lo]!, ...sorted.filter((v) => compareVersions(v, majors[m.lo]!) > 0 && compareVersions(v, majors[m.hi]!) < 0), majors[m.hi]!];
  const p = await search(patches, 'patch');
  const lastSame = patches[p.lo]!;
  const firstChanged = patches[p.hi]!;
  const untested = sorted.filter((v) => compareVersions(v, lastSame) > 0 && compareVersions(v, firstChanged) < 0);
  if (untested.length === 0) return { outcome: 'found', firstChanged, lastSame, tried };
  return { outcome: 'range', lastSame, firstChanged, untested, tried };
}
