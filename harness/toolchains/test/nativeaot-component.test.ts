// nativeaot-llvm-p2, NativeAOT-LLVM's default output (a component), up to the
// toolchain boundary: the generated project and WIT, and the C# exports checked
// against the world with the same component tooling the link uses (jco's
// wit-component). No .NET SDK here, so nothing below shows that the real
// ILCompiler accepts the project; it shows what the harness hands it.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../paths.js';
import { buildArtifact } from '../../build/build.js';
import { shapeProblems } from '../../build/shape.js';
import { nativeAotLlvmP2Flavor } from '../csharp/index.js';
import type { Flavor } from '../flavor.js';
import { OPTIONS_TARGETS } from '../csharp/dotnet-build.js';
import { GUEST_COMPONENT_WIT, guestComponentWit, guestWitSource } from '../csharp/nativeaot-component.js';
import { planNativeAotBuild } from '../csharp/nativeaot-project.js';
import { componentExportsSource, dispatcherSdkSources } from '../csharp/sdk.js';
import { jcoVersion, loadJco } from '../jco.js';
import { ECHO_CASES, options, readProject, removeTempDirs, tempDir, writeSuite } from './csharp-fixtures.js';

afterAll(removeTempDirs);

const dispatcher = writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES });
const command = writeSuite('command', { 'Program.cs': 'public static class GuestProgram { public static int Main(string[] a) { return 0; } }' });

describe('nativeaot-llvm-p2 project', () => {
  it('keeps the toolchain default (no IlcLlvmTarget, framework WITs kept) and adds the guest world as component type', () => {
    const workDir = tempDir('aot-p2');
    const plan = planNativeAotBuild({ suite: dispatcher, options: options(), workDir }, '10.0.101', 'linux-x64', 'component');
    const project = readProject(readFileSync(plan.projectFile, 'utf8'));
    expect(project.properties.IlcLlvmTarget).toBeUndefined();
    expect(project.properties).toMatchObject({ OutputType: 'Library', NativeLib: 'Shared', RuntimeIdentifier: 'wasi-wasm', TargetFramework: 'net10.0' });
    expect(project.items('Compile')).toEqual([...dispatcherSdkSources(), componentExportsSource(), join(dispatcher.dir, 'Cases.cs')]);
    expect(project.items('WasmComponentTypeWit')).toEqual([GUEST_COMPONENT_WIT]);
    expect(readFileSync(join(workDir, GUEST_COMPONENT_WIT), 'utf8')).toBe(guestComponentWit());
    // Only the library root remains; the core route's removal of the framework WITs is gone.
    expect(project.targets.map((t) => t.name)).toEqual(['WasmMatrixLibraryRoot']);
    expect(plan.args).toEqual(['publish', plan.projectFile, '-c', 'Release', '-r', 'wasi-wasm', '-nologo']);
    expect(plan.expected).toBe(join(workDir, 'bin', 'Release', 'net10.0', 'wasi-wasm', 'publish', 'WasmMatrixGuest.wasm'));
  });

  it('a command suite is an Exe of its own sources: no world WIT, no exports file (the framework WITs make it a wasi:cli command)', () => {
    const workDir = tempDir('aot-p2-cmd');
    const plan = planNativeAotBuild({ suite: command, options: options(), workDir }, '10.0.101', 'linux-x64', 'component');
    const project = readProject(readFileSync(plan.projectFile, 'utf8'));
    expect(project.properties.OutputType).toBe('Exe');
    expect(project.items('Compile')).toEqual([join(command.dir, 'Program.cs')]);
    expect(project.items('WasmComponentTypeWit')).toEqual([]);
    expect(project.targets).toEqual([]);
  });

  it('a user-managed project gets the world WIT through the imported targets file, by absolute path', () => {
    const userDir = tempDir('aot-p2-user');
    const csproj = join(userDir, 'Mine.csproj');
    writeFileSync(csproj, '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><AssemblyName>Mine</AssemblyName></PropertyGroup></Project>');
    const workDir = tempDir('aot-p2-user-work');
    const plan = planNativeAotBuild({ suite: dispatcher, options: options({ projectPath: csproj }), workDir }, '10.0.101', 'linux-x64', 'component');
    const targets = readFileSync(join(workDir, OPTIONS_TARGETS), 'utf8');
    expect(targets).toContain(`<WasmComponentTypeWit Include="${join(workDir, GUEST_COMPONENT_WIT)}"`);
    expect(targets).not.toContain('WasmMatrixCoreModule');
    expect(plan.expected).toMatch(/publish\/Mine\.wasm$/);
  });
});

