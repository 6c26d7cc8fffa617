// What a worker does with one loaded addon: caches engines and compiled
// modules, and runs exec requests against them; worker-requests.ts routes
// each request (exec here, precompile and bench in their own files).
import { readFileSync, statSync } from 'node:fs';
import type { AddonEngine, AddonInstance, AddonOutcome, RuntimeAddon } from './addon.js';
import { callMisfit, type Compiled, compileAny, deserializeAny, instantiateAny } from './code.js';
import type { ExecOutcome, RuntimeInfo } from './protocol.js';
import { z } from 'zod';
import { EngineOptions, ExecRequest, InstanceSetup, ModuleSource } from './protocol.js';
import { declarationProblems } from '../config/host-imports.js';
import { spillFiles } from './output-spill.js';

type Outcome = ExecOutcome;
type Exec = z.output<typeof ExecRequest>;
type Source = z.output<typeof ModuleSource>;
type Setup = z.output<typeof InstanceSetup>;

const now = (): bigint => process.hrtime.bigint();
const since = (start: bigint): number => Number(process.hrtime.bigint() - start);

/** Thrown inside a request to end it as a host-side `error` in one phase. */
export class PhaseError extends Error {
  constructor(
    readonly phase: 'load' | 'setup' | 'instantiate' | 'init' | 'call',
    message: string,
  ) {
    super(message);
  }
}

/** A loaded module, and what loading it cost. */
export interface Loaded {
  /** A core module or a component. */
  module: Compiled;
  loadNs: number;
  cacheHit: boolean;
  /** The module's bytes, when they were read (not on a cache hit). */
  bytes?: Buffer;
}

/** One loaded addon in a worker process, with its engines and compiled modules. */
export class WorkerHost {
  private readonly engines = new Map<string, AddonEngine>();
  private readonly modules = new Map<string, Compiled>();

  constructor(
    readonly runtimeId: string,
    readonly addon: RuntimeAddon,
    /** Where every instance's output is written through to (see output-spill.ts); none: memory only. */
    private readonly spillDir?: string,
  ) {}

  engine(options: z.output<typeof EngineOptions>): AddonEngine {
    const key = JSON.stringify(options, Object.keys(options).sort());
    let engine = this.engines.get(key);
    if (!engine) {
      engine = new this.addon.Engine(options);
      this.engines.set(key, engine);
    }
    return engine;
  }

  info(options: z.output<typeof EngineOptions>): RuntimeInfo {
    return {
      runtimeId: this.runtimeId,
      wasmtimeVersion: this.addon.wasmtimeVersion(),
      compatibilityHash: this.engine(options).compatibilityHash,
      pid: process.pid,
    };
  }

  /** Compiles (or deserializes) a module, reusing this process's cache unless told not to. */
  load(engineOptions: z.output<typeof EngineOptions>, source: Source, useCache = true): Loaded {
    const engine = this.engine(engineOptions);
    const key = cacheKey(engineOptions, source);
    const cached = key && useCache ? this.modules.get(key) : undefined;
    if (cached) return { module: cached, loadNs: 0, cacheHit: true };
    let bytes: Buffer;
    try {
      bytes = source.kind === 'bytes' ? Buffer.from(source.bytes) : readFileSync(source.path);
    } catch (e) {
      const path = source.kind === 'bytes' ? source.label : source.path;
      throw new PhaseError('load', `cannot read module ${path}: ${(e as Error).message}`);
    }
    if (source.kind !== 'cwasm' && !looksLikeModule(bytes)) {
      const what = source.kind === 'bytes' ? source.label : source.path;
      throw new PhaseError('load', `${what}: not a wasm module (the magic bytes \\0asm are missing) and not WAT text (not UTF-8)`);
    }
    const start = now();
    let module: Compiled;
    try {
      module = source.kind === 'cwasm' ? deserializeAny(engine, bytes, source.record) : compileAny(engine, bytes);
    } catch (e) {
      const what = source.kind === 'bytes' ? source.label : source.path;
      throw new PhaseError('load', `${what}: ${(e as Error).message}`);
    }
    const loadNs = since(start);
    if (key) this.modules.set(key, module);
    return { module, loadNs, cacheHit: false, bytes };
  }

