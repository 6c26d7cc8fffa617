// The projects the two .NET wasm flavors generate, read back as XML and
// checked property by property (no .NET SDK needed).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { OPTIONS_TARGETS } from '../csharp/dotnet-build.js';
import { MONO_PROGRAM, planMonoBuild } from '../csharp/mono-project.js';
import { NUGET_CONFIG, planNativeAotBuild } from '../csharp/nativeaot-project.js';
import { DOTNET_EXPERIMENTAL_FEED, ILCOMPILER_LLVM_VERSION, NUGET_ORG_FEED } from '../csharp/pins.js';
import { dispatcherSdkSources, monoBridgeSource, monoGlueSource, nativeAotExportsSource } from '../csharp/sdk.js';
import { ECHO_CASES, options, readNugetConfig, readOptionsTargets, readProject, removeTempDirs, tempDir, writeSuite } from './csharp-fixtures.js';

const dispatcher = writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES });
afterAll(removeTempDirs);

const command = writeSuite('command', { 'Program.cs': 'public static class GuestProgram { public static int Main(string[] a) { return 0; } }' });

describe('mono-interp project', () => {
  it('is a .NET 8 wasi-wasm single-file Exe with the SDK, bridge, glue and suite sources', () => {
    const workDir = tempDir('mono');
    const plan = planMonoBuild({ suite: dispatcher, options: options(), workDir }, '8.0.122');
    expect(plan.projectFile).toBe(join(workDir, 'WasmMatrixGuest.csproj'));
    const project = readProject(readFileSync(plan.projectFile, 'utf8'));
    expect(project.sdk).toBe('Microsoft.NET.Sdk');
    expect(project.properties).toEqual({
      TargetFramework: 'net8.0',
      RuntimeIdentifier: 'wasi-wasm',
      OutputType: 'Exe',
      AssemblyName: 'WasmMatrixGuest',
      Configuration: 'Release',
      WasmSingleFileBundle: 'true',
      InvariantGlobalization: 'true',
      PublishTrimmed: 'true',
      TrimMode: 'full',
      EnableDefaultCompileItems: 'false',
      DefineConstants: '$(DefineConstants);WASM_MATRIX_MONO_INTERP',
    });
    expect(project.items('Compile')).toEqual([
      ...dispatcherSdkSources(),
      monoBridgeSource(),
      join(dispatcher.dir, 'Cases.cs'),
      join(workDir, MONO_PROGRAM),
    ]);
    expect(project.items('NativeFileReference')).toEqual([monoGlueSource()]);
    // .NET 8 never links a NativeFileReference by itself (see harness/toolchains/csharp/README.md).
    expect(project.items('_WasmNativeFileForLinking')).toEqual(['@(NativeFileReference)']);
    for (const file of [...project.items('Compile'), ...project.items('NativeFileReference')]) expect(existsSync(file), file).toBe(true);
    expect(readFileSync(join(workDir, MONO_PROGRAM), 'utf8')).toMatch(/public static int Main\(string\[\] args\)[\s\S]*MonoBridge\.KeepForNativeCallers\(\)/);
    expect(JSON.parse(readFileSync(join(workDir, 'global.json'), 'utf8'))).toEqual({ sdk: { version: '8.0.122', rollForward: 'disable' } });
    // publish: trimming only runs there.
    expect(plan.args).toEqual(['publish', plan.projectFile, '-c', 'Release', '-nologo']);
    expect(plan.expected).toBe(join(workDir, 'bin', 'Release', 'net8.0', 'wasi-wasm', 'AppBundle', 'WasmMatrixGuest.wasm'));
  });

  it('follows Debug, the reflection toggle and extra defines', () => {
    const workDir = tempDir('mono');
    const plan = planMonoBuild({ suite: dispatcher, options: options({ configuration: 'Debug', reflection: false, defines: ['EXTRA_CASE', 'FAST'] }), workDir }, '8.0.122');
    const { properties } = readProject(readFileSync(plan.projectFile, 'utf8'));
    expect(properties.Configuration).toBe('Debug');
    expect(properties.DefineConstants).toBe('$(DefineConstants);WASM_MATRIX_MONO_INTERP;WASM_MATRIX_NO_REFLECTION;EXTRA_CASE;FAST');
    expect(plan.args).toEqual(['publish', plan.projectFile, '-c', 'Debug', '-nologo']);
  });

  it('builds a command suite from its own sources only (no SDK, no glue, no generated Main)', () => {
    const workDir = tempDir('mono');
    const plan = planMonoBuild({ suite: command, options: options(), workDir }, '8.0.122');
    const project = readProject(readFileSync(plan.projectFile, 'utf8'));
    expect(project.items('Compile')).toEqual([join(command.dir, 'Program.cs')]);
    expect(project.items('NativeFileReference')).toEqual([]);
    expect(project.items('_WasmNativeFileForLinking')).toEqual([]);
    expect(project.properties.DefineConstants).toBe('$(DefineConstants);WASM_MATRIX_MONO_INTERP;WASM_MATRIX_COMMAND');
    expect(existsSync(join(workDir, MONO_PROGRAM))).toBe(false);
  });

  it('uses a user-managed project as it is, passing the options through an imported targets file', () => {
    const workDir = tempDir('mono');
    const userDir = tempDir('user');
    const csproj = join(userDir, 'MyGuest.csproj');
    writeFileSync(csproj, '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><AssemblyName>Custom.Guest</AssemblyName></PropertyGroup></Project>');
    const plan = planMonoBuild({ suite: dispatcher, options: options({ projectPath: csproj, reflection: false, defines: ['X'] }), workDir }, '8.0.122');
    expect(plan.projectFile).toBe(csproj);
    expect(existsSync(join(workDir, 'WasmMatrixGuest.csproj'))).toBe(false);
    const targets = join(workDir, OPTIONS_TARGETS);
    expect(readOptionsTargets(readFileSync(targets, 'utf8'))).toEqual({
      DefineConstants: '$(DefineConstants);WASM_MATRIX_MONO_INTERP;WASM_MATRIX_NO_REFLECTION;X',
    });
    // The user's own NativeFileReference needs the same link fix.
    expect(readProject(readFileSync(targets, 'utf8').replace('<Project>', '<Project Sdk="">')).items('_WasmNativeFileForLinking')).toEqual(['@(NativeFileReference)']);
    expect(plan.args).toEqual([
      'publish',
      csproj,
      '-c',
      'Release',
      '-nologo',
      `-p:CustomBeforeMicrosoftCommonTargets=${targets}`,
      `-p:BaseOutputPath=${join(workDir, 'bin')}/`,
      `-p:BaseIntermediateOutputPath=${join(workDir, 'obj')}/`,
    ]);
    // The output is looked for under the user's AssemblyName, in the work dir.
    expect(plan.built()).toBeUndefined();
    const out = join(workDir, 'bin', 'Release', 'net8.0', 'wasi-wasm', 'AppBundle');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'Custom.Guest.wasm'), '');
    expect(plan.built()).toBe(join(out, 'Custom.Guest.wasm'));
  });

  it('refuses a define that is not a C# symbol', () => {
    expect(() => planMonoBuild({ suite: dispatcher, options: options({ defines: ['A;B'] }), workDir: tempDir('mono') }, '8.0.122')).toThrow(UsageError);
  });
});

