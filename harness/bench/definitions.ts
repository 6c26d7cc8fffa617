// Benchmark definitions (benchmarks/*.json): which suite cases to time, with
// which inputs, plus modules outside any suite (the no-op call). Every entry
// is resolved against the suites at load time, so a definition that names an
// unknown suite or case fails before anything is built, naming it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { formatZodIssues } from '../config/load.js';
import { BytesSpec, CaseSpec, FlavorId, loadAllSuites, ScalarSpec, type Suite, suitesRoot } from '../config/suite.js';
import { UsageError } from '../errors.js';
import { projectRoot } from '../paths.js';
import type { Oracle } from '../model/judge.js';
import type { CallTarget, PreparedCall } from '../workers/requests.js';

/** The benchmarks folder. */
export const BENCHMARKS_DIR = join(projectRoot, 'benchmarks');
/** The default benchmark set. */
export const DEFAULT_DEFINITIONS = join(BENCHMARKS_DIR, 'default.json');
/** The suite name under which module benchmarks (outside any suite) are reported. */
export const MODULE_SUITE = 'benchmarks';

const Name = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -');

/** A case of a suite, optionally with another input (or arguments) than the suite gives it. */
export const CaseBenchmark = z
  .object({
    suite: z.string().min(1),
    case: z.string().min(1),
    /** Reported under this name; required when the input or arguments are overridden. */
    name: Name.optional(),
    /** Replaces the input of an `invoke` case (e.g. a generated 4 MiB input). */
    input: BytesSpec.optional(),
    /** Replaces the arguments of an `export` case. */
    args: z.array(ScalarSpec).optional(),
    /** Only these flavors (default: every selected flavor that builds the suite). */
    flavors: z.array(FlavorId).optional(),
    description: z.string().optional(),
  })
  .strict();
/** A `CaseBenchmark` value, as the schema above parses it. */
export type CaseBenchmark = z.infer<typeof CaseBenchmark>;

/** A module outside the suites, e.g. `noop.wat`; `.wat` runs as flavor `wat`, `.wasm` as `prebuilt`. */
export const ModuleBenchmark = z
  .object({
    /** Relative to the definition file. */
    module: z.string().min(1),
    name: Name,
    call: z.discriminatedUnion('style', [
      z.object({ style: z.literal('export'), export: z.string().min(1), args: z.array(ScalarSpec).default([]) }).strict(),
      z.object({ style: z.literal('invoke'), case: z.string().min(1), input: BytesSpec.default({ utf8: '' }) }).strict(),
    ]),
    description: z.string().optional(),
  })
  .strict();
/** A `ModuleBenchmark` value, as the schema above parses it. */
export type ModuleBenchmark = z.infer<typeof ModuleBenchmark>;

/** A benchmark definition file. */
export const BenchmarkSet = z
  .object({
    schemaVersion: z.literal(1),
    description: z.string(),
    /** Worker processes per cell (each a fresh process); intervals need at least 2. */
    processes: z.number().int().min(2).default(4),
    /** tinybench's steady-state time budget in each process, ms. */
    budgetMs: z.number().positive().default(300),
    /** Steady-state samples each process takes at least, however long they last. */
    minIterations: z.number().int().positive().default(3),
    benchmarks: z.array(z.unknown()).min(1),
  })
  .strict();

/** One benchmark, resolved: the suite (real, or made up for a module) and the case to call. */
export interface ResolvedBenchmark {
  /** The suite name in reports (`benchmarks` for modules). */
  suiteName: string;
  /** The case name in reports. */
  name: string;
  suite: Suite;
  /** The case as called: the suite's, with the overridden input or arguments. */
  testCase: CaseSpec;
  /** The suite case's own name (what the guest dispatches on). */
  calls: string;
  /** A short description of an overridden input, for reports. */
  inputNote?: string;
  /** Whether the suite's expectation applies (it does not to an overridden input). */
  expectationApplies: boolean;
  flavors?: FlavorId[];
  /** Module benchmarks build with exactly this flavor. */
  moduleFlavor?: FlavorId;
  /** Judge the first answer against this instead of the case's expectation (external programs: their expected-output files). */
  oracle?: Oracle;
  /** Set up the worker's request instead of `prepareCall` (external programs: their folder preopened as `.`). */
  prepare?: (artifact: CallTarget) => PreparedCall;
  /** The request times the `bench.start`/`bench.end` region of this many runs per process (sightglass), not a steady-state loop. */
  regionRuns?: number;
  /** Shown as the reason of a passing cell (e.g. nothing was compared). */
  note?: string;
}

/** A loaded benchmark set, every entry resolved. */
export interface Definitions {
  file: string;
  description: string;
  processes: number;
  budgetMs: number;
  minIterations: number;
  benchmarks: ResolvedBenchmark[];
}

function describeInput(spec: BytesSpec): string {
  if ('utf8' in spec) return spec.utf8.length > 40 ? `utf8 (${spec.utf8.length} chars)` : `utf8 ${JSON.stringify(spec.utf8)}`;
  if ('hex' in spec) return `hex (${spec.hex.length / 2} bytes)`;
  if ('json' in spec) return 'json';
  const g = spec.generate;
  return `generated ${g.kind}, ${g.size} bytes, seed ${g.seed}`;
}

