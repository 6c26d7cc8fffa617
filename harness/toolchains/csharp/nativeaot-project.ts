// The nativeaot-llvm projects: the experimental ILCompiler.LLVM compiles the
// guest ahead of time to a wasip1 core module (a reactor library exporting
// guest ABI v1, or a command for command suites), or, on the `component` route
// (flavor nativeaot-llvm-p2), to the toolchain's default: a WASI preview 2
// component linked by wasm-component-ld (see nativeaot-component.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Suite } from '../../config/suite.js';
import type { BuildOptions } from '../flavor.js';
import { csharpSources, findBuilt, GUEST_ASSEMBLY, guestDefines } from './build-common.js';
import { type DotnetPlan, type PlanRequest, userProject, writeGlobalJson } from './dotnet-build.js';
import {
  DOTNET_EXPERIMENTAL_FEED,
  ILCOMPILER_HOSTS,
  ILCOMPILER_LLVM_PACKAGE,
  ILCOMPILER_LLVM_VERSION,
  ilcompilerRuntimePackage,
  NUGET_ORG_FEED,
} from './pins.js';
import { type Item, nugetConfigXml, type PackageRef, type Properties, projectXml, type Target } from './project-xml.js';
import { GUEST_COMPONENT_WIT, writeGuestComponentWit } from './nativeaot-component.js';
import { componentExportsSource, DEFINE, dispatcherSdkSources, nativeAotExportsSource } from './sdk.js';

/** The nuget.config of a NativeAOT-LLVM project. */
export const NUGET_CONFIG = 'nuget.config';

/** MSBuild properties from the build options. */
export function nativeAotOptionProperties(suite: Suite, options: BuildOptions): Properties {
  return [
    ['DefineConstants', `$(DefineConstants);${guestDefines(DEFINE.nativeAot, suite, options).join(';')}`],
    ['IlcDisableReflection', String(!options.reflection)],
  ];
}

/** What a NativeAOT-LLVM build links: a wasip1 core module, or the upstream default, a component. */
export type NativeAotRoute = 'core' | 'component';

/** MSBuild properties of a NativeAOT-LLVM library (wasm32-unknown-wasip1 on the core route). */
export function nativeAotProperties(suite: Suite, options: BuildOptions, route: NativeAotRoute = 'core'): Properties {
  const library = suite.kind === 'dispatcher';
  return [
    ['TargetFramework', 'net10.0'],
    ['RuntimeIdentifier', 'wasi-wasm'],
    ['OutputType', library ? 'Library' : 'Exe'],
    ...(library ? ([['NativeLib', 'Shared']] as Properties) : []),
    ['AssemblyName', GUEST_ASSEMBLY],
    ['Configuration', options.configuration],
    ['PublishTrimmed', 'true'],
    ['SelfContained', 'true'],
    ['UseAppHost', 'false'],
    // The wasm-tools workload is listed as a dependency though unused; resolving it breaks the build.
    ['MSBuildEnableWorkloadResolver', 'false'],
    // Keep the Mono WASI SDK tooling (wasi-experimental's WasiApp targets) out of an AOT build.
    ['IsWasiProject', 'false'],
    ['WasmGenerateAppBundle', 'false'],
    // A core wasip1 module; the default links a wasip2 component. Not enough alone: see nativeAotTargets.
    ...(route === 'core' ? ([['IlcLlvmTarget', 'wasm32-unknown-wasip1']] as Properties) : []),
    ['InvariantGlobalization', 'true'],
    ['AllowUnsafeBlocks', 'true'],
    ['EnableDefaultCompileItems', 'false'],
    ...nativeAotOptionProperties(suite, options),
  ];
}

/**
 * Targets that make the link a core module a preview1 host runs. The framework's
 * `SetupOSSpecificProps` adds every `$(IlcFrameworkNativePath)*.wit` as WasmComponentTypeWit,
 * which become component-type link arguments whatever IlcLlvmTarget says; we remove the
 * items right after that target adds them. A Library has no entry point, so the SDK's
 * EntryPoint root mode for the main assembly fails the trimmer with IL1034; it is rooted
 * as a library instead (the workaround of dotnet/linker#3165). Sources: README.md here.
 */
