// Every pinned version of the C# toolchains, in one place.
//
// When updating a pin, take the sum from the publisher and verify it against
// the downloaded file (`sha256sum` / `sha512sum`) before committing: the
// harness refuses any download whose sum differs, so a wrong sum fails safe
// but blocks provisioning.
import type { PinnedArchive } from '../provision/index.js';

/** Host a pinned download exists for (`process.platform-process.arch`). */
export const PINNED_HOST = 'linux-x64';

/**
 * .NET 8 SDK of the 8.0.1xx band, the band whose wasi-experimental workload the
 * mono-interp flavor is built on. Sum: SHA-512 from dotnet/core
 * release-notes/8.0/8.0.22/release.json (Microsoft publishes SHA-512 only).
 */
export const DOTNET8_SDK: PinnedArchive = {
  name: 'dotnet-sdk',
  version: '8.0.122',
  url: 'https://builds.dotnet.microsoft.com/dotnet/Sdk/8.0.122/dotnet-sdk-8.0.122-linux-x64.tar.gz',
  digest: {
    algorithm: 'sha512',
    hex: '336cc2e03fe332db214955f4b87d1122f08607638e71389fb2bb3030dc9fda2d562fd862a47195f96b7d98f34c630692863c7885d2cb70ee42aa46e8b5ef5da6',
  },
  digestSource: 'the "hash" (SHA-512) of dotnet-sdk-linux-x64.tar.gz in dotnet/core release-notes/8.0/8.0.22/release.json',
};

/** .NET 10 SDK that drives the NativeAOT-LLVM ILCompiler. Sum: release-notes/10.0/10.0.1/release.json. */
export const DOTNET10_SDK: PinnedArchive = {
  name: 'dotnet-sdk',
  version: '10.0.101',
  url: 'https://builds.dotnet.microsoft.com/dotnet/Sdk/10.0.101/dotnet-sdk-10.0.101-linux-x64.tar.gz',
  digest: {
    algorithm: 'sha512',
    hex: '0443602455d30af51c819d7805e9b45550101c3718acbb3ec5f991e73d18e79b18fb5bc7cdf77bc308936a96275176b23a56e96133e7de83ae60ca2240bc602f',
  },
  digestSource: 'the "hash" (SHA-512) of dotnet-sdk-linux-x64.tar.gz in dotnet/core release-notes/10.0/10.0.1/release.json',
};

/** The SDK band mono-interp requires: the wasi-experimental workload only exists for .NET 8. */
export const MONO_SDK_BAND = /^8\.0\.1\d\d$/;
/** The .NET 8 workload of the Mono interpreter for wasi-wasm. */
export const MONO_WORKLOAD = 'wasi-experimental';

/** How to supply a WASI SDK the harness cannot download verified. */
export const WASI_SDK_20_BY_HAND =
  'download wasi-sdk-20.0-linux.tar.gz yourself, verify it, extract it and set WASI_SDK_PATH to the folder (its VERSION file must say 20.x)';

/**
 * WASI SDK for the .NET 8 Mono relink. .NET 8's WasiApp.Native.targets links
 * `$(WasiSysRoot)\lib\wasm32-wasi\libc++.a`, a layout later WASI SDKs dropped, so this
 * stays on 20.0. No digest of it could be sourced: the wasi-sdk-20 release publishes no
 * checksum file, and no independent record of the archive's sha256 was found. So the
 * harness never downloads it: provisioning refuses (saying this), `doctor` says so, and
 * WASI_SDK_PATH from the user is accepted once its VERSION file says 20.x.
 */
export const WASI_SDK_FOR_MONO: PinnedArchive = {
  name: 'wasi-sdk',
  version: '20.0',
  url: 'https://github.com/WebAssembly/wasi-sdk/releases/download/wasi-sdk-20/wasi-sdk-20.0-linux.tar.gz',
  digest: { algorithm: 'sha256', hex: 'unpinned' },
  noDigest: `no published or independently recorded sha256 of this archive could be sourced, so it is never downloaded; ${WASI_SDK_20_BY_HAND}`,
  stripComponents: 1,
};

/**
 * WASI SDK 29, the one NativeAOT-LLVM 10.0 expects (`_ExpectedWasiSdkVersions` 29.0 in
 * runtimelab's Microsoft.NETCore.Native.Wasm.targets). sha256 of the release archive.
 */
export const WASI_SDK_FOR_NATIVEAOT: PinnedArchive = {
  name: 'wasi-sdk',
  version: '29.0',
  url: 'https://github.com/WebAssembly/wasi-sdk/releases/download/wasi-sdk-29/wasi-sdk-29.0-x86_64-linux.tar.gz',
  digest: { algorithm: 'sha256', hex: '87d1d1a2879d139cdc624b968efad3d4a97b8078cdff95e63ac88ecafd1a0171' },
  digestSource:
    'the same sha256 for this URL is recorded independently in several public build files (for example a Bazel http_archive of wasi_sdk_linux, and verified-download CI scripts that run `sha256sum --check --strict` on it); wasi-sdk publishes no checksum file',
  stripComponents: 1,
};

/** NativeAOT-LLVM compiler packages (both must have the same version), from dotnet-experimental. */
export const ILCOMPILER_LLVM_VERSION = '10.0.0-rc.1.26306.1';
/** The NativeAOT-LLVM compiler package. */
export const ILCOMPILER_LLVM_PACKAGE = 'Microsoft.DotNet.ILCompiler.LLVM';
/** The host-specific compiler package, e.g. runtime.linux-x64.Microsoft.DotNet.ILCompiler.LLVM. */
export const ilcompilerRuntimePackage = (rid: string): string => `runtime.${rid}.${ILCOMPILER_LLVM_PACKAGE}`;
/** Hosts the ILCompiler runs on (node platform-arch -> .NET RID): only these have runtime packages. */
export const ILCOMPILER_HOSTS: Record<string, string> = { 'linux-x64': 'linux-x64', 'win32-x64': 'win-x64' };
/** The feed the NativeAOT-LLVM packages come from. */
export const DOTNET_EXPERIMENTAL_FEED = 'https://pkgs.dev.azure.com/dnceng/public/_packaging/dotnet-experimental/nuget/v3/index.json';
/** nuget.org, for everything else. */
export const NUGET_ORG_FEED = 'https://api.nuget.org/v3/index.json';
/** Minimum .NET SDK for NativeAOT-LLVM 10.0 packages. */
export const NATIVEAOT_MIN_SDK_MAJOR = 10;
