// What a bisect runs: one suite cell (SUITE/CASE/FLAVOR, its artifact built
// once) or one external program, as a fresh exec request per call, judged by
// the compare stage's judge exactly as `run` judges it.
import { resolve } from 'node:path';
import { applies, buildArtifact, failureSummary, type BuiltArtifact } from '../build/build.js';
import { ExternalSpec, externalCase, externalRequest, freshDirs, loadExternalPrograms, type ExternalProgram } from '../ci/external.js';
import { judgeAgainstExpectation, judgeReference } from '../compare/judge.js';
import type { Judgement } from '../model/judge.js';
import type { RawResult } from '../compare/observe.js';
import type { CaseSpec, Suite } from '../config/suite.js';
import { caseForFlavor, loadAllSuites } from '../config/suite.js';
import { UsageError } from '../errors.js';
import { prepareCall, type PreparedCall } from '../workers/requests.js';
import { defaultBuildOptions, type Flavor } from '../toolchains/flavor.js';
import { allFlavors, detectAll, flavorById } from '../toolchains/registry.js';

/** The one cell a bisect follows across Wasmtime versions: its case, its request, its judge. */
export interface BisectTarget {
  /** `SUITE/CASE/FLAVOR`, or `external/X/prebuilt`. */
  label: string;
  testCase: CaseSpec;
  /** A fresh request (and its clean-up) for each call. */
  prepare(): PreparedCall;
  /** The one judge: against the expectation when the case has one, else the call's own outcome. */
  judge(raw: RawResult): Judgement;
}

const list = (xs: string[]) => xs.join(', ');

/** Parses `SUITE/CASE/FLAVOR` against the suites; unknown names are usage errors listing the valid ones. */
export function resolveCell(spec: string, suites: Suite[] = loadAllSuites()): { suite: Suite; testCase: CaseSpec; flavor: Flavor } {
  const parts = spec.split('/');
  if (parts.length !== 3 || parts.some((p) => p === '')) {
    throw new UsageError(`--cell "${spec}" is not SUITE/CASE/FLAVOR; valid suites: ${list(suites.map((s) => s.name))}`);
  }
  const [suiteName, caseName, flavorId] = parts as [string, string, string];
  const suite = suites.find((s) => s.name === suiteName);
  if (!suite) throw new UsageError(`--cell: unknown suite "${suiteName}"; valid suites: ${list(suites.map((s) => s.name))}`);
  const testCase = suite.cases.find((c) => c.name === caseName);
  if (!testCase) throw new UsageError(`--cell: suite ${suite.name} has no case "${caseName}"; valid cases: ${list(suite.cases.map((c) => c.name))}`);
  const valid = allFlavors.filter((f) => f.target === 'wasm' && applies(suite, f)).map((f) => f.id);
  if (!valid.includes(flavorId as Flavor['id'])) {
    throw new UsageError(`--cell: flavor "${flavorId}" does not build suite ${suite.name} to wasm; valid flavors: ${list(valid)}`);
  }
  return { suite, testCase, flavor: flavorById(flavorId) };
}

function judgeFor(testCase: CaseSpec): (raw: RawResult) => Judgement {
  return (raw) => (testCase.expect ? judgeAgainstExpectation(testCase, raw) : judgeReference(testCase, raw));
}

/** Builds the cell's artifact (once: the build stage's cache) and returns the target. */
export async function suiteTarget(spec: string): Promise<BisectTarget> {
  const { suite, testCase: written, flavor } = resolveCell(spec);
  const testCase = caseForFlavor(written, flavor.id);
  const detection = (await detectAll([flavor])).get(flavor.id)!;
  const outcome = await buildArtifact(suite, flavor, defaultBuildOptions, detection);
  if (outcome.status === 'skipped') throw new UsageError(`--cell ${spec}: ${outcome.reason}`);
  if (outcome.status === 'failed') throw new Error(`--cell ${spec}: the build failed: ${failureSummary(outcome)}`);
  const artifact: BuiltArtifact = outcome.artifact;
  return { label: spec, testCase, prepare: () => prepareCall(suite, testCase, artifact), judge: judgeFor(testCase) };
}

/** One program of an external folder (`run --external`'s rules: X.wasm plus optional X.json). */
export function externalTarget(dir: string, name: string): BisectTarget {
  const programs = loadExternalPrograms(dir);
  const program = programs.find((p) => p.name === name);
  if (!program) throw new UsageError(`--program: ${dir} has no program "${name}"; valid programs: ${list(programs.map((p) => p.name))}`);
  if (program.problem) throw new UsageError(program.problem);
  const ready = { ...program, spec: program.spec ?? ExternalSpec.parse({}) } as ExternalProgram & { spec: ExternalSpec };
  const testCase = externalCase(ready);
  return {
    label: `external/${name}/prebuilt`,
    testCase,
    prepare: () => {
      const { preopens, cleanup } = freshDirs(resolve(dir), ready.spec.dirs);
      return { request: externalRequest(ready, preopens), cleanup };
    },
    judge: judgeFor(testCase),
  };
}
