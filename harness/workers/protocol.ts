// Messages between the supervisor and a worker process. Both sides validate
// every message against these schemas; they are the only definition.
import { z } from 'zod';
import { TimeoutMs } from '../config/limits.js';

const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes (Uint8Array)');

/** Engine configuration of a request. */
export const EngineOptions = z
  .object({
    optLevel: z.enum(['none', 'speed', 'speed-and-size']).optional(),
    fuel: z.boolean().optional(),
    epochInterruption: z.boolean().optional(),
    maxWasmStack: z.number().int().positive().optional(),
    memoryLimitBytes: z.number().int().positive().optional(),
  })
  .strict();
/** A `EngineOptions` value, as the schema above parses it. */
export type EngineOptions = z.infer<typeof EngineOptions>;

/** A `.cwasm`'s integrity record: its sha256 and the engine that made it. */
export const IntegrityRecord = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  compatibilityHash: z.string().min(1),
  wasmtimeVersion: z.string().min(1),
  artifactHash: z.string().optional(),
  /** What the `.cwasm` holds; absent in records written before components ran (a module). */
  kind: z.enum(['module', 'component']).optional(),
});
/** A `IntegrityRecord` value, as the schema above parses it. */
export type IntegrityRecord = z.infer<typeof IntegrityRecord>;

/** Where a module comes from: a file, a `.cwasm` with its record, or bytes. */
export const ModuleSource = z.discriminatedUnion('kind', [
  /** A `.wasm` binary or `.wat` text file. */
  z.object({ kind: z.literal('file'), path: z.string() }),
  /** A `.cwasm` with its integrity record; refused unless both match this engine. */
  z.object({ kind: z.literal('cwasm'), path: z.string(), record: IntegrityRecord }),
  z.object({ kind: z.literal('bytes'), bytes: Bytes, label: z.string() }),
]);
/** A `ModuleSource` value, as the schema above parses it. */
export type ModuleSource = z.infer<typeof ModuleSource>;

/** A wasm value: its type and its exact rendering (i64 as decimal, floats with bits). */
export const WasmValue = z.object({
  type: z.enum(['i32', 'i64', 'f32', 'f64']),
  value: z.string(),
  bits: z.string().nullish(),
});
/** A `WasmValue` value, as the schema above parses it. */
export type WasmValue = z.infer<typeof WasmValue>;

const ValType = z.enum(['i32', 'i64', 'f32', 'f64']);

/** A stub for one import of the module's own platform (harness/config/host-imports.ts). */
export const HostImport = z
  .object({
    module: z.string().min(1),
    name: z.string().min(1),
    params: z.array(ValType),
    results: z.array(ValType),
    behavior: z.enum(['trap', 'zero', 'const', 'record']),
    values: z.array(WasmValue).optional(),
  })
  .strict();
/** A `HostImport` value, as the schema above parses it. */
export type HostImport = z.infer<typeof HostImport>;

/** One call of a `record` host import. */
export const HostCall = z.object({ module: z.string(), name: z.string(), args: z.array(WasmValue) });
/** A `HostCall` value, as the schema above parses it. */
export type HostCall = z.infer<typeof HostCall>;

/** The cap on each of a guest's stdout and stderr when a request gives none. */
export const DEFAULT_OUTPUT_CAP_BYTES = 1 << 20;

/** A guest's captured stdout and stderr, each cut at the cap (and marked when it was). */
export const CapturedStreams = z.object({
  stdout: Bytes,
  stderr: Bytes,
  stdoutTruncated: z.literal(true).optional(),
  stderrTruncated: z.literal(true).optional(),
});
/** A `CapturedStreams` value, as the schema above parses it. */
export type CapturedStreams = z.infer<typeof CapturedStreams>;

