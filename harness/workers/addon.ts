// The napi surface every pinned runtime addon exposes (runtimes/addon/src).
// Loading checks the ABI version and the linked Wasmtime version, so a stale
// or foreign `.node` fails with a clear message instead of a strange one.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { Runtime } from '../config/runtimes.js';
import { NotBuiltError } from '../errors.js';
import { TrapKind } from '../model/status.js';
import { EngineOptions, HostImport, IntegrityRecord, WasmValue } from './protocol.js';

/** The ABI version the addon reports (runtimes/addon/src/lib.rs); a mismatch means a stale `.node`. */
export const ADDON_ABI_VERSION = 1;

// The values that cross the napi boundary, as zod schemas: the one source of
// their TypeScript types. harness/workers/test/addon-shapes.test.ts checks the
// Rust `#[napi(object)]` structs and the status and trap strings the Rust side
// emits against these, field by field.

/** Engine configuration (Rust `EngineOptions`): the protocol's, unchanged. */
export { EngineOptions };
/** A `.cwasm`'s integrity record as the addon makes and checks it (Rust `IntegrityRecord`). */
export const AddonIntegrityRecord = IntegrityRecord.pick({ sha256: true, compatibilityHash: true, wasmtimeVersion: true });
/** An integrity record without the harness's own `artifactHash`. */
export type AddonIntegrityRecord = z.infer<typeof AddonIntegrityRecord>;

/** A wasm value (Rust `WasmValue`): the protocol's, unchanged. */
export { WasmValue };

/** The kinds of a core module's imports and exports (Rust `describe`, module.rs). */
export const CoreExternKind = z.enum(['func', 'memory', 'table', 'global', 'tag']);
/** The kinds of a component's top-level items (Rust `item_kind`, component.rs). */
export const ComponentItemKind = z.enum(['func', 'core-func', 'module', 'component', 'instance', 'type', 'resource']);

/** An import or export of a module or component (Rust `ExternSummary`). */
export const ExternSummary = z.object({
  /** Import module name (empty for exports and for component items). */
  module: z.string(),
  name: z.string(),
  kind: z.union([CoreExternKind, ComponentItemKind]),
  /** For functions: `(i32, i32) -> (i64)`. */
  signature: z.string().nullish(),
});
/** An import or export. */
export type ExternSummary = z.infer<typeof ExternSummary>;

/** What a call ended in, on the Rust side: `exit` is a command's `proc_exit`. */
export const AddonStatus = z.enum(['ok', 'guest-error', 'trap', 'timeout', 'exit', 'error']);
/** One of the addon's statuses. */
export type AddonStatus = z.infer<typeof AddonStatus>;

/** The addon's trap kinds: the model's, plus `interrupt`, which the harness reports as a timeout. */
export const AddonTrapKind = z.enum([...TrapKind.options, 'interrupt']);
/** One of the addon's trap kinds. */
export type AddonTrapKind = z.infer<typeof AddonTrapKind>;

/** What every addon call returns (Rust `CallOutcome`, runtimes/addon/src/outcome.rs). */
export const AddonOutcome = z.object({
  status: AddonStatus,
  /** The stable trap kind when `status` is `trap` (`interrupt` for `timeout`). */
  trap: AddonTrapKind.nullish(),
  message: z.string().nullish(),
  values: z.array(WasmValue).nullish(),
  /** Dispatcher payload (status byte removed). */
  output: z.custom<Buffer>((v) => Buffer.isBuffer(v)).nullish(),
  /** A command's exit code, or the code a `proc_exit` outside a command run gave (a `guest-error`). */
  exitCode: z.number().int().nullish(),
  /** `args` for an `error` about the call's arguments (count or value). */
  phase: z.string().nullish(),
  /** Wall time of the guest call itself, measured in Rust. */
  elapsedNs: z.number(),
});
/** What every addon call returns. */
export type AddonOutcome = z.infer<typeof AddonOutcome>;

/** A preopened folder (Rust `Preopen`). */
export const AddonPreopen = z.object({ host: z.string(), guest: z.string() });

/** The files an instance's stdout and stderr are written through to (Rust `OutputSpill`; see output-spill.ts). */
export const AddonOutputSpill = z.object({ stdout: z.string(), stderr: z.string() });

/** How an instance is set up (Rust `InstanceOptions`): what the protocol's InstanceSetup becomes. */
export const AddonInstanceOptions = z.object({
  wasi: z.boolean().optional(),
  args: z.array(z.string()).optional(),
  env: z.array(z.string()).optional(),
  preopens: z.array(AddonPreopen).optional(),
  stdin: z.custom<Buffer>((v) => Buffer.isBuffer(v)).optional(),
  outputCapBytes: z.number().int().optional(),
  benchHooks: z.boolean().optional(),
  /** Stubs for the module's platform imports (Rust `HostImport`). */
  hostImports: z.array(HostImport).optional(),
  /** Files stdout and stderr are written through to as the guest writes (Rust `OutputSpill`). */
  outputSpill: AddonOutputSpill.optional(),
});
/** Instance set-up as the addon takes it. */
export type InstanceOptions = z.infer<typeof AddonInstanceOptions>;

