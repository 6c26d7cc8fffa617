// The napi surface every pinned runtime addon exposes (runtimes/addon/src).
// Loading checks the ABI version and the linked Wasmtime version, so a stale
// or foreign `.node` fails with a clear message instead of a strange one.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Runtime } from '../config/runtimes.js';
import { NotBuiltError } from '../errors.js';

export const ADDON_ABI_VERSION = 1;

export interface EngineOptions {
  optLevel?: 'none' | 'speed' | 'speed-and-size';
  fuel?: boolean;
  epochInterruption?: boolean;
  maxWasmStack?: number;
  memoryLimitBytes?: number;
}

export interface IntegrityRecord {
  sha256: string;
  compatibilityHash: string;
  wasmtimeVersion: string;
}

export interface WasmValue {
  type: 'i32' | 'i64' | 'f32' | 'f64' | string;
  value: string;
  bits?: string | null;
}

export interface ExternSummary {
  module: string;
  name: string;
  kind: 'func' | 'memory' | 'table' | 'global' | 'tag' | string;
  signature?: string | null;
}

/** What every addon call returns; see runtimes/addon/src/outcome.rs. */
export interface AddonOutcome {
  status: 'ok' | 'guest-error' | 'trap' | 'timeout' | 'error' | string;
  trap?: string | null;
  message?: string | null;
  values?: WasmValue[] | null;
  output?: Buffer | null;
  exitCode?: number | null;
  /** `args` for an `error` about the call's arguments (count or value). */
  phase?: string | null;
  elapsedNs: number;
}

export interface InstanceOptions {
  wasi?: boolean;
  args?: string[];
  env?: string[];
  preopens?: { host: string; guest: string }[];
  stdin?: Buffer;
  outputCapBytes?: number;
  benchHooks?: boolean;
  hostImports?: { module: string; name: string; params: string[]; results: string[]; behavior: string; values?: WasmValue[] }[];
}

export interface AddonModule {
  imports(): ExternSummary[];
  exports(): ExternSummary[];
  serialize(): Buffer;
}

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

export interface AddonEngine {
  readonly compatibilityHash: string;
  compile(bytes: Buffer): AddonModule;
  precompile(bytes: Buffer): Buffer;
  integrityRecord(cwasm: Buffer): IntegrityRecord;
  deserialize(cwasm: Buffer, record: IntegrityRecord): AddonModule;
  instantiate(module: AddonModule, options?: InstanceOptions | null): AddonInstance;
  /** The layer field says component (bytes 6-7 of the header). */
  isComponent(bytes: Buffer): boolean;
  compileComponent(bytes: Buffer): AddonComponent;
  precompileComponent(bytes: Buffer): Buffer;
  deserializeComponent(cwasm: Buffer, record: IntegrityRecord): AddonComponent;
  /** The same call surface as a core instance; WASI preview 2 is always linked. */
  instantiateComponent(component: AddonComponent, options?: InstanceOptions | null): AddonInstance;
}

export interface RuntimeAddon {
  wasmtimeVersion(): string;
  addonAbiVersion(): number;
  Engine: new (options?: EngineOptions | null) => AddonEngine;
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