describe('the one-world WIT', () => {
  it('is guest.wit with world guest only, and says why a file without the world is refused', () => {
    const wit = guestComponentWit();
    expect(wit).toContain('package wasm-matrix:guest@0.1.0;');
    expect(wit.match(/^world /gm)).toEqual(['world ']);
    expect(wit).toMatch(/world guest \{\n {2}export dispatch;\n {2}export catalog;\n\}/);
    expect(wit).not.toContain('guest-minimal');
    const bad = join(tempDir('wit'), 'x.wit');
    writeFileSync(bad, 'package a:b;\nworld other {}\n');
    expect(() => guestComponentWit(bad)).toThrow(`${bad}: no world guest`);
  });
});

/** `[UnmanagedCallersOnly(EntryPoint = "...")] public static T Name(int a, ...)`: name, params, result. */
function csharpExports(source: string): Array<{ name: string; params: number; result: boolean }> {
  const re = /\[UnmanagedCallersOnly\(EntryPoint = "([^"]+)"\)\]\s*public static (\w+) \w+\(([^)]*)\)/g;
  return [...source.matchAll(re)].map((m) => ({ name: m[1]!, result: m[2] !== 'void', params: m[3]!.trim() ? m[3]!.split(',').length : 0 }));
}

/** A core module with those exports as i32 functions, plus what the framework brings (memory, cabi_realloc). */
function coreWat(exports: ReturnType<typeof csharpExports>): string {
  const funcs = exports.map((e) => `(func (export "${e.name}") ${'(param i32) '.repeat(e.params)}${e.result ? '(result i32) i32.const 0' : ''})`);
  return `(module (memory (export "memory") 1)
    (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
    ${funcs.join('\n    ')})`;
}