/** A compiled module (Rust `Module`). */
export interface AddonModule {
  imports(): ExternSummary[];
  exports(): ExternSummary[];
  serialize(): Buffer;
}

/** An instance with its store (Rust `Instance`). */
export interface AddonInstance {
  hasExport(name: string): boolean;
  initialize(timeoutMs?: number | null): AddonOutcome;
  callExport(name: string, args: WasmValue[], timeoutMs?: number | null, fuel?: number | null): AddonOutcome;
  invoke(name: string, input: Buffer, timeoutMs?: number | null, fuel?: number | null): AddonOutcome;
  /** Timing-loop variants: the guest call's ns, or a thrown `status:trap:message`. */
  callExportTimed(name: string, args: WasmValue[], timeoutMs?: number | null, fuel?: number | null): number;
  invokeTimed(name: string, input: Buffer, timeoutMs?: number | null, fuel?: number | null): number;
  describe(timeoutMs?: number | null): AddonOutcome;
  runCommand(timeoutMs?: number | null, fuel?: number | null): AddonOutcome;
  stdout(): Buffer;
  stderr(): Buffer;
  /** Whether the guest wrote more than the output cap (what is past it was cut). */
  stdoutTruncated(): boolean;
  stderrTruncated(): boolean;
  benchLoop(name: string, iterations: number): number;
  takeBenchRegions(): number[];
  /** How often `bench.start` and `bench.end` were called so far (`[starts, ends]`), drained. */
  takeBenchMarks(): number[];
  /** Calls of `record` host imports so far, drained. */
  takeHostCalls(): { module: string; name: string; args: WasmValue[] }[];
}

/** A compiled component (runtimes/addon/src/component.rs). */
export interface AddonComponent {
  /** `dispatcher`, `command` or `other` (matches neither supported world). */
  readonly world: 'dispatcher' | 'command' | 'other' | string;
  /** Top-level imports and exports: interface names with versions. */
  imports(): ExternSummary[];
  exports(): ExternSummary[];
  serialize(): Buffer;
}

/** An engine (Rust `Engine`). */
export interface AddonEngine {
  readonly compatibilityHash: string;
  compile(bytes: Buffer): AddonModule;
  precompile(bytes: Buffer): Buffer;
  integrityRecord(cwasm: Buffer): AddonIntegrityRecord;
  deserialize(cwasm: Buffer, record: AddonIntegrityRecord): AddonModule;
  instantiate(module: AddonModule, options?: InstanceOptions | null): AddonInstance;
  /** The layer field says component (bytes 6-7 of the header). */
  isComponent(bytes: Buffer): boolean;
  compileComponent(bytes: Buffer): AddonComponent;
  precompileComponent(bytes: Buffer): Buffer;
  deserializeComponent(cwasm: Buffer, record: AddonIntegrityRecord): AddonComponent;
  /** The same call surface as a core instance; WASI preview 2 is always linked. */
  instantiateComponent(component: AddonComponent, options?: InstanceOptions | null): AddonInstance;
}

/** What a runtime's `.node` exports. */
export interface RuntimeAddon {
  wasmtimeVersion(): string;
  addonAbiVersion(): number;
  Engine: new (options?: EngineOptions | null) => AddonEngine;
  /** Counted regions for callgrind on or off (runtimes/addon/src/counting.rs); absent in addons built before issue 17. */
  countRegions?(on: boolean): void;
  /** Dumps callgrind's counts since the last dump under `label`; false when not under valgrind. */
  callgrindDump?(label: string): boolean;
  /** 0 when not under valgrind. */
  runningOnValgrind?(): number;
  /** Whether the addon can issue valgrind client requests (x86-64 builds). */
  clientRequestsSupported?(): boolean;
}

/** Loads a runtime's addon into this process. Call once per process. */
export function loadAddon(runtime: Runtime): RuntimeAddon {
  if (!existsSync(runtime.addonPath)) {
    throw new NotBuiltError(
      `the addon of ${runtime.id} is not built (${runtime.addonPath} is missing); build it with: npm run build`,
    );
  }
  const addon = createRequire(import.meta.url)(runtime.addonPath) as RuntimeAddon;
  const abi = addon.addonAbiVersion();
  if (abi !== ADDON_ABI_VERSION) {
    throw new NotBuiltError(`the addon of ${runtime.id} speaks ABI ${abi}, this harness ${ADDON_ABI_VERSION}; rebuild it with: npm run build`);
  }
  const linked = addon.wasmtimeVersion();
  if (linked !== runtime.wasmtime) {
    throw new NotBuiltError(
      `the addon of ${runtime.id} links Wasmtime ${linked} but the manifest pins ${runtime.wasmtime}; rebuild it with: npm run build`,
    );
  }
  return addon;
}
