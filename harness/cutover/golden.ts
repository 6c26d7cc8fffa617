// Golden calls: the dispatcher and raw-export cases of the chosen suites
// whose right answer is known on the old runtime, either by the suite's
// expectation (which the old runtime meets) or, without one, by the old
// runtime's own answer. The new runtime must give the same answer; the
// model's judge decides (model/judge.ts judgeGolden: expectation first, then
// strictly against the old answer).
import type { BuiltArtifact } from '../build/build.js';
import { type CaseSpec, caseForFlavor, type FlavorId, type Suite } from '../config/suite.js';
import { judgeAgainstExpectation, judgeReference } from '../compare/judge.js';
import { expected as expectedOf, observation, observe, type RawResult } from '../compare/observe.js';
import { type Cell, cellKey } from '../model/cell.js';
import { cellOf, judgeGolden, type Judgement } from '../model/judge.js';
import { failsCutover, isFailure } from '../model/verdict.js';
import { prepareCall } from '../workers/requests.js';
import type { EngineOptions, ExecRequest, ModuleSource } from '../workers/protocol.js';
import { engineOf } from './engines.js';

/** A case that may become a golden call. */
export interface Candidate {
  /** `suite/case/flavor` */
  key: string;
  suite: Suite;
  testCase: CaseSpec;
  flavor: FlavorId;
  /** What the old runtime runs. */
  artifact: BuiltArtifact;
  /** What the new runtime runs: the same artifact, unless a test swapped it. */
  newArtifact: BuiltArtifact;
  engine: EngineOptions;
}

/** `suite/case/flavor`: a candidate's key. */
export const candidateKey = (suite: string, testCase: string, flavor: string): string => `${suite}/${testCase}/${flavor}`;

/** Every dispatcher or export case of every built artifact that implements it. */
export function goldenCandidates(suites: Suite[], artifacts: BuiltArtifact[], newArtifactOf: (a: BuiltArtifact) => BuiltArtifact): Candidate[] {
  const out: Candidate[] = [];
  for (const suite of suites) {
    if (suite.kind !== 'dispatcher') continue;
    for (const artifact of artifacts.filter((a) => a.suite === suite.name)) {
      const newArtifact = newArtifactOf(artifact);
      for (const testCase of suite.cases) {
        if (testCase.call.style === 'command') continue;
        if (testCase.flavors && !testCase.flavors.includes(artifact.flavor)) continue;
        out.push({
          key: candidateKey(suite.name, testCase.name, artifact.flavor),
          suite,
          testCase: caseForFlavor(testCase, artifact.flavor),
          flavor: artifact.flavor,
          artifact,
          newArtifact,
          engine: engineOf(suite, testCase, artifact),
        });
      }
    }
  }
  return out;
}

/** The case's exec request, loading `module` (a cache entry, or the artifact itself). */
export function requestFor(c: Candidate, artifact: BuiltArtifact, module: ModuleSource): ExecRequest {
  const prepared = prepareCall(c.suite, c.testCase, artifact);
  prepared.cleanup(); // dispatcher and export calls have no preopens
  return { ...prepared.request, module };
}

/** The old runtime's cell: against the expectation, or on its own when there is none. */
export function judgeOld(c: Candidate, raw: RawResult): Judgement {
  return c.testCase.expect ? judgeAgainstExpectation(c.testCase, raw) : judgeReference(c.testCase, raw);
}

/** Whether the old runtime's answer makes the case golden, and why not. */
export function goldenOnOld(c: Candidate, j: Judgement): { golden: true } | { golden: false; reason: string } {
  if (c.testCase.expect) {
    if (j.status === 'unsupported' || j.status === 'skipped') return { golden: false, reason: `the old runtime cannot run it: ${j.reason ?? j.status}` };
    if (isFailure(j)) return { golden: false, reason: `fails its expectation on the old runtime already (${j.status}${j.reason ? `: ${j.reason}` : ''})` };
    return { golden: true };
  }
  if (j.status === 'pass') return { golden: true };
  return { golden: false, reason: `no expectation, and the old runtime does not pass it (${j.status}${j.reason ? `: ${j.reason}` : ''})` };
}

/**
 * Why a golden case stays out of the serving stream (it is still compared
 * once): a call that runs into a deadline or a memory cap measures the limit,
 * not the engine, and would make the latency tail its own.
 */
export function notStreamedBecause(c: Candidate): string | undefined {
  if (c.testCase.expect?.timeout) return 'expected to time out: it measures the deadline, not the engine';
  if (c.testCase.expect?.trap === 'memory-limit') return 'runs into its memory limit: it measures the cap, not the engine';
  return undefined;
}

/** Whether an answer is a problem for a cut-over (what counts as a mismatch or a failed call). */
export const isCutoverProblem = (j: Pick<Judgement, 'status' | 'expectedTrap'>): boolean => failsCutover(j);

/** Judges the new runtime's answer against the golden one (model/judge.ts judgeGolden). */
export function judgeAgainstGolden(c: Candidate, raw: RawResult, golden: RawResult, fromId: string): Judgement {
  const expected = c.testCase.expect ? expectedOf(c.testCase.expect) : undefined;
  return judgeGolden(observation(raw, c.testCase.call), expected, observe(golden, c.testCase.call), fromId);
}

/** A golden call's cell on `runtime`. */
export function toCell(c: Candidate, runtime: string, artifact: BuiltArtifact, j: Judgement, extra: Partial<Cell> = {}): Cell {
  return cellOf({ suite: c.suite.name, case: c.testCase.name, flavor: c.flavor, runtime }, j, { ...extra, artifactHash: artifact.hash });
}

/** The key of a candidate's cell on the old runtime. */
export const oldCellKey = (c: Candidate, fromId: string): string => cellKey({ suite: c.suite.name, case: c.testCase.name, flavor: c.flavor, runtime: fromId });