function moduleSuite(file: string, entry: ModuleBenchmark, at: string): { suite: Suite; flavor: FlavorId } {
  const path = resolve(dirname(file), entry.module);
  if (!existsSync(path)) throw new UsageError(`${file}: ${at}.module: ${entry.module} does not exist (${path})`);
  const ext = extname(path);
  if (ext !== '.wat' && ext !== '.wasm') throw new UsageError(`${file}: ${at}.module: ${entry.module} is neither .wat nor .wasm`);
  const abi = entry.call.style === 'export' ? 'raw' : 'dispatcher';
  const caseSpec = CaseSpec.parse(
    entry.call.style === 'export'
      ? { name: entry.name, call: { style: 'export', export: entry.call.export, args: entry.call.args } }
      : { name: entry.call.case, call: { style: 'invoke', input: entry.call.input } },
  );
  const suite: Suite = {
    schemaVersion: 1,
    name: MODULE_SUITE,
    description: `module ${entry.module} from ${file}`,
    kind: 'dispatcher',
    sources: ext === '.wat' ? { wat: path } : { prebuilt: { path, abi } },
    cases: [caseSpec],
    defaultTimeoutMs: 10_000,
    dir: dirname(path),
    file,
  };
  return { suite, flavor: ext === '.wat' ? 'wat' : 'prebuilt' };
}

function resolveCase(file: string, entry: CaseBenchmark, at: string, suites: Suite[]): ResolvedBenchmark {
  const suite = suites.find((s) => s.name === entry.suite);
  if (!suite) throw new UsageError(`${file}: ${at}.suite: unknown suite "${entry.suite}"; valid suites: ${suites.map((s) => s.name).join(', ')}`);
  const found = suite.cases.find((c) => c.name === entry.case);
  if (!found) {
    throw new UsageError(`${file}: ${at}.case: unknown case "${entry.case}" in suite ${suite.name}; its cases: ${suite.cases.map((c) => c.name).join(', ')}`);
  }
  let testCase: CaseSpec = found;
  let inputNote: string | undefined;
  if (entry.input !== undefined) {
    if (found.call.style !== 'invoke') throw new UsageError(`${file}: ${at}.input: case ${suite.name}/${found.name} is a ${found.call.style} call; only invoke cases take an input`);
    testCase = { ...found, call: { ...found.call, input: entry.input } };
    inputNote = describeInput(entry.input);
  }
  if (entry.args !== undefined) {
    if (found.call.style !== 'export') throw new UsageError(`${file}: ${at}.args: case ${suite.name}/${found.name} is a ${found.call.style} call; only export cases take arguments`);
    testCase = { ...found, call: { ...found.call, args: entry.args } };
    inputNote = `args ${entry.args.join(' ')}`;
  }
  if (inputNote !== undefined && entry.name === undefined) {
    throw new UsageError(`${file}: ${at}.name: a benchmark that overrides the input of ${suite.name}/${found.name} needs its own name`);
  }
  return {
    suiteName: suite.name,
    name: entry.name ?? found.name,
    suite,
    testCase,
    calls: found.name,
    ...(inputNote !== undefined ? { inputNote } : {}),
    expectationApplies: inputNote === undefined,
    ...(entry.flavors ? { flavors: entry.flavors } : {}),
  };
}

/** Reads and resolves a definition file; every error names the file and the field. */
export function loadDefinitions(file: string, suites: Suite[] = loadAllSuites(suitesRoot())): Definitions {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const set = BenchmarkSet.safeParse(raw);
  if (!set.success) throw new UsageError(`${file}: ${formatZodIssues(set.error)}`);
  const benchmarks: ResolvedBenchmark[] = [];
  const seen = new Set<string>();
  set.data.benchmarks.forEach((item, i) => {
    const at = `benchmarks.${i}`;
    const isModule = typeof item === 'object' && item !== null && 'module' in item;
    const parsed = (isModule ? ModuleBenchmark : CaseBenchmark).safeParse(item);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${[at, ...issue.path].join('.')}: ${issue.message}`).join('; ');
      throw new UsageError(`${file}: ${issues}`);
    }
    let resolved: ResolvedBenchmark;
    if (isModule) {
      const entry = parsed.data as ModuleBenchmark;
      const { suite, flavor } = moduleSuite(file, entry, at);
      resolved = {
        suiteName: MODULE_SUITE,
        name: entry.name,
        suite,
        testCase: suite.cases[0]!,
        calls: suite.cases[0]!.name,
        expectationApplies: false,
        moduleFlavor: flavor,
      };
    } else {
      resolved = resolveCase(file, parsed.data as CaseBenchmark, at, suites);
    }
    const id = `${resolved.suiteName}/${resolved.name}`;
    if (seen.has(id)) throw new UsageError(`${file}: ${at}: benchmark ${id} is defined twice; give one a different name`);
    seen.add(id);
    benchmarks.push(resolved);
  });
  return {
    file,
    description: set.data.description,
    processes: set.data.processes,
    budgetMs: set.data.budgetMs,
    minIterations: set.data.minIterations,
    benchmarks,
  };
}
