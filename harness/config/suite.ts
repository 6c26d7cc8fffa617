// The suite format (suites/<name>/suite.json): one guest program in one or
// more source languages, and its cases. Documented in suites/README.md.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { TrapKind } from '../model/status.js';
import { UsageError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { HostImportList, LifecycleSpec } from './host-imports.js';
import { parseJsonFile } from './load.js';
import { RelativePath } from '../util/inside.js';
import { TimeoutMs } from './limits.js';

/** Bytes written in a suite file: UTF-8 text, hex, or a JSON value (serialised compactly). */
export const BytesSpec = z.union([
  z.object({ utf8: z.string() }).strict(),
  z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})*$/, 'an even number of hex digits') }).strict(),
  z.object({ json: z.unknown() }).strict(),
  /** Generated input, for benchmark-sized data: `size` bytes from a seeded generator. */
  z.object({ generate: z.object({ kind: z.enum(['bytes', 'ascii', 'ints-le32']), size: z.number().int().nonnegative(), seed: z.number().int().default(1) }).strict() }).strict(),
]);
/** A `BytesSpec` value, as the schema above parses it. */
export type BytesSpec = z.infer<typeof BytesSpec>;

/** A scalar written `TYPE:VALUE`, e.g. `i32:-1`, `i64:9007199254740993`, `f64:nan`, `f32:-inf`. */
export const ScalarSpec = z.string().regex(/^(i32|i64|f32|f64):\S+$/, 'TYPE:VALUE with TYPE one of i32, i64, f32, f64');

/** A preopened folder of a command case: guest path and the files in it. */
export const DirSpec = z.object({
  /** Guest path of the preopen (relative, no `..`); the host side is a fresh temporary folder per run. */
  guest: RelativePath,
  /** Files to create inside it before the run (relative path without `..` -> UTF-8 content). */
  files: z.record(RelativePath, z.string()).default({}),
});

/** How a case calls its guest: a dispatcher call, a raw export or a command run. */
export const CallSpec = z.discriminatedUnion('style', [
  z.object({ style: z.literal('invoke'), input: BytesSpec.default({ utf8: '' }) }).strict(),
  z.object({ style: z.literal('export'), export: z.string().min(1), args: z.array(ScalarSpec).default([]) }).strict(),
  z
    .object({
      style: z.literal('command'),
      args: z.array(z.string()).default([]),
      env: z.record(z.string(), z.string()).default({}),
      stdin: BytesSpec.optional(),
      dirs: z.array(DirSpec).default([]),
    })
    .strict(),
]);
/** A `CallSpec` value, as the schema above parses it. */
export type CallSpec = z.infer<typeof CallSpec>;


/** What a case must give (any field given is compared; none means compare with the reference cell). */
export const Expectation = z
  .object({
    output: BytesSpec.optional(),
    values: z.array(ScalarSpec).optional(),
    stdout: BytesSpec.optional(),
    stderr: BytesSpec.optional(),
    exitCode: z.number().int().optional(),
    trap: TrapKind.optional(),
    timeout: z.literal(true).optional(),
    /** A guest error whose message starts with this (`ExceptionType: message`). */
    guestError: z.string().optional(),
    /** The calls of `record` host imports, each `module.name(TYPE:VALUE, ...)`, in order. */
    hostCalls: z.array(z.string()).optional(),
  })
  .strict();
/** A `Expectation` value, as the schema above parses it. */
export type Expectation = z.infer<typeof Expectation>;

/** Every build path (DESIGN.md vocabulary). */
export const FlavorId = z.enum(['mono-interp', 'nativeaot-llvm', 'nativeaot-llvm-p2', 'csharp-native', 'clang-wasi-O0', 'clang-wasi-O2', 'clang-wasi-p2', 'wat', 'prebuilt']);
/** A `FlavorId` value, as the schema above parses it. */
export type FlavorId = z.infer<typeof FlavorId>;

/** One case of a suite: its call, its expectation and its limits. */
export const CaseSpec = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -'),
    description: z.string().optional(),
    call: CallSpec,
    /** Omitted: compare with the reference cell only. */
    expect: Expectation.optional(),
    /** Only these flavors implement the case (others: skipped with the reason). */
    flavors: z.array(FlavorId).optional(),
    /**
     * A documented, known difference of one build path: these fields replace
     * those of `expect` for that flavor's cells (e.g. clang-wasi-p2, whose
     * WASI 0.2 exit status carries only ok/err, exits 1 where a core module exits 3).
     */
    expectByFlavor: z.partialRecord(FlavorId, Expectation).optional(),
    timeoutMs: TimeoutMs.optional(),
    fuel: z.number().int().positive().optional(),
    memoryLimitBytes: z.number().int().positive().optional(),
  })
  .strict();
/** A `CaseSpec` value, as the schema above parses it. */
export type CaseSpec = z.infer<typeof CaseSpec>;

/** The case as one flavor's cells are judged: `expect` with that flavor's corrections. */
export function caseForFlavor(testCase: CaseSpec, flavor: FlavorId): CaseSpec {
  const override = testCase.expectByFlavor?.[flavor];
  if (!override) return testCase;
  return { ...testCase, expect: { ...testCase.expect, ...override } };
}

