// `run --external DIR`: prebuilt WASI command programs nobody here
// wrote, run on every selected runtime as cells of a report (suite `external`,
// case = file stem, flavor `prebuilt`).
//
// DIR/X.wasm may have DIR/X.json beside it (ExternalSpec below; every field is
// optional). Each entry of `dirs` names a folder under DIR; it is copied fresh
// for every run and preopened under the same relative name. The program runs
// as `X.wasm ARGS...` (argv[0] is the file name, as `wasmtime run X.wasm`
// gives), with exactly the spec's env and nothing else from the host.
//
// A spec that is not valid JSON, breaks the schema or names an unusable
// folder, and a file that is not wasm at all, make that program's cells
// `mismatch` with the reason naming the file and the field (oracle `none`,
// `actual.error` saying the same): the run fails (exit 1) and the other
// programs still run. `mismatch` because it is the status that fails a run
// for the program's own input (crash/hang blame the host; unsupported and
// skipped pass), so `merge` derives the same exit code from the cells alone.
// A component runs as a `wasi:cli/run` command on WASI preview 2; one whose
// world is not a command, or that imports an interface the runtime does not
// provide, is `unsupported` naming it (decided by the worker, as in a run).
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, normalize, resolve } from 'node:path';
import { z } from 'zod';
import { sha256Hex } from '../build/artifact-cache.js';
import { checkSections, importNames, moduleKind, summarize } from '../util/wasm-summary.js';
import { componentInterfaces } from '../build/component-summary.js';
import { isFailure } from '../model/verdict.js';
import { parseScalar } from '../workers/requests.js';
import { judgeAgainstExpectation } from '../compare/judge.js';
import { guestOutputOfExec, rawFromExec } from '../compare/observe.js';
import { formatZodIssues } from '../config/load.js';
import { EXTERNAL_OUTPUT_CAP_BYTES, TimeoutMs } from '../config/limits.js';
import type { Runtime } from '../config/runtimes.js';
import { HostImportList, LifecycleSpec, toHostImport, toLifecycle } from '../config/host-imports.js';
import { type CaseSpec, ScalarSpec } from '../config/suite.js';
import { UsageError } from '../errors.js';
import { type Cell, cellKey } from '../model/cell.js';
import { badInput, cellOf, type Judgement, notRun, withListed } from '../model/judge.js';
import { type ExpectList, readExpectList } from './expect-list.js';
import { verdictOf } from '../model/verdict.js';
import type { Report } from '../report/schema.js';
import { shardCells } from '../run/plan.js';
import { cellTimings, describeRuntimes, RunSession } from '../run/session.js';
import { execOn } from '../workers/exec.js';
import { WorkerPool } from '../workers/pool.js';
import type { ExecRequest } from '../workers/protocol.js';
import { copyTreeReal, isInside } from '../util/inside.js';

/** The suite name of external programs' cells. */
export const EXTERNAL_SUITE = 'external';
/** The flavor of external programs' cells. */
export const EXTERNAL_FLAVOR = 'prebuilt';
const DEFAULT_TIMEOUT_MS = 10_000;

/** A relative folder under DIR: no absolute path, no `..`. */
const RelativeDir = z
  .string()
  .min(1)
  .refine((p) => !isAbsolute(p) && !normalize(p).split(/[\\/]/).includes('..') && normalize(p) !== '.', 'a folder relative to the program, without ".."');

/** X.json beside X.wasm: args, env, folders, and what the program must give. */
export const ExternalSpec = z
  .object({
    args: z.array(z.string()).default([]),
    env: z.record(z.string().regex(/^[^=\0]+$/, 'a variable name without "="'), z.string()).default({}),
    dirs: z.array(RelativeDir).default([]),
    /** The same folders under the name the specification's Execution section uses (`dir`); both are accepted and joined. */
    dir: z.array(RelativeDir).optional(),
    /** The WASI functions the test uses (wasi-testsuite's older runner config): informational, not checked. */
    wasi_functions: z.array(z.string()).optional(),
    exit_code: z.number().int().default(0),
    /** Compared exactly when given. */
    stdout: z.string().optional(),
    stderr: z.string().optional(),
    /** Guest time limit (epoch interruption); 10 s when omitted. */
    timeout_ms: TimeoutMs.optional(),
    /** Stubs for imports of the program's own platform (harness/config/host-imports.ts). */
    host_imports: HostImportList.default([]),
    /** Start-up before the call: default `none` for a command, `_initialize` (when exported) for an export call. */
    lifecycle: LifecycleSpec.optional(),
    /** Call this export instead of running `_start` (a module without a command entry, e.g. a SpacetimeDB module). */
    export: z.string().min(1).optional(),
    /** Arguments of `export`, each `TYPE:VALUE`. */
    export_args: z.array(ScalarSpec).default([]),
    /** Results of `export`, compared when given. */
    values: z.array(ScalarSpec).optional(),
    /** The calls of `record` imports, each `module.name(TYPE:VALUE, ...)`, compared when given. */
    host_calls: z.array(z.string()).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.export !== undefined) return;
    for (const field of ['export_args', 'values'] as const) {
      if (field === 'export_args' ? spec.export_args.length : spec.values) ctx.addIssue({ code: 'custom', path: [field], message: `${field} needs "export"` });
    }
  });
