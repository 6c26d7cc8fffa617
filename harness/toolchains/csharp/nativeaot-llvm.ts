// Flavor nativeaot-llvm: the experimental NativeAOT-LLVM compiler turns the
// guest into a wasm reactor ahead of time. Lifecycle reactor: `_initialize`
// must run before the first call.
import type { Detection, Flavor } from '../flavor.js';
import { provisionArchive, ProvisionError } from '../provision/index.js';
import { failure, sourcesProblem } from './build-common.js';
import { compareVersions, describeInstalls, findDotnetInstalls, pickSdk } from './dotnet.js';
import { type DotnetToolchain, runDotnetPlan } from './dotnet-build.js';
import { ilcompilerHostRid, planNativeAotBuild } from './nativeaot-project.js';
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

/** C# compiled ahead of time to wasm by the experimental NativeAOT-LLVM ILCompiler. */
export const nativeAotLlvmFlavor: Flavor = {
  id: 'nativeaot-llvm',
  language: 'csharp',
  target: 'wasm',
  lifecycle: 'reactor',
  detect: async () => (await resolveToolchain()).detection,
  provision,
  async build(request) {
    const problem = sourcesProblem(request.suite);
    if (problem) return failure(problem);
    const { detection, toolchain } = await resolveToolchain();
    if (!toolchain) return failure(`nativeaot-llvm is not available: ${detection.missing.join('; ')}`);
    const plan = planNativeAotBuild(request, toolchain.sdk, toolchain.hostRid);
    request.log(`nativeaot-llvm: .NET SDK ${toolchain.sdk}, ILCompiler.LLVM ${ILCOMPILER_LLVM_VERSION}, WASI SDK ${toolchain.wasiSdk.version}`);
    return runDotnetPlan(plan, toolchain, request);
  },
};