/** How an instance is set up: WASI, args, env, folders, stdin, output cap. */
export const InstanceSetup = z.object({
  wasi: z.boolean().default(true),
  args: z.array(z.string()).default([]),
  env: z.array(z.string().regex(/^[^=]+=/, 'NAME=value')).default([]),
  preopens: z.array(z.object({ host: z.string(), guest: z.string() })).default([]),
  stdin: Bytes.optional(),
  outputCapBytes: z.number().int().positive().default(DEFAULT_OUTPUT_CAP_BYTES),
  benchHooks: z.boolean().default(false),
  hostImports: z.array(HostImport).default([]),
});
/** What `InstanceSetup` accepts (defaults not yet applied). */
export type InstanceSetup = z.input<typeof InstanceSetup>;

/** How a module is brought up before the call (guest ABI v1 life cycle). */
export const Lifecycle = z.union([
  z.enum([
    /** Call `_initialize` when exported (reactors, NativeAOT-LLVM libraries). */
    'reactor',
    /** Run `_start` once first (the Mono interpreter sets up its runtime there). */
    'command-first',
    'none',
  ]),
  /** Call every export whose name starts with `prefix`, in sorted order (SpacetimeDB's `__preinit__*`). */
  z.object({ prefix: z.string().min(1) }).strict(),
]);
/** A `Lifecycle` value, as the schema above parses it. */
export type Lifecycle = z.infer<typeof Lifecycle>;

/** What to call: a dispatcher case, a raw export, a command, or describe. */
export const Call = z.discriminatedUnion('style', [
  z.object({ style: z.literal('invoke'), name: z.string(), input: Bytes }),
  z.object({ style: z.literal('export'), name: z.string(), args: z.array(WasmValue) }),
  z.object({ style: z.literal('command') }),
  z.object({ style: z.literal('describe') }),
]);
/** A `Call` value, as the schema above parses it. */
export type Call = z.infer<typeof Call>;

/** Load, instantiate, bring up and call once. */
export const ExecRequest = z.object({
  type: z.literal('exec'),
  engine: EngineOptions.default({}),
  module: ModuleSource,
  instance: InstanceSetup.prefault({}),
  lifecycle: Lifecycle.default('reactor'),
  call: Call,
  timeoutMs: TimeoutMs.optional(),
  fuel: z.number().nonnegative().optional(),
});
/** What `ExecRequest` accepts (defaults not yet applied). */
export type ExecRequest = z.input<typeof ExecRequest>;

/** Precompile a module into a `.cwasm` with its record. */
export const PrecompileRequest = z.object({
  type: z.literal('precompile'),
  engine: EngineOptions.default({}),
  modulePath: z.string(),
  /** Written atomically: a temporary file, then rename. The record goes to `<outPath>.json`. */
  outPath: z.string(),
  artifactHash: z.string().optional(),
});
/** What `PrecompileRequest` accepts (defaults not yet applied). */
export type PrecompileRequest = z.input<typeof PrecompileRequest>;

/** Time one cell once in this process (worker-bench.ts). */
export const BenchRequest = z.object({
  type: z.literal('bench'),
  engine: EngineOptions.default({}),
  module: ModuleSource,
  instance: InstanceSetup.prefault({}),
  lifecycle: Lifecycle.default('reactor'),
  call: Call,
  /** Time budget for the steady-state loop in this process. */
  budgetMs: z.number().positive(),
  minIterations: z.number().int().positive().default(5),
  /** Also time the same parameterless export looped inside Rust. */
  rustLoopIterations: z.number().int().nonnegative().default(0),
  /** Guest deadline of every call (and of the life-cycle step): past it the bench ends as `timeout`. */
  timeoutMs: TimeoutMs.optional(),
  /** Fuel given to every call, for engines created with `fuel: true`. */
  fuel: z.number().nonnegative().optional(),
  /**
   * Sightglass style (a command marking its region with `bench.start`/`bench.end`):
   * run the command this many times, each in a fresh instance, and return the
   * regions as the samples (`perCallNs`) instead of a steady-state loop.
   */
  regionRuns: z.number().int().positive().optional(),
});
/** What `BenchRequest` accepts (defaults not yet applied). */
export type BenchRequest = z.input<typeof BenchRequest>;

