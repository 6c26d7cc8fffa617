// What mono-interp needs (.NET SDK 8.0.1xx, its wasi-experimental workload, a
// WASI SDK), how to tell whether it is there, and how to install it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Detection } from '../flavor.js';
import { provisionArchive, ProvisionError, toolchainDir } from '../provision/index.js';
import { type DotnetInstall, describeInstalls, dotnetEnv, findDotnetInstalls, installedWorkloads, pickSdk } from './dotnet.js';
import { type DotnetToolchain, writeGlobalJson } from './dotnet-build.js';
import { DOTNET8_SDK, MONO_SDK_BAND, MONO_WORKLOAD, PINNED_HOST, WASI_SDK_FOR_MONO } from './pins.js';
import { runTool } from './run-tool.js';
import { findWasiSdk, sameMajor } from './wasi-sdk.js';

/** How to provision the Mono-interpreter toolchain. */
export const MONO_PROVISION_COMMAND = 'wasm-matrix toolchains provision mono-interp';
const host = (): string => `${process.platform}-${process.arch}`;

/** The WASI SDK version the installed .NET 8 WASI pack says it expects, when it says so. */
export function expectedWasiSdkVersion(dotnetRoot: string): string | undefined {
  const packs = join(dotnetRoot, 'packs', 'Microsoft.NET.Runtime.WebAssembly.Wasi.Sdk');
  if (!existsSync(packs)) return undefined;
  for (const version of readdirSync(packs).filter((v) => v.startsWith('8.'))) {
    const sdkDir = join(packs, version, 'Sdk');
    if (!existsSync(sdkDir)) continue;
    for (const file of readdirSync(sdkDir).filter((f) => f.endsWith('.targets') || f.endsWith('.props'))) {
      const m = /<_?ExpectedWasiSdkVersion[^>]*>\s*([\d.]+)\s*</.exec(readFileSync(join(sdkDir, file), 'utf8'));
      if (m) return m[1];
    }
  }
  return undefined;
}

/** The .NET 8 SDK with its workload and WASI SDK, or what is missing. */
export interface Resolved {
  detection: Detection;
  toolchain?: DotnetToolchain;
  /** For provisioning: the SDK found, even when something else is missing. */
  sdk?: { install: DotnetInstall; sdk: string };
  hasWorkload: boolean;
  hasWasiSdk: boolean;
}

/** Finds the Mono-interpreter toolchain. */
export async function resolveMonoToolchain(): Promise<Resolved> {
  const missing: string[] = [];
  const versions: Record<string, string> = {};
  const installs = await findDotnetInstalls([DOTNET8_SDK.version]);
  const picked = pickSdk(installs, (v) => MONO_SDK_BAND.test(v));
  let hasWorkload = false;
  if (!picked) {
    missing.push(`.NET SDK 8.0.1xx (${describeInstalls(installs)})`);
    missing.push(`dotnet workload ${MONO_WORKLOAD} (needs the .NET SDK 8.0.1xx first)`);
  } else {
    versions['dotnet-sdk'] = picked.sdk;
    const workload = (await installedWorkloads(picked.install, picked.sdk)).get(MONO_WORKLOAD);
    hasWorkload = workload !== undefined;
    if (workload) versions[MONO_WORKLOAD] = workload;
    else missing.push(`dotnet workload ${MONO_WORKLOAD} for SDK ${picked.sdk} (not in \`dotnet workload list\` of ${picked.install.executable})`);
  }
  // .NET 8 links against the WASI SDK's lib/wasm32-wasi layout: take the version its pack
  // names, else the pinned major.
  const wanted = (picked && expectedWasiSdkVersion(picked.install.root)) ?? WASI_SDK_FOR_MONO.version;
  const wasiSdk = findWasiSdk(WASI_SDK_FOR_MONO, (v) => sameMajor(v, wanted));
  if (typeof wasiSdk === 'string') missing.push(`WASI SDK ${wanted.split('.')[0]}.x (${wasiSdk})`);
  else versions['wasi-sdk'] = wasiSdk.version;

  const detection: Detection = { available: missing.length === 0, versions, missing };
  if (missing.length) {
    detection.provisionCommand = MONO_PROVISION_COMMAND;
    // The WASI SDK is the one part `toolchains provision` cannot fetch verified.
    if (typeof wasiSdk === 'string') detection.howToGet = `WASI SDK ${wanted}: ${WASI_SDK_FOR_MONO.noDigest}`;
    if (host() !== PINNED_HOST) {
      detection.howToGet = `no pinned downloads for ${host()}: install a .NET SDK 8.0.1xx, run \`dotnet workload install ${MONO_WORKLOAD}\`, and set WASI_SDK_PATH to a WASI SDK ${wanted}`;
    }
  }
  const toolchain = picked && hasWorkload && typeof wasiSdk !== 'string' ? { ...picked, wasiSdk } : undefined;
  return { detection, toolchain, sdk: picked, hasWorkload, hasWasiSdk: typeof wasiSdk !== 'string' };
}

async function installWorkload(install: DotnetInstall, sdk: string, log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wm-workload-'));
  try {
    writeGlobalJson(dir, sdk);
    // --skip-manifest-update keeps the workload at the version the pinned SDK ships with.
    const run = await runTool(install.executable, ['workload', 'install', MONO_WORKLOAD, '--skip-manifest-update'], {
      cwd: dir,
      env: dotnetEnv(install),
      log,
    });
    if (run.exitCode !== 0) {
      const sudo = install.where === 'cache' ? '' : ' (a system-wide dotnet may need it run with sudo)';
      throw new ProvisionError(`\`${run.commandLine}\` failed with exit code ${run.exitCode}${sudo}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Installs what is missing: the pinned SDK, its wasi-experimental workload, the WASI SDK. */
export async function provisionMono(log: (line: string) => void): Promise<void> {
  const state = await resolveMonoToolchain();
  if (state.toolchain) return void log('mono-interp: everything is already in place');
  if (host() !== PINNED_HOST && (!state.sdk || !state.hasWasiSdk)) throw new ProvisionError(state.detection.howToGet ?? `no pinned downloads for ${host()}`);
  const problems: string[] = [];
  const attempt = async (step: () => Promise<unknown>): Promise<void> => {
    try {
      await step();
    } catch (e) {
      problems.push((e as Error).message);
    }
  };
  let sdk = state.sdk;
  if (!sdk) {
    await attempt(() => provisionArchive(DOTNET8_SDK, log));
    sdk = (await resolveMonoToolchain()).sdk;
    if (!sdk) problems.push(`no .NET SDK 8.0.1xx in ${toolchainDir(DOTNET8_SDK.name, DOTNET8_SDK.version)} after provisioning`);
  }
  if (sdk && !state.hasWorkload) await attempt(() => installWorkload(sdk.install, sdk.sdk, log));
  if (!state.hasWasiSdk) await attempt(() => provisionArchive(WASI_SDK_FOR_MONO, log));
  if (problems.length) throw new ProvisionError(`mono-interp provisioning incomplete: ${problems.join('; ')}`);
}

