// The C# SDK's sources compiled for real, without .NET: the mono-interp glue
// with clang-14 against the .NET 8 WASI driver's exact signatures, and every
// C# file with Debian's mcs against minimal declarations of the .NET-only
// attributes and NativeMemory. A syntax or type error in any of them fails here.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarize } from '../../util/wasm-summary.js';
import { shapeProblems } from '../../build/shape.js';
import { projectRoot } from '../../paths.js';
import { componentExportsSource, dispatcherSdkSources, monoBridgeSource, monoGlueSource, nativeAotExportsSource, nativeRunnerSource, sdkDir } from '../csharp/sdk.js';
import { removeTempDirs, tempDir } from './csharp-fixtures.js';

afterAll(removeTempDirs);

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const headers = join(fixtures, 'mono-headers');
const driver = join(fixtures, 'wasi-driver.h');

/** Runs a compiler; returns its exit code and output instead of throwing. */
function compile(tool: string, args: string[]): { code: number; output: string } {
  try {
    const out = execFileSync(tool, args, { stdio: 'pipe', encoding: 'utf8' });
    return { code: 0, output: out };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

const glueArgs = (glue: string, out: string, extra: string[] = []) => ['--target=wasm32-wasi', '-O2', '-Wall', '-Werror', '-I', headers, '-include', driver, ...extra, '-o', out, glue];

describe('mono_glue.c (mono-interp)', () => {
  it('compiles against the .NET 8 WASI driver signatures and links into a command shaped like a Mono bundle', () => {
    const out = join(tempDir('glue'), 'mono-like.wasm');
    const r = compile('clang-14', [...glueArgs(monoGlueSource(), out), join(fixtures, 'mono-runtime-stub.c')]);
    expect(r.code, r.output).toBe(0);
    const summary = summarize(readFileSync(out));
    expect(summary.exports.map((e) => e.name)).toEqual(expect.arrayContaining(['memory', '_start', 'harness_alloc', 'harness_invoke', 'harness_describe']));
    expect(shapeProblems('mono-interp', 'dispatcher', summary)).toEqual([]);
  });

  it('fails to compile when a glue declaration disagrees with driver.c', () => {
    const dir = tempDir('glue-bad');
    const bad = join(dir, 'mono_glue.c');
    const text = readFileSync(monoGlueSource(), 'utf8');
    const mutated = text.replace('MonoMethod *mono_wasm_assembly_find_method(MonoClass *klass, const char *name, int arguments);', 'MonoMethod *mono_wasm_assembly_find_method(MonoClass *klass, const char *name);');
    expect(mutated).not.toBe(text);
    writeFileSync(bad, mutated);
    const r = compile('clang-14', [...glueArgs(bad, join(dir, 'g.o')), '-c']);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/conflicting types for 'mono_wasm_assembly_find_method'/);
  });
});

/** .NET-only types the SDK uses, declared just enough for mcs (Mono 6.8 has none of them). */
const SHIMS = `
namespace System.Runtime.InteropServices
{
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class UnmanagedCallersOnlyAttribute : Attribute { public Type[] CallConvs; public string EntryPoint; }
    public static unsafe class NativeMemory
    {
        public static void* Alloc(UIntPtr byteCount) { return (void*)Marshal.AllocHGlobal((IntPtr)(long)(ulong)byteCount); }
        public static void Free(void* ptr) { if (ptr != null) Marshal.FreeHGlobal((IntPtr)ptr); }
    }
}
namespace System.Diagnostics.CodeAnalysis
{
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Field, AllowMultiple = true)]
    public sealed class DynamicDependencyAttribute : Attribute { public DynamicDependencyAttribute(string memberSignature, Type type) { } }
}
`;

describe('the C# guest SDK (every file) with mcs', () => {
  const cases = join(projectRoot, 'suites', 'core', 'csharp', 'Core.cs');

  it('lists every .cs file of the SDK folder in some build path', () => {
    const onDisk = readdirSync(sdkDir()).filter((f) => f.endsWith('.cs')).map((f) => join(sdkDir(), f)).sort();
    const used = [...dispatcherSdkSources(), monoBridgeSource(), nativeAotExportsSource(), componentExportsSource(), nativeRunnerSource()].sort();
    expect(used).toEqual(onDisk);
  });

  for (const [name, files, extra] of [
    ['nativeaot-llvm (NativeAotExports.cs and the dispatcher SDK)', [...dispatcherSdkSources(), nativeAotExportsSource()], ['-unsafe']],
    ['nativeaot-llvm-p2 (ComponentExports.cs and the dispatcher SDK)', [...dispatcherSdkSources(), componentExportsSource()], ['-unsafe']],
    ['mono-interp (MonoBridge.cs and the dispatcher SDK)', [...dispatcherSdkSources(), monoBridgeSource()], ['-unsafe']],
    ['csharp-native (NativeRunner.cs and the dispatcher SDK)', [...dispatcherSdkSources(), nativeRunnerSource()], ['-target:exe']],
  ] as const) {
    it(`${name} compiles`, () => {
      const dir = tempDir('mcs');
      writeFileSync(join(dir, 'Shims.cs'), SHIMS);
      const target = (extra as readonly string[]).includes('-target:exe') ? [] : ['-target:library'];
      const r = compile('mcs', [...target, '-unsafe', ...extra, `-out:${join(dir, 'guest.dll')}`, join(dir, 'Shims.cs'), ...files, cases]);
      expect(r.code, r.output).toBe(0);
    });
  }

  it('a type error in NativeAotExports.cs fails the compile', () => {
    const dir = tempDir('mcs-bad');
    writeFileSync(join(dir, 'Shims.cs'), SHIMS);
    const bad = join(dir, 'NativeAotExports.cs');
    writeFileSync(bad, readFileSync(nativeAotExportsSource(), 'utf8').replace('return Publish(output);', 'return output;'));
    const r = compile('mcs', ['-target:library', '-unsafe', `-out:${join(dir, 'guest.dll')}`, join(dir, 'Shims.cs'), ...dispatcherSdkSources(), bad, cases]);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/NativeAotExports\.cs\(\d+,\d+\): error CS0029/);
  });
});