/** A prebuilt `.wasm` a suite ships for the `prebuilt` flavor. */
export const PrebuiltSpec = z
  .object({
    path: z.string(),
    /** Which ABI the module speaks: `dispatcher` (guest ABI v1), `raw` exports, or a `command`. */
    abi: z.enum(['dispatcher', 'raw', 'command']),
    /** Stubs for the module's own platform imports (harness/config/host-imports.ts). */
    hostImports: HostImportList.optional(),
    /** How the module starts before each case's call (default: `_initialize` when exported). */
    lifecycle: LifecycleSpec.optional(),
  })
  .strict();

/** suite.json. */
export const SuiteSpec = z
  .object({
    schemaVersion: z.literal(1),
    name: z.string().regex(/^[a-z0-9-]+$/),
    description: z.string(),
    /** `dispatcher`: a reactor serving ABI v1 calls; `command`: a WASI program run per case. */
    kind: z.enum(['dispatcher', 'command']),
    sources: z
      .object({
        csharp: z.array(z.string()).optional(),
        c: z.array(z.string()).optional(),
        wat: z.string().optional(),
        prebuilt: PrebuiltSpec.optional(),
      })
      .strict(),
    cases: z.array(CaseSpec).min(1),
    defaultTimeoutMs: TimeoutMs.default(10_000),
  })
  .strict();
/** A `SuiteSpec` value, as the schema above parses it. */
export type SuiteSpec = z.infer<typeof SuiteSpec>;

/** A loaded suite with its folder and file. */
export interface Suite extends SuiteSpec {
  dir: string;
  file: string;
}

let chosenRoot: string | undefined;

/** Sets the suites folder (the `--suites DIR` flag); it must be a folder. */
export function setSuitesRoot(dir: string): void {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--suites: ${root} is not a folder`);
  chosenRoot = root;
}

/** `--suites DIR`, else `WASM_MATRIX_SUITES_DIR`, else the repository's suites/. */
export const suitesRoot = (): string => chosenRoot ?? process.env.WASM_MATRIX_SUITES_DIR ?? join(projectRoot, 'suites');

/** A suite folder whose suite.json could not be used, with the error naming the file and field. */
export interface BrokenSuite {
  /** The folder name (the suite's name cannot be trusted from a broken file). */
  folder: string;
  message: string;
}

let lastBroken: BrokenSuite[] = [];

/** The broken suites the last `loadAllSuites` passed over (each also reported on stderr). */
export const brokenSuites = (): readonly BrokenSuite[] => lastBroken;

/** Reads and checks one suite; every named source must exist and case names be unique. */
export function loadSuite(dir: string): Suite {
  const file = join(dir, 'suite.json');
  const spec = parseJsonFile(file, SuiteSpec);
  const names = new Set<string>();
  spec.cases.forEach((c, i) => {
    if (names.has(c.name)) throw new UsageError(`${file}: cases.${i}.name: "${c.name}" is used twice`);
    names.add(c.name);
  });
  const sources = [...(spec.sources.csharp ?? []), ...(spec.sources.c ?? []), ...(spec.sources.wat ? [spec.sources.wat] : []), ...(spec.sources.prebuilt ? [spec.sources.prebuilt.path] : [])];
  for (const source of sources) {
    if (!existsSync(resolve(dir, source))) throw new UsageError(`${file}: sources: ${source} does not exist`);
  }
  return { ...spec, dir, file };
}

/**
 * Every folder under the suites folder with a suite.json (the SDK folder has
 * none). A suite that fails to load does not block the others: it is left
 * out, reported once on stderr, and listed by `brokenSuites()`, which makes
 * the command exit 2 after the others ran (cli/main.ts).
 */
export function loadAllSuites(root = suitesRoot()): Suite[] {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch (e) {
    throw new UsageError(`suites folder ${root}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const broken: BrokenSuite[] = [];
  const suites: Suite[] = [];
  for (const d of entries) {
    if (!d.isDirectory() || !existsSync(join(root, d.name, 'suite.json'))) continue;
    try {
      suites.push(loadSuite(join(root, d.name)));
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      broken.push({ folder: d.name, message: e.message });
    }
  }
  for (const b of broken) if (!lastBroken.some((o) => o.message === b.message)) process.stderr.write(`wasm-matrix: broken suite left out: ${b.message}\n`);
  lastBroken = broken;
  return suites.sort((a, b) => a.name.localeCompare(b.name));
}

/** A suite by name; an unknown name is a usage error listing the valid ones. */
export function suiteByName(name: string, all = loadAllSuites()): Suite {
  const found = all.find((s) => s.name === name);
  if (found) return found;
  const broken = lastBroken.find((b) => b.folder === name);
  if (broken) throw new UsageError(`suite "${name}" is broken: ${broken.message}`);
  throw new UsageError(`unknown suite "${name}"; valid suites: ${all.map((s) => s.name).join(', ')}`);
}