export function nativeAotTargets(suite: Suite, route: NativeAotRoute = 'core'): Target[] {
  const targets: Target[] = [];
  if (route === 'core') {
    targets.push({
      name: 'WasmMatrixCoreModule',
      hook: { AfterTargets: 'SetupOSSpecificProps' },
      items: [{ type: 'WasmComponentTypeWit', attributes: { Remove: '@(WasmComponentTypeWit)' } }],
    });
  }
  if (suite.kind === 'dispatcher') {
    targets.push({
      name: 'WasmMatrixLibraryRoot',
      hook: { AfterTargets: 'PrepareForILLink' },
      items: [{ type: 'TrimmerRootAssembly', attributes: { Update: '@(TrimmerRootAssembly)', Condition: " '%(RootMode)' == 'EntryPoint' ", RootMode: 'Library' } }],
    });
  }
  return targets;
}

/**
 * The component route's extra item: the dispatcher world's WIT, which the ILCompiler's
 * link passes to wasm-component-ld as component type next to the framework's own.
 */
export const guestWitItem = (): Item => ({ type: 'WasmComponentTypeWit', include: GUEST_COMPONENT_WIT });

/** MSBuild items: the SDK, the exports and the suite sources (and the world's WIT for a component). */
export function nativeAotItems(suite: Suite, route: NativeAotRoute = 'core'): Item[] {
  const compile = (include: string): Item => ({ type: 'Compile', include });
  if (suite.kind === 'command') return csharpSources(suite).map(compile);
  const exports = route === 'core' ? nativeAotExportsSource() : componentExportsSource();
  return [
    ...dispatcherSdkSources().map(compile),
    compile(exports),
    ...csharpSources(suite).map(compile),
    ...(route === 'component' ? [guestWitItem()] : []),
  ];
}

/** The host's .NET RID when the ILCompiler has a package for it. */
export const ilcompilerHostRid = (): string | undefined => ILCOMPILER_HOSTS[`${process.platform}-${process.arch}`];

/** The ILCompiler packages for the host's runtime identifier. */
export function nativeAotPackages(hostRid: string): PackageRef[] {
  return [
    { id: ILCOMPILER_LLVM_PACKAGE, version: ILCOMPILER_LLVM_VERSION },
    { id: ilcompilerRuntimePackage(hostRid), version: ILCOMPILER_LLVM_VERSION },
  ];
}

/** nuget.org for everything, dotnet-experimental for exactly the ILCompiler packages (source mapping). */
export function nativeAotNugetConfig(): string {
  const rids = [...Object.values(ILCOMPILER_HOSTS), 'wasi-wasm'];
  return nugetConfigXml([
    { key: 'nuget.org', url: NUGET_ORG_FEED, patterns: ['*'] },
    { key: 'dotnet-experimental', url: DOTNET_EXPERIMENTAL_FEED, patterns: [ILCOMPILER_LLVM_PACKAGE, ...rids.map(ilcompilerRuntimePackage)] },
  ]);
}

/** The project files and commands of a NativeAOT-LLVM build. */
export function planNativeAotBuild(req: PlanRequest, sdkVersion: string, hostRid: string, route: NativeAotRoute = 'core'): DotnetPlan {
  const { suite, options, workDir } = req;
  mkdirSync(workDir, { recursive: true });
  writeGlobalJson(workDir, sdkVersion);
  // Relative to the project (MSBuild item paths), so it sits next to it in the work dir.
  const witItems = route === 'component' && suite.kind === 'dispatcher' ? (writeGuestComponentWit(workDir), [guestWitItem()]) : [];
  const common = ['-c', options.configuration, '-r', 'wasi-wasm', '-nologo'];
  let projectFile: string;
  let assemblyName = GUEST_ASSEMBLY;
  let extra: string[] = [];
  if (options.projectPath) {
    // The user's project brings its own package references and nuget.config.
    const user = userProject(req, nativeAotOptionProperties(suite, options), { items: witItems.map((i) => ({ ...i, include: join(workDir, i.include) })), targets: nativeAotTargets(suite, route) });
    ({ projectFile, assemblyName } = user);
    extra = user.args;
  } else {
    writeFileSync(join(workDir, NUGET_CONFIG), nativeAotNugetConfig());
    projectFile = join(workDir, `${GUEST_ASSEMBLY}.csproj`);
    writeFileSync(projectFile, projectXml(nativeAotProperties(suite, options, route), nativeAotItems(suite, route), nativeAotPackages(hostRid), nativeAotTargets(suite, route)));
  }
  return {
    projectFile,
    args: ['publish', projectFile, ...common, ...extra],
    expected: join(workDir, 'bin', options.configuration, 'net10.0', 'wasi-wasm', 'publish', `${assemblyName}.wasm`),
    built: () => findBuilt(join(workDir, 'bin', options.configuration), ['wasi-wasm', 'publish'], `${assemblyName}.wasm`),
  };
}
