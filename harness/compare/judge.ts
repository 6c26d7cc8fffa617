// Suite cases and raw call results into the model's judge (harness/model):
// these helpers only build the observation and the oracle; the status is
// decided by model/judge.ts alone.
import type { CaseSpec } from '../config/suite.js';
import { judge, type Judgement } from '../model/judge.js';
import type { Observed } from '../model/observation.js';
import { expected as expectedOf, observation, type RawResult } from './observe.js';

/** The case's expectation as an oracle (`{}`, "any result", for a case without one). */
export const expectationOracle = (testCase: CaseSpec) => ({ kind: 'expectation' as const, expected: testCase.expect ? expectedOf(testCase.expect) : {} });

/** A case with an expectation: judged against it. */
export function judgeAgainstExpectation(testCase: CaseSpec, raw: RawResult): Judgement {
  return judge(observation(raw, testCase.call), expectationOracle(testCase));
}

/** The reference cell itself: nothing to compare with, so its own outcome speaks. */
export function judgeReference(testCase: CaseSpec, raw: RawResult): Judgement {
  return judge(observation(raw, testCase.call), { kind: 'none' });
}

/** A compare-only case: judged against the reference cell's answer. */
export function judgeAgainstReference(testCase: CaseSpec, raw: RawResult, reference: Observed): Judgement {
  return judge(observation(raw, testCase.call), { kind: 'reference', reference });
}