  instantiate(engineOptions: z.output<typeof EngineOptions>, module: Compiled, setup: Setup): AddonInstance {
    // A declaration that disagrees with the module is the request's own bad input, not
    // something this runtime lacks: its own phase, so the cell is not `unsupported`.
    // Host imports are declared for core modules only (components import interfaces).
    const problems = setup.hostImports.length && module.kind === 'module' ? declarationProblems(setup.hostImports, module.module.imports()) : [];
    if (problems.length) throw new PhaseError('setup', problems.join('; '));
    try {
      return instantiateAny(this.engine(engineOptions), module, {
        ...setup,
        stdin: setup.stdin ? Buffer.from(setup.stdin) : undefined,
        ...(this.spillDir ? { outputSpill: spillFiles(this.spillDir) } : {}),
      });
    } catch (e) {
      throw new PhaseError('instantiate', (e as Error).message);
    }
  }

  /** Runs one exec request: load, instantiate, life cycle, one call; failures end in their phase. */
  exec(request: Exec): Outcome {
    const timings = { loadNs: 0, moduleCacheHit: false, instantiateNs: 0, initNs: 0, callNs: 0 };
    let instance: AddonInstance | undefined;
    try {
      const loaded = this.load(request.engine, request.module);
      timings.loadNs = loaded.loadNs;
      timings.moduleCacheHit = loaded.cacheHit;
      const start = now();
      instance = this.instantiate(request.engine, loaded.module, request.instance);
      timings.instantiateNs = since(start);
      const misfit = callMisfit(loaded.module, request.call.style);
      if (misfit) throw new PhaseError('instantiate', misfit);
      const init = bringUp(instance, request.lifecycle, request.timeoutMs, loaded.module);
      timings.initNs = init?.elapsedNs ?? 0;
      if (init && init.status !== 'ok') {
        const outcome = toOutcome(init, timings, 'init');
        if (init.lifecycleExport) outcome.lifecycleExport = init.lifecycleExport;
        return withStdio(outcome, instance);
      }
      const callStartedAtMs = Date.now();
      const result = callOnce(instance, request.call, request.timeoutMs, request.fuel);
      timings.callNs = result.elapsedNs;
      Object.assign(timings, { callStartedAtMs, callEndedAtMs: Date.now() });
      return withStdio(toOutcome(result, timings, 'call'), instance);
    } catch (e) {
      if (e instanceof PhaseError) {
        const outcome: Outcome = { status: 'error', phase: e.phase, message: e.message, timings };
        return instance ? withStdio(outcome, instance) : outcome;
      }
      throw e;
    }
  }
}