describe.skipIf(!jcoVersion())(`ComponentExports.cs against the world (wit-component via jco${jcoVersion() ? '' : ': SKIPPED, jco not installed'})`, () => {
  it('its exports, names and signatures, make a component of world guest; the WIT embeds without a world name', async () => {
    const jco = await loadJco();
    const exports = csharpExports(readFileSync(componentExportsSource(), 'utf8'));
    expect(exports.map((e) => e.name).sort()).toEqual([
      'cabi_post_wasm-matrix:guest/catalog@0.1.0#describe',
      'cabi_post_wasm-matrix:guest/dispatch@0.1.0#invoke',
      'wasm-matrix:guest/catalog@0.1.0#describe',
      'wasm-matrix:guest/dispatch@0.1.0#invoke',
    ]);
    // No world name, as wasm-component-ld's --component-type gives none.
    const embedded = await jco.componentEmbed({ binary: await jco.parse(coreWat(exports)), witSource: guestComponentWit(), stringEncoding: 'utf8' });
    const component = await jco.componentNew(embedded);
    const wit = await jco.componentWit(component);
    expect(wit).toContain('export wasm-matrix:guest/dispatch@0.1.0;');
    expect(wit).toContain('export wasm-matrix:guest/catalog@0.1.0;');
  });

  it('a signature that disagrees with the world is refused by the component encoding', async () => {
    const jco = await loadJco();
    const exports = csharpExports(readFileSync(componentExportsSource(), 'utf8')).map((e) => (e.name.endsWith('#invoke') && !e.name.startsWith('cabi_post') ? { ...e, params: 3 } : e));
    const embedded = await jco.componentEmbed({ binary: await jco.parse(coreWat(exports)), witSource: guestComponentWit(), stringEncoding: 'utf8' });
    await expect(jco.componentNew(embedded)).rejects.toThrow(/invoke/);
  });

  it('the build stage keeps a component of the world and fails a core module, with the diagnostic', async () => {
    const jco = await loadJco();
    const dir = tempDir('p2-shape');
    const core = await jco.parse(coreWat(csharpExports(readFileSync(componentExportsSource(), 'utf8'))));
    const good = join(dir, 'good.wasm');
    writeFileSync(good, await jco.componentNew(await jco.componentEmbed({ binary: core, witSource: guestComponentWit(), stringEncoding: 'utf8' })));
    const bad = join(dir, 'core.wasm');
    writeFileSync(bad, core);
    const fake = (module: string): Flavor =>
      ({
        ...nativeAotLlvmP2Flavor,
        detect: async () => ({ available: true, versions: { fake: module }, missing: [] }),
        build: async ({ outPath }) => (copyFileSync(module, outPath), { ok: true, diagnostics: [], commands: [] }),
      }) as Flavor;
    const suite = writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES }, `p2-shape-${process.pid}`);
    const built = await buildArtifact(suite, fake(good), options(), { available: true, versions: { fake: good }, missing: [] });
    expect(built.status).toBe('built');
    const failed = await buildArtifact(suite, fake(bad), options(), { available: true, versions: { fake: bad }, missing: [] });
    expect(failed).toMatchObject({ status: 'failed', diagnostics: [{ severity: 'error', message: expect.stringMatching(/^nativeaot-llvm-p2 produced a core module, not a component/) }] });
  });

  it('guest.wit itself (two worlds) cannot be embedded without a world name: why the one-world file exists', async () => {
    const jco = await loadJco();
    const binary = await jco.parse(coreWat(csharpExports(readFileSync(componentExportsSource(), 'utf8'))));
    await expect(jco.componentEmbed({ binary, witSource: readFileSync(guestWitSource(), 'utf8'), stringEncoding: 'utf8' })).rejects.toThrow(/world/);
  });
});

describe('the shape a nativeaot-llvm-p2 build must have', () => {
  const component = (exports: string[]) => ({ kind: 'component' as const, imports: [], exports: exports.map((name) => ({ name, kind: 'instance' })) });
  it('a component exporting its world passes; a core module or a component of another world fails, saying which', () => {
    expect(shapeProblems('nativeaot-llvm-p2', 'dispatcher', component(['wasm-matrix:guest/dispatch@0.1.0', 'wasm-matrix:guest/catalog@0.1.0']))).toEqual([]);
    expect(shapeProblems('nativeaot-llvm-p2', 'command', component(['wasi:cli/run@0.2.0']))).toEqual([]);
    expect(shapeProblems('nativeaot-llvm-p2', 'dispatcher', { kind: 'core-module', imports: [], exports: [{ name: '_initialize', kind: 'func' }] })[0]).toMatch(/^nativeaot-llvm-p2 produced a core module, not a component/);
    expect(shapeProblems('nativeaot-llvm-p2', 'dispatcher', component(['wasi:cli/run@0.2.0']))).toEqual([
      'nativeaot-llvm-p2 component does not export wasm-matrix:guest/dispatch@0.1.x; it exports wasi:cli/run@0.2.0 (the wasm-matrix-guest.wit component type or ComponentExports.cs was not linked)',
    ]);
  });
});

it('the repository WIT the flavor reads is the one documented in suites/README.md', () => {
  expect(guestWitSource()).toBe(join(projectRoot, 'suites', 'sdk', 'wit', 'guest.wit'));
});