describe('nativeaot-llvm project', () => {
  it('is a wasi-wasm NativeAOT-LLVM shared library with the pinned compiler packages', () => {
    const workDir = tempDir('aot');
    const plan = planNativeAotBuild({ suite: dispatcher, options: options(), workDir }, '10.0.101', 'linux-x64');
    const project = readProject(readFileSync(plan.projectFile, 'utf8'));
    expect(project.properties).toEqual({
      TargetFramework: 'net10.0',
      RuntimeIdentifier: 'wasi-wasm',
      OutputType: 'Library',
      NativeLib: 'Shared',
      AssemblyName: 'WasmMatrixGuest',
      Configuration: 'Release',
      PublishTrimmed: 'true',
      SelfContained: 'true',
      UseAppHost: 'false',
      MSBuildEnableWorkloadResolver: 'false',
      IsWasiProject: 'false',
      WasmGenerateAppBundle: 'false',
      IlcLlvmTarget: 'wasm32-unknown-wasip1',
      InvariantGlobalization: 'true',
      AllowUnsafeBlocks: 'true',
      EnableDefaultCompileItems: 'false',
      DefineConstants: '$(DefineConstants);WASM_MATRIX_NATIVEAOT_LLVM',
      IlcDisableReflection: 'false',
    });
    expect(project.items('Compile')).toEqual([...dispatcherSdkSources(), nativeAotExportsSource(), join(dispatcher.dir, 'Cases.cs')]);
    expect(project.items('NativeFileReference')).toEqual([]);
    expect(project.packages).toEqual([
      { id: 'Microsoft.DotNet.ILCompiler.LLVM', version: ILCOMPILER_LLVM_VERSION },
      { id: 'runtime.linux-x64.Microsoft.DotNet.ILCompiler.LLVM', version: ILCOMPILER_LLVM_VERSION },
    ]);
    expect(plan.args).toEqual(['publish', plan.projectFile, '-c', 'Release', '-r', 'wasi-wasm', '-nologo']);
    expect(JSON.parse(readFileSync(join(workDir, 'global.json'), 'utf8')).sdk.version).toBe('10.0.101');
    // A core module: the framework's *.wit items removed after SetupOSSpecificProps; a library rooted as one (IL1034).
    expect(project.targets).toEqual([
      { name: 'WasmMatrixCoreModule', hook: { AfterTargets: 'SetupOSSpecificProps' }, items: [{ WasmComponentTypeWit: { Remove: '@(WasmComponentTypeWit)' } }] },
      {
        name: 'WasmMatrixLibraryRoot',
        hook: { AfterTargets: 'PrepareForILLink' },
        // (the XML reader trims attribute values; the exact text is checked by csharp-citations.test.ts)
        items: [{ TrimmerRootAssembly: { Update: '@(TrimmerRootAssembly)', Condition: "'%(RootMode)' == 'EntryPoint'", RootMode: 'Library' } }],
      },
    ]);
  });

  it('follows Debug, the reflection toggle (IlcDisableReflection) and defines; command suites are Exe', () => {
    const debug = planNativeAotBuild({ suite: dispatcher, options: options({ configuration: 'Debug', reflection: false, defines: ['EXTRA_CASE'] }), workDir: tempDir('aot') }, '10.0.101', 'win-x64');
    const props = readProject(readFileSync(debug.projectFile, 'utf8'));
    expect(props.properties.Configuration).toBe('Debug');
    expect(props.properties.IlcDisableReflection).toBe('true');
    expect(props.properties.DefineConstants).toBe('$(DefineConstants);WASM_MATRIX_NATIVEAOT_LLVM;WASM_MATRIX_NO_REFLECTION;EXTRA_CASE');
    expect(props.packages[1]!.id).toBe('runtime.win-x64.Microsoft.DotNet.ILCompiler.LLVM');
    expect(debug.args).toContain('Debug');

    const cmd = readProject(readFileSync(planNativeAotBuild({ suite: command, options: options(), workDir: tempDir('aot') }, '10.0.101', 'linux-x64').projectFile, 'utf8'));
    expect(cmd.properties.OutputType).toBe('Exe');
    expect(cmd.properties.NativeLib).toBeUndefined();
    // An Exe has an entry point: no root-mode fix, but still a core module.
    expect(cmd.targets.map((t) => t.name)).toEqual(['WasmMatrixCoreModule']);
    expect(cmd.items('Compile')).toEqual([join(command.dir, 'Program.cs')]);
  });

  it('writes a nuget.config with only nuget.org and dotnet-experimental, mapped per package', () => {
    const workDir = tempDir('aot');
    planNativeAotBuild({ suite: dispatcher, options: options(), workDir }, '10.0.101', 'linux-x64');
    const config = readNugetConfig(readFileSync(join(workDir, NUGET_CONFIG), 'utf8'));
    expect(config.cleared).toBe(true);
    expect(config.sources).toEqual({ 'nuget.org': NUGET_ORG_FEED, 'dotnet-experimental': DOTNET_EXPERIMENTAL_FEED });
    expect(DOTNET_EXPERIMENTAL_FEED).toBe('https://pkgs.dev.azure.com/dnceng/public/_packaging/dotnet-experimental/nuget/v3/index.json');
    expect(config.mapping['nuget.org']).toEqual(['*']);
    expect(config.mapping['dotnet-experimental']).toEqual([
      'Microsoft.DotNet.ILCompiler.LLVM',
      'runtime.linux-x64.Microsoft.DotNet.ILCompiler.LLVM',
      'runtime.win-x64.Microsoft.DotNet.ILCompiler.LLVM',
      'runtime.wasi-wasm.Microsoft.DotNet.ILCompiler.LLVM',
    ]);
  });

  it('uses a user-managed project with IlcDisableReflection and defines imported, its own nuget.config', () => {
    const workDir = tempDir('aot');
    const csproj = join(tempDir('user'), 'Lib.csproj');
    writeFileSync(csproj, '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Library</OutputType></PropertyGroup></Project>');
    const plan = planNativeAotBuild({ suite: dispatcher, options: options({ projectPath: csproj, reflection: false, configuration: 'Debug' }), workDir }, '10.0.101', 'linux-x64');
    expect(plan.projectFile).toBe(csproj);
    expect(existsSync(join(workDir, NUGET_CONFIG))).toBe(false);
    expect(readOptionsTargets(readFileSync(join(workDir, OPTIONS_TARGETS), 'utf8'))).toEqual({
      DefineConstants: '$(DefineConstants);WASM_MATRIX_NATIVEAOT_LLVM;WASM_MATRIX_NO_REFLECTION',
      IlcDisableReflection: 'true',
    });
    expect(plan.args.slice(0, 7)).toEqual(['publish', csproj, '-c', 'Debug', '-r', 'wasi-wasm', '-nologo']);
    expect(plan.args).toContain(`-p:CustomBeforeMicrosoftCommonTargets=${join(workDir, OPTIONS_TARGETS)}`);
  });
});