/** The regions a count request dumps, in order (each its own callgrind dump, labelled with its name). */
export const CountedPhase = z.enum(['compile', 'precompile', 'deserialize', 'instantiate', 'firstCall', 'perCall']);
/** A `CountedPhase` value, as the schema above parses it. */
export type CountedPhase = z.infer<typeof CountedPhase>;

/**
 * Count one cell's instructions once in this process (worker-count.ts): the
 * worker runs under callgrind with collection off, and each phase is a region
 * the addon counts and dumps. Same module, engine, life cycle and call as a
 * bench request; `calls` steady-state calls make the `perCall` region.
 */
export const CountRequest = BenchRequest.omit({ type: true, budgetMs: true, minIterations: true, rustLoopIterations: true }).extend({
  type: z.literal('count'),
  calls: z.number().int().positive().default(3),
});
/** What `CountRequest` accepts (defaults not yet applied). */
export type CountRequest = z.input<typeof CountRequest>;

/** Every request a worker answers. */
export const Request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('load'), runtimeId: z.string() }),
  z.object({ type: z.literal('info'), engine: EngineOptions.default({}) }),
  ExecRequest,
  PrecompileRequest,
  BenchRequest,
  CountRequest,
  /** Test hook: exit the process at once, as a segfaulting guest host would. */
  z.object({ type: z.literal('die'), code: z.number().int() }),
]);
/** What `Request` accepts (defaults not yet applied). */
export type Request = z.input<typeof Request>;
/** A `Request` value with its defaults applied. */
export type ParsedRequest = z.output<typeof Request>;

/** A request with its id. */
export const Envelope = z.object({ id: z.number().int(), request: Request });

/** Where an exec's time went, measured in the worker. */
export const Timings = z.object({
  /** compile, or deserialize for a `.cwasm` source; 0 when the worker's cache had it. */
  loadNs: z.number(),
  moduleCacheHit: z.boolean(),
  instantiateNs: z.number(),
  initNs: z.number(),
  callNs: z.number(),
  /** Wall-clock (epoch ms) bounds of the guest call in the worker, to show overlap. */
  callStartedAtMs: z.number().optional(),
  callEndedAtMs: z.number().optional(),
});

/** What an exec ended in, with values, output and timings. */
export const ExecOutcome = z.object({
  status: z.enum(['ok', 'guest-error', 'trap', 'timeout', 'error']),
  trap: z.string().optional(),
  message: z.string().optional(),
  /**
   * Where a host-side `error` arose; `args`: the call's arguments do not fit the export;
   * `setup`: the request's own host-import declarations disagree with the module.
   */
  phase: z.enum(['load', 'setup', 'instantiate', 'init', 'call', 'args']).optional(),
  /** The life-cycle export that trapped, timed out or failed, when the call never ran. */
  lifecycleExport: z.string().optional(),
  /** Calls of `record` host imports, in order (life cycle and call). */
  hostCalls: z.array(HostCall).optional(),
  values: z.array(WasmValue).optional(),
  output: Bytes.optional(),
  /** A command's exit code; for a `guest-error`, the code a `proc_exit` outside a command run gave. */
  exitCode: z.number().int().optional(),
  stdout: Bytes.optional(),
  stderr: Bytes.optional(),
  /** The guest wrote more than `outputCapBytes`: `stdout`/`stderr` hold the first bytes only. */
  stdoutTruncated: z.literal(true).optional(),
  stderrTruncated: z.literal(true).optional(),
  timings: Timings,
});
/** A `ExecOutcome` value, as the schema above parses it. */
export type ExecOutcome = z.infer<typeof ExecOutcome>;

