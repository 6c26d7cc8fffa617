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
};

/** The SDK band mono-interp requires: the wasi-experimental workload only exists for .NET 8. */
export const MONO_SDK_BAND = /^8\.0\.1\d\d$/;
/** The .NET 8 workload of the Mono interpreter for wasi-wasm. */
export const MONO_WORKLOAD = 'wasi-experimental';

/**
 * WASI SDK for the .NET 8 Mono relink. .NET 8's WASI targets link
 * `$(WasiSysRoot)/lib/wasm32-wasi/...`, a layout later WASI SDKs dropped, so
 * this stays on 20.0. Its sum is NOT pinned yet: it could not be taken from
 * the publisher while writing this, and provisioning refuses until it is
 * (fill in the sha256 of wasi-sdk-20.0-linux.tar.gz after verifying it).
 */
export const WASI_SDK_FOR_MONO: PinnedArchive = {
  name: 'wasi-sdk',
  version: '20.0',
  url: 'https://github.com/WebAssembly/wasi-sdk/releases/download/wasi-sdk-20/wasi-sdk-20.0-linux.tar.gz',
  digest: { algorithm: 'sha256', hex: 'unpinned' },
  stripComponents: 1,
};

/** WASI SDK 29, the one NativeAOT-LLVM 10.0 is built and tested with. */
export const WASI_SDK_FOR_NATIVEAOT: PinnedArchive = {
  name: 'wasi-sdk',
  version: '29.0',
  url: 'https://github.com/WebAssembly/wasi-sdk/releases/download/wasi-sdk-29/wasi-sdk-29.0-x86_64-linux.tar.gz',
  digest: { algorithm: 'sha256', hex: '87d1d1a2879d139cdc624b968efad3d4a97b8078cdff95e63ac88ecafd1a0171' },
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