/** An `ExternalSpec` value, as the schema above parses it. */
export type ExternalSpec = z.infer<typeof ExternalSpec>;

/** An external program: its file, spec, and why it cannot run (a bad spec, not wasm, a component). */
export interface ExternalProgram {
  name: string;
  wasmPath: string;
  specPath?: string;
  spec?: ExternalSpec;
  /** Why the program cannot run at all (bad spec, not wasm): its cells are `mismatch`. */
  problem?: string;
  sha256?: string;
  sizeBytes?: number;
  kind?: 'core-module' | 'component';
}

function readSpec(dir: string, specPath: string): { spec?: ExternalSpec; problem?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(specPath, 'utf8'));
  } catch (e) {
    return { problem: `bad spec file ${specPath}: not valid JSON: ${(e as Error).message}` };
  }
  const parsed = ExternalSpec.safeParse(raw);
  if (!parsed.success) return { problem: `bad spec file ${specPath}: ${formatZodIssues(parsed.error)}` };
  if (parsed.data.dir) parsed.data.dirs = [...new Set([...parsed.data.dirs, ...parsed.data.dir])];
  for (const [i, d] of parsed.data.dirs.entries()) {
    const host = join(dir, d);
    if (!existsSync(host) || !statSync(host).isDirectory()) return { problem: `bad spec file ${specPath}: dirs.${i}: ${host} is not a folder` };
    // A link to a host folder would hand the guest that live folder: refused.
    const real = realpathSync(host);
    if (!isInside(realpathSync(dir), real)) return { problem: `bad spec file ${specPath}: dirs.${i}: ${host} resolves to ${real}, outside ${dir}` };
  }
  return { spec: parsed.data };
}