/** A worker's runtime: version, engine hash and pid. */
export const RuntimeInfo = z.object({
  runtimeId: z.string(),
  wasmtimeVersion: z.string(),
  compatibilityHash: z.string(),
  pid: z.number().int(),
});
/** A `RuntimeInfo` value, as the schema above parses it. */
export type RuntimeInfo = z.infer<typeof RuntimeInfo>;

/** A written `.cwasm`: its record, size and time. */
export const Precompiled = z.object({
  record: IntegrityRecord,
  bytes: z.number().int(),
  precompileNs: z.number(),
});
/** A `Precompiled` value, as the schema above parses it. */
export type Precompiled = z.infer<typeof Precompiled>;

const Samples = z.array(z.number());
/** One process's measurements of a cell. */
export const BenchResult = z.object({
  status: ExecOutcome.shape.status,
  message: z.string().optional(),
  trap: z.string().optional(),
  pid: z.number().int(),
  compileNs: z.number(),
  precompileNs: z.number(),
  deserializeNs: z.number(),
  instantiateNs: z.number(),
  firstCallNs: z.number(),
  /** Steady-state per-call samples in nanoseconds, one per tinybench iteration. */
  perCallNs: Samples,
  /** What the first call answered (when it ended ok), for the supervisor to judge like a run's cell. */
  answer: z
    .object({
      output: Bytes.optional(),
      values: z.array(WasmValue).optional(),
      exitCode: z.number().int().optional(),
      stdout: Bytes.optional(),
      stderr: Bytes.optional(),
      /** Calls of `bench.start` and `bench.end` during the first call, when the hooks are linked. */
      benchMarks: z.object({ starts: z.number().int(), ends: z.number().int() }).optional(),
    })
    .optional(),
  /** What the guest wrote before the process failed (a trap, a timeout, a non-zero exit), capped as every capture. */
  guestOutput: CapturedStreams.optional(),
  /** Per-call time of the same export looped in Rust, when asked. */
  rustLoopPerCallNs: z.number().optional(),
  /** `bench.start`/`bench.end` regions, when the module imports them. */
  regionNs: Samples.optional(),
});
/** A `BenchResult` value, as the schema above parses it. */
export type BenchResult = z.infer<typeof BenchResult>;

/**
 * One process's count of a cell: how it ended and, per dumped region, how
 * many calls it held. The counts themselves are in callgrind's dump files,
 * which the supervisor reads after the process exits (bench/callgrind.ts).
 */
export const CountResult = z.object({
  status: ExecOutcome.shape.status,
  message: z.string().optional(),
  trap: z.string().optional(),
  pid: z.number().int(),
  /** Whether the addon saw valgrind (RUNNING_ON_VALGRIND); false means no dump was written. */
  underValgrind: z.boolean(),
  /** The regions dumped, in order, each with the number of calls it counted (1 for a once-per-process phase). */
  regions: z.array(z.object({ phase: CountedPhase, calls: z.number().int().positive() })),
  answer: BenchResult.shape.answer,
});
/** A `CountResult` value, as the schema above parses it. */
export type CountResult = z.infer<typeof CountResult>;

/** Every response a worker sends. */
export const Response = z.discriminatedUnion('type', [
  z.object({ type: z.literal('info'), info: RuntimeInfo }),
  z.object({ type: z.literal('exec'), outcome: ExecOutcome }),
  z.object({ type: z.literal('precompiled'), result: Precompiled }),
  z.object({ type: z.literal('bench'), result: BenchResult }),
  z.object({ type: z.literal('counted'), result: CountResult }),
  /** The request itself was refused (bad message, second runtime, unreadable file). */
  z.object({ type: z.literal('refused'), message: z.string() }),
]);
/** A `Response` value, as the schema above parses it. */
export type Response = z.infer<typeof Response>;

/** A response with the id of its request. */
export const Reply = z.object({ id: z.number().int(), response: Response });