/** A wasm binary (magic bytes) or text that may be WAT (valid UTF-8). */
function looksLikeModule(bytes: Buffer): boolean {
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function cacheKey(options: object, source: Source): string | undefined {
  if (source.kind === 'bytes') return undefined;
  try {
    const st = statSync(source.path);
    // A `.cwasm` is only reused under the same record (it is checked once, on load).
    return JSON.stringify([options, source.kind, source.path, st.size, st.mtimeMs, source.kind === 'cwasm' ? source.record : null]);
  } catch {
    return undefined;
  }
}

/** A life-cycle step's outcome, naming the export that did not end `ok`. */
export type BringUpOutcome = AddonOutcome & { lifecycleExport?: string };

/** Names the life-cycle export in a failed step's message, so the cell says which one trapped. */
function blame(result: AddonOutcome, exportName: string): BringUpOutcome {
  if (result.status === 'ok') return result;
  const message = result.message ?? result.trap ?? result.status;
  // The addon already names it for a proc_exit ("... during _initialize").
  if (message.includes(exportName)) return { ...result, lifecycleExport: exportName, message };
  return { ...result, lifecycleExport: exportName, message: `life-cycle export ${exportName}: ${message}` };
}

/**
 * Runs the life cycle step before calls; undefined when there is none. With a prefix,
 * every exported function whose name starts with it runs once, in sorted order, and the
 * first that does not end `ok` ends the step.
 */
export function bringUp(instance: AddonInstance, lifecycle: Exec['lifecycle'], timeoutMs?: number, module?: Compiled): BringUpOutcome | undefined {
  if (lifecycle === 'reactor') return blame(instance.initialize(timeoutMs), '_initialize');
  if (lifecycle === 'command-first') {
    const result = instance.runCommand(timeoutMs);
    if (result.status === 'ok' && result.exitCode !== 0) {
      return { ...result, status: 'error', lifecycleExport: '_start', message: `_start exited with code ${result.exitCode} before serving calls` };
    }
    return blame(result, '_start');
  }
  if (typeof lifecycle === 'object') {
    const names = (module?.kind === 'module' ? module.module.exports() : [])
      .filter((e) => e.kind === 'func' && e.name.startsWith(lifecycle.prefix))
      .map((e) => e.name)
      .sort();
    let elapsedNs = 0;
    for (const name of names) {
      const result = instance.callExport(name, [], timeoutMs);
      elapsedNs += result.elapsedNs;
      if (result.status !== 'ok') return blame(result, name);
    }
    return { status: 'ok', elapsedNs };
  }
  return undefined;
}

/** One call of the given style on an instance. */
export function callOnce(
  instance: AddonInstance,
  call: Exec['call'],
  timeoutMs?: number,
  fuel?: number,
): AddonOutcome {
  switch (call.style) {
    case 'invoke':
      return instance.invoke(call.name, Buffer.from(call.input), timeoutMs, fuel);
    case 'export':
      return instance.callExport(call.name, call.args, timeoutMs, fuel);
    case 'command':
      return instance.runCommand(timeoutMs, fuel);
    case 'describe':
      return instance.describe(timeoutMs);
  }
}

function toOutcome(result: AddonOutcome, timings: Outcome['timings'], phase: 'init' | 'call'): Outcome {
  // `exit` (proc_exit) outside a command run ends the call as a host-side error.
  const status = result.status === 'exit' ? 'error' : result.status;
  const outcome: Outcome = { status, timings };
  if (result.trap) outcome.trap = result.trap;
  if (result.message) outcome.message = result.message;
  else if (result.status === 'exit') outcome.message = `the guest exited with code ${result.exitCode ?? 0} during the call`;
  if (status === 'error') outcome.phase = result.phase === 'args' ? 'args' : phase;
  if (result.values) {
    outcome.values = result.values.map((v) => ({
      type: v.type,
      value: v.value,
      ...(v.bits ? { bits: v.bits } : {}),
    }));
  }
  if (result.output) outcome.output = new Uint8Array(result.output);
  if (result.exitCode !== undefined && result.exitCode !== null) outcome.exitCode = result.exitCode;
  return outcome;
}

function withStdio(outcome: Outcome, instance: AddonInstance): Outcome {
  const calls = instance.takeHostCalls();
  if (calls.length) {
    outcome.hostCalls = calls.map((c) => ({ module: c.module, name: c.name, args: c.args.map((v) => ({ type: v.type as 'i32', value: v.value, ...(v.bits ? { bits: v.bits } : {}) })) }));
  }
  const stdout = instance.stdout();
  const stderr = instance.stderr();
  if (stdout.length) outcome.stdout = new Uint8Array(stdout);
  if (stderr.length) outcome.stderr = new Uint8Array(stderr);
  if (instance.stdoutTruncated()) outcome.stdoutTruncated = true;
  if (instance.stderrTruncated()) outcome.stderrTruncated = true;
  return outcome;
}
