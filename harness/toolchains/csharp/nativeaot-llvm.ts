// Flavors nativeaot-llvm and nativeaot-llvm-p2: the experimental NativeAOT-LLVM
// compiler turns the guest into wasm ahead of time: a wasip1 core module (a
// reactor whose `_initialize` must run before the first call), or the
// toolchain's default, a WASI preview 2 component (the `wasm-matrix:guest` world
// or a `wasi:cli/run` command). One toolchain, so one detection for both.
import type { Detection, Flavor } from '../flavor.js';
import { provisionArchive, ProvisionError } from '../provision/index.js';
import { failure, sourcesProblem } from './build-common.js';
import { compareVersions, describeInstalls, findDotnetInstalls, pickSdk } from './dotnet.js';
import { type DotnetToolchain, runDotnetPlan } from './dotnet-build.js';
import { ilcompilerHostRid, type NativeAotRoute, planNativeAotBuild } from './nativeaot-project.js';
import { guestWitSource } from './nativeaot-component.js';
import type { BuildRequest, BuildResult } from '../flavor.js';
import {
  DOTNET10_SDK,
  DOTNET_EXPERIMENTAL_FEED,
  ILCOMPILER_LLVM_VERSION,
  NATIVEAOT_MIN_SDK_MAJOR,
  PINNED_HOST,
  WASI_SDK_FOR_NATIVEAOT,
} from './pins.js';
import { findWasiSdk, sameMajor } from './wasi-sdk.js';

/** How to provision the NativeAOT-LLVM toolchain. */
export const NATIVEAOT_PROVISION_COMMAND = 'wasm-matrix toolchains provision nativeaot-llvm';
const host = (): string => `${process.platform}-${process.arch}`;
const newEnough = (v: string): boolean => compareVersions(v, `${NATIVEAOT_MIN_SDK_MAJOR}.0.100`) >= 0;

interface Resolved {
  detection: Detection;
  toolchain?: DotnetToolchain & { hostRid: string };
  hasSdk: boolean;
  hasWasiSdk: boolean;
}

async function resolveToolchain(): Promise<Resolved> {
  const missing: string[] = [];
  const versions: Record<string, string> = {};
  const hostRid = ilcompilerHostRid();
  if (!hostRid) missing.push(`a linux-x64 or windows-x64 host (the ILCompiler.LLVM packages exist only for those; this is ${host()})`);
  const installs = await findDotnetInstalls([DOTNET10_SDK.version]);
  const picked = pickSdk(installs, newEnough);
  if (picked) versions['dotnet-sdk'] = picked.sdk;
  else missing.push(`.NET SDK ${NATIVEAOT_MIN_SDK_MAJOR}.0 or newer (${describeInstalls(installs)})`);
  const wasiSdk = findWasiSdk(WASI_SDK_FOR_NATIVEAOT, (v) => sameMajor(v, WASI_SDK_FOR_NATIVEAOT.version));
  if (typeof wasiSdk === 'string') missing.push(`WASI SDK ${WASI_SDK_FOR_NATIVEAOT.version.split('.')[0]} (${wasiSdk})`);
  else versions['wasi-sdk'] = wasiSdk.version;
  // Restored from the feed at build time; the pin is part of every artifact hash.
  versions['ilcompiler-llvm'] = ILCOMPILER_LLVM_VERSION;

  const detection: Detection = {
    available: missing.length === 0,
    versions,
    missing,
    howToGet: `the ILCompiler.LLVM ${ILCOMPILER_LLVM_VERSION} packages are restored at build time from ${DOTNET_EXPERIMENTAL_FEED}, which must be reachable`,
  };
  if (missing.length && hostRid) detection.provisionCommand = NATIVEAOT_PROVISION_COMMAND;
  const toolchain = hostRid && picked && typeof wasiSdk !== 'string' ? { ...picked, wasiSdk, hostRid } : undefined;
  return { detection, toolchain, hasSdk: !!picked, hasWasiSdk: typeof wasiSdk !== 'string' };
}

async function provision(log: (line: string) => void): Promise<void> {
  const state = await resolveToolchain();
  if (state.toolchain) return void log('nativeaot-llvm: everything is already in place');
  if (!ilcompilerHostRid()) throw new ProvisionError(state.detection.missing.join('; '));
  if (host() !== PINNED_HOST && (!state.hasSdk || !state.hasWasiSdk)) {
    throw new ProvisionError(`no pinned downloads for ${host()}: install a .NET SDK 10 and set WASI_SDK_PATH to a WASI SDK 29`);
  }
  if (!state.hasSdk) await provisionArchive(DOTNET10_SDK, log);
  if (!state.hasWasiSdk) await provisionArchive(WASI_SDK_FOR_NATIVEAOT, log);
}

/** Builds one route: a clear failure naming what is missing, else the dotnet publish of the plan. */
async function buildRoute(id: string, route: NativeAotRoute, request: BuildRequest): Promise<BuildResult> {
  const problem = sourcesProblem(request.suite);
  if (problem) return failure(problem);
  const { detection, toolchain } = await resolveToolchain();
  if (!toolchain) return failure(`${id} is not available: ${detection.missing.join('; ')}`);
  const plan = planNativeAotBuild(request, toolchain.sdk, toolchain.hostRid, route);
  request.log(`${id}: .NET SDK ${toolchain.sdk}, ILCompiler.LLVM ${ILCOMPILER_LLVM_VERSION}, WASI SDK ${toolchain.wasiSdk.version}`);
  return runDotnetPlan(plan, toolchain, request);
}

/** C# compiled ahead of time to a wasip1 core module by the experimental NativeAOT-LLVM ILCompiler. */
export const nativeAotLlvmFlavor: Flavor = {
  id: 'nativeaot-llvm',
  language: 'csharp',
  target: 'wasm',
  lifecycle: 'reactor',
  detect: async () => (await resolveToolchain()).detection,
  provision,
  build: (request) => buildRoute('nativeaot-llvm', 'core', request),
};

/** The same compiler's default output: a WASI preview 2 component, linked by wasm-component-ld. */
export const nativeAotLlvmP2Flavor: Flavor = {
  id: 'nativeaot-llvm-p2',
  language: 'csharp',
  target: 'wasm',
  lifecycle: 'reactor',
  extraInputs: [guestWitSource()],
  detect: async () => (await resolveToolchain()).detection,
  provision,
  build: (request) => buildRoute('nativeaot-llvm-p2', 'component', request),
};