/** The programs of DIR, sorted by name; throws UsageError (exit 2) when DIR has none. */
export function loadExternalPrograms(dirArg: string): ExternalProgram[] {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--external: ${dir} is not a folder`);
  // `.wasm` test cases, and `.wat` ones as the specification's older version lists them.
  const files = readdirSync(dir)
    .filter((f) => (f.endsWith('.wasm') || f.endsWith('.wat')) && statSync(join(dir, f)).isFile())
    .sort();
  const byName = new Map<string, string>();
  for (const f of files) {
    const name = f.replace(/\.(wasm|wat)$/, '');
    if (byName.has(name)) throw new UsageError(`--external: ${join(dir, byName.get(name)!)} and ${join(dir, f)} are both program "${name}"; keep one`);
    byName.set(name, f);
  }
  const names = [...byName.keys()].sort();
  if (names.length === 0) throw new UsageError(`--external: ${dir} has no .wasm files`);
  return names.map((name) => {
    const wasmPath = join(dir, byName.get(name)!);
    const specPath = join(dir, `${name}.json`);
    const program: ExternalProgram = { name, wasmPath };
    if (existsSync(specPath)) {
      program.specPath = specPath;
      Object.assign(program, readSpec(dir, specPath));
    } else {
      program.spec = ExternalSpec.parse({});
    }
    const bytes = readFileSync(wasmPath);
    program.sha256 = sha256Hex(bytes);
    program.sizeBytes = bytes.length;
    // WAT text is compiled by the runtime, which names any error in it.
    if (wasmPath.endsWith('.wat')) {
      program.kind = 'core-module';
      return program;
    }
    try {
      program.kind = moduleKind(bytes);
      // A malformed module is the program's fault on every runtime: it fails the run.
      checkSections(bytes);
    } catch (e) {
      program.problem ??= `${wasmPath}: ${(e as Error).message}`;
    }
    return program;
  });
}

/** What a program imports, for its artifact record; nothing when it cannot be read. */
async function programImports(program: ExternalProgram): Promise<{ imports?: string[] }> {
  try {
    const bytes = readFileSync(program.wasmPath);
    if (program.kind === 'component') {
      const items = await componentInterfaces(bytes);
      return items ? { imports: items.imports } : {};
    }
    return { imports: importNames(summarize(bytes).imports) };
  } catch {
    return {};
  }
}

interface ExternalCell {
  key: string;
  program: ExternalProgram;
  runtime: string;
}

function cellsOf(programs: ExternalProgram[], runtimes: { id: string }[]): ExternalCell[] {
  return programs.flatMap((program) =>
    runtimes.map((r) => ({ key: cellKey({ suite: EXTERNAL_SUITE, case: program.name, flavor: EXTERNAL_FLAVOR, runtime: r.id }), program, runtime: r.id })),
  );
}

/** The cell keys `run --external DIR` covers, in its order (for `plan`). */
export function externalCellKeys(dir: string, runtimes: { id: string }[]): string[] {
  return cellsOf(loadExternalPrograms(dir), runtimes).map((c) => c.key);
}

/** The case the judge sees: a command with the spec's expectation. */
export function externalCase(program: ExternalProgram & { spec: ExternalSpec }): CaseSpec {
  const spec = program.spec;
  const hostCalls = spec.host_calls ? { hostCalls: spec.host_calls } : {};
  const timeout = spec.timeout_ms !== undefined ? { timeoutMs: spec.timeout_ms } : {};
  if (spec.export !== undefined) {
    return {
      name: program.name,
      call: { style: 'export', export: spec.export, args: spec.export_args },
      expect: { ...(spec.values ? { values: spec.values } : {}), ...hostCalls },
      ...timeout,
    };
  }
  return {
    name: program.name,
    call: { style: 'command', args: spec.args, env: spec.env, dirs: [] },
    expect: {
      exitCode: spec.exit_code,
      ...(spec.stdout !== undefined ? { stdout: { utf8: spec.stdout } } : {}),
      ...(spec.stderr !== undefined ? { stderr: { utf8: spec.stderr } } : {}),
      ...hostCalls,
    },
    ...timeout,
  };
}

/**
 * Copies each spec folder fresh into a temporary root, as real files (links
 * inside the program folder are followed, links out of it refused), and
 * preopens it under the same relative name.
 */
export function freshDirs(programDir: string, dirs: string[]): { preopens: { host: string; guest: string }[]; cleanup(): void } {
  if (dirs.length === 0) return { preopens: [], cleanup() {} };
  const root = mkdtempSync(join(tmpdir(), 'wasm-matrix-external-'));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    const preopens = dirs.map((d) => {
      const guest = normalize(d).replace(/[\\/]+$/, '');
      const host = join(root, guest);
      copyTreeReal(join(programDir, guest), host, programDir);
      return { host, guest };
    });
    return { preopens, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** The exec request of an external program with its fresh folders. */
export function externalRequest(program: ExternalProgram & { spec: ExternalSpec }, preopens: { host: string; guest: string }[], outputCapBytes = EXTERNAL_OUTPUT_CAP_BYTES): ExecRequest {
  const spec = program.spec;
  const exportCall = spec.export !== undefined;
  return {
    type: 'exec',
    engine: {},
    module: { kind: 'file', path: program.wasmPath },
    timeoutMs: program.spec.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    instance: {
      args: [basename(program.wasmPath), ...program.spec.args],
      env: Object.entries(program.spec.env).map(([k, v]) => `${k}=${v}`),
      preopens,
      hostImports: spec.host_imports.map(toHostImport),
      outputCapBytes,
    },
    lifecycle: spec.lifecycle ? toLifecycle(spec.lifecycle) : exportCall ? 'reactor' : 'none',
    call: exportCall ? { style: 'export', name: spec.export!, args: spec.export_args.map(parseScalar) } : { style: 'command' },
  };
}

/**
 * Removes every `*.cleanup` file or folder under DIR (links are not followed):
 * wasi-testsuite's specification (Configuration) has an executor remove these
 * artifacts of earlier runs before it runs anything. Returns what it removed.
 */
export function removeStaleCleanups(dir: string): string[] {
  const removed: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const st = lstatSync(path);
      if (name.endsWith('.cleanup')) {
        rmSync(path, { recursive: true, force: true });
        removed.push(path);
      } else if (st.isDirectory()) {
        walk(path);
      }
    }
  };
  walk(dir);
  return removed;
}

/** What `run --external` is asked to do. */
export interface ExternalRunOptions {
  dir: string;
  runtimes: Runtime[];
  outDir: string;
  baselinePath?: string;
  shard?: { index: number; count: number };
  quiet?: boolean;
  /** An expectation list (`--expect FILE`, expect-list.ts): known failures and their reasons. */
  expectPath?: string;
  /** Capture cap of each of stdout and stderr (default EXTERNAL_OUTPUT_CAP_BYTES). */
  outputCapBytes?: number;
}


/** `run --external DIR`: every program on every runtime, judged against its spec, in a run session. */
export async function runExternal(options: ExternalRunOptions): Promise<{ report: Report; exitCode: 0 | 1 | 2 | 130 }> {
  const startedAt = new Date().toISOString();
  const quiet = options.quiet ?? false;
  const programs = loadExternalPrograms(options.dir);
  const programDir = resolve(options.dir);
  const listed: ExpectList = options.expectPath ? readExpectList(options.expectPath, programDir, programs.map((p) => p.name)) : new Map();
  for (const p of programs) if (p.problem && !quiet) process.stderr.write(`wasm-matrix: ${p.problem}\n`);
  // Only a run cleans up (not `plan`, which lists the same cells).
  const removed = removeStaleCleanups(programDir);
  if (removed.length && !quiet) process.stderr.write(`wasm-matrix: removed ${removed.length} stale *.cleanup file${removed.length === 1 ? '' : 's'} under ${programDir}\n`);

  const pool = new WorkerPool(options.runtimes);
  const runtimeRecords = await describeRuntimes(pool, options.runtimes);
  const unusable = new Map(runtimeRecords.filter((r) => r.error).map((r) => [r.id, `runtime ${r.id} unavailable: ${r.error}`]));
  const cells = shardCells(cellsOf(programs, options.runtimes), options.shard);

  const session = new RunSession(
    options.outDir,
    {
      startedAt,
      ...(options.shard ? { shard: options.shard } : {}),
      runtimes: runtimeRecords,
      flavors: [{ id: EXTERNAL_FLAVOR, available: true, versions: {} }],
      artifacts: await Promise.all(
        programs
          .filter((p) => p.sha256 && p.kind)
          .map(async (p) => ({ suite: EXTERNAL_SUITE, flavor: EXTERNAL_FLAVOR, hash: p.sha256!, sizeBytes: p.sizeBytes!, kind: p.kind!, cacheHit: false, ...(await programImports(p)) })),
      ),
    },
    { progressTotal: cells.length, quiet, close: () => pool.close() },
  );
  // A listed program's cells are judged, then the list's entry applies (model/judge.ts withListed).
  const judged = (c: ExternalCell, j: Judgement): Judgement => {
    const entry = listed.get(c.program.name);
    return entry ? withListed(j, entry) : j;
  };
  const listedField = (c: ExternalCell): Partial<Cell> => (listed.has(c.program.name) ? { listed: listed.get(c.program.name)! } : {});
  const emit = session.emit;
  const coordinates = (c: ExternalCell) => ({ suite: EXTERNAL_SUITE, case: c.program.name, flavor: EXTERNAL_FLAVOR, runtime: c.runtime });
  const hash = (c: ExternalCell): Partial<Cell> => (c.program.sha256 ? { artifactHash: c.program.sha256 } : {});

  const report = await session.complete(
    pool,
    async () => {
      const runnable: ExternalCell[] = [];
      for (const c of cells) {
        const problem = c.program.problem;
        if (problem) emit(cellOf(coordinates(c), judged(c, badInput(problem)), { ...hash(c), ...listedField(c) }));
        else if (unusable.has(c.runtime)) emit(cellOf(coordinates(c), notRun('skipped', unusable.get(c.runtime)!), hash(c)));
        else runnable.push(c);
      }
      const byRuntime = new Map<string, ExternalCell[]>();
      for (const c of runnable) {
        const list = byRuntime.get(c.runtime);
        if (list) list.push(c);
        else byRuntime.set(c.runtime, [c]);
      }
      await Promise.all(
        [...byRuntime].map(async ([runtime, list]) => {
          const worker = pool.worker(runtime);
          for (const c of list) {
            const program = c.program as ExternalProgram & { spec: ExternalSpec };
            const testCase = externalCase(program);
            let dirs: ReturnType<typeof freshDirs> | undefined;
            try {
              dirs = freshDirs(programDir, program.spec.dirs);
            } catch (e) {
              const why = `cannot copy the folders of ${program.specPath}: ${(e as Error).message}`;
              emit(cellOf(coordinates(c), judged(c, badInput(why)), { ...hash(c), ...listedField(c) }));
              continue;
            }
            try {
              const result = await execOn(worker, externalRequest(program, dirs.preopens, options.outputCapBytes));
              const j = judged(c, judgeAgainstExpectation(testCase, rawFromExec(result)));
              const timings = cellTimings(result);
              emit(cellOf(coordinates(c), j, { ...hash(c), ...listedField(c), pid: result.pid, ...(timings ? { timings } : {}), ...guestOutputOfExec(result) }));
            } finally {
              dirs.cleanup();
            }
          }
        }),
      );
    },
    options.baselinePath,
  );
  return { report, exitCode: verdictOf(report).exitCode };
}
