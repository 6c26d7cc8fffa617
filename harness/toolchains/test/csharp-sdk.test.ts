// The C# guest SDK's non-.NET-SDK parts: the Mono glue (checked with clang
// against real or stub Mono headers, then linked with a stub Mono and driven
// through its exports in node's WASI), the managed bridge and exports files,
// and C# 7 compatibility of the shared sources under Debian's mcs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatcherSdkSources, monoBridgeSource, monoGlueSource, nativeAotExportsSource } from '../csharp/sdk.js';
import { onPath } from '../csharp/which.js';
import { ECHO_CASES, removeTempDirs, tempDir } from './csharp-fixtures.js';

afterAll(removeTempDirs);

const clang = onPath('clang-14') ?? onPath('clang');
const mcs = onPath('mcs');
const REAL_MONO_HEADERS = '/usr/include/mono-2.0';
// Every skip says why (the quality bar): printed once, and in the skipped test's title.
const NO_CLANG = 'skipped: no clang-14 or clang on PATH (apt-get install -y clang-14 lld-14 wasi-libc)';
const NO_MONO_HEADERS = `skipped: ${REAL_MONO_HEADERS} is missing (apt-get install -y mono-devel)`;
const NO_MCS = 'skipped: no mcs on PATH (apt-get install -y mono-devel)';
if (!clang) console.warn(`csharp-sdk glue checks ${NO_CLANG}`);
if (clang && !existsSync(REAL_MONO_HEADERS)) console.warn(`the real-Mono-headers check is ${NO_MONO_HEADERS}`);
if (!mcs) console.warn(`the shared SDK sources check is ${NO_MCS}`);
const why = (skipped: boolean, reason: string): string => (skipped ? ` (${reason})` : '');
const glue = readFileSync(monoGlueSource(), 'utf8');
if (!clang) console.warn('glue compile tests skipped: clang-14 is not installed (apt-get install -y clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)');
if (!mcs) console.warn('C# 7 compile test skipped: mcs is not installed (apt-get install -y mono-devel)');

/** Just the declarations the glue uses, for machines without Mono's headers. */
const STUB_HEADERS: Record<string, string> = {
  'mono/metadata/object-forward.h': `#pragma once
#include <stdint.h>
typedef struct _MonoObject MonoObject;
typedef struct _MonoString MonoString;
typedef struct _MonoArray MonoArray;
typedef struct _MonoClass MonoClass;
typedef struct _MonoMethod MonoMethod;
typedef struct _MonoDomain MonoDomain;
typedef struct _MonoAssembly MonoAssembly;
`,
  'mono/metadata/appdomain.h': '#pragma once\n#include <mono/metadata/object-forward.h>\nMonoDomain *mono_get_root_domain(void);\n',
  'mono/metadata/assembly.h': '#pragma once\n#include <mono/metadata/object-forward.h>\n',
  'mono/metadata/class.h': '#pragma once\n#include <mono/metadata/object-forward.h>\n',
  'mono/metadata/object.h': `#pragma once
#include <mono/metadata/object-forward.h>
uintptr_t mono_array_length(MonoArray *array);
char *mono_array_addr_with_size(MonoArray *array, int size, uintptr_t idx);
char *mono_string_to_utf8(MonoString *string_obj);
void mono_free(void *ptr);
`,
};

/** A pretend Mono runtime and .NET 8 WASI driver, enough to drive the glue's exports. */
const STUB_MONO = `#include <stdlib.h>
#include <string.h>
#include <mono/metadata/appdomain.h>
#include <mono/metadata/object.h>
struct _MonoArray { uintptr_t len; char data[]; };
struct _MonoString { char utf8[128]; };
static int started;
__attribute__((export_name("test_start"))) void test_start(void) { started = 1; }
MonoDomain *mono_get_root_domain(void) { return started ? (MonoDomain *)8 : 0; }
const char *dotnet_wasi_getentrypointassemblyname(void) { return "WasmMatrixGuest.dll"; }
/* Accepts only the simple name, so the glue's ".dll" fallback is exercised. */
MonoAssembly *mono_wasm_assembly_load(const char *name) { return strcmp(name, "WasmMatrixGuest") ? 0 : (MonoAssembly *)16; }
MonoClass *mono_wasm_assembly_find_class(MonoAssembly *a, const char *ns, const char *n) {
  return a && !strcmp(ns, "WasmMatrix.Guest") && !strcmp(n, "MonoBridge") ? (MonoClass *)24 : 0;
}
MonoMethod *mono_wasm_assembly_find_method(MonoClass *k, const char *n, int args) {
  if (k && !strcmp(n, "Invoke") && args == 4) return (MonoMethod *)32;
  if (k && !strcmp(n, "Describe") && args == 0) return (MonoMethod *)40;
  return 0;
}
/* Like the GC, frees the previous result: the glue has copied it by then. */
static MonoArray *array_of(const char *a, size_t alen, const char *b, size_t blen) {
  static MonoArray *previous;
  free(previous);
  MonoArray *array = previous = malloc(sizeof(MonoArray) + alen + blen);
  array->len = alen + blen;
  memcpy(array->data, a, alen);
  memcpy(array->data + alen, b, blen);
  return array;
}
/* Invoke echoes "<status 0><name>:<input>"; the case "throw" raises a managed exception. */
void mono_wasm_invoke_method_ref(MonoMethod *m, MonoObject **self, void *params[], MonoObject **exc, MonoObject **result) {
  *exc = 0;
  if (m == (MonoMethod *)40) { *result = (MonoObject *)array_of("[\\"echo\\"]", 8, "", 0); return; }
  const char *name = (const char *)(uintptr_t)*(int32_t *)params[0];
  int32_t name_len = *(int32_t *)params[1];
  const char *input = (const char *)(uintptr_t)*(int32_t *)params[2];
  int32_t input_len = *(int32_t *)params[3];
  if (name_len == 5 && !memcmp(name, "throw", 5)) {
    MonoString *text = calloc(1, sizeof(MonoString));
    strcpy(text->utf8, "System.Exception: boom");
    *exc = (MonoObject *)text;
    *result = (MonoObject *)text;
    return;
  }
  char head[64] = {0};
  memcpy(head + 1, name, (size_t)name_len);
  head[1 + name_len] = ':';
  *result = (MonoObject *)array_of(head, (size_t)name_len + 2, input, (size_t)input_len);
}
uintptr_t mono_array_length(MonoArray *a) { return a->len; }
char *mono_array_addr_with_size(MonoArray *a, int size, uintptr_t idx) { return a->data + (uintptr_t)size * idx; }
char *mono_string_to_utf8(MonoString *s) { return strdup(s->utf8); }
void mono_free(void *p) { free(p); }
`;

function stubIncludeDir(): string {
  const dir = tempDir('mono-stub');
  for (const [file, text] of Object.entries(STUB_HEADERS)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe('mono_glue.c', () => {
  it('exports the three ABI functions and calls the Mono embedding API', () => {
    for (const name of ['harness_alloc', 'harness_invoke', 'harness_describe']) {
      expect(glue).toContain(`__attribute__((export_name("${name}")))`);
    }
    for (const api of ['mono_wasm_assembly_load(', 'mono_wasm_assembly_find_class(', 'mono_wasm_assembly_find_method(', 'mono_wasm_invoke_method_ref(']) {
      expect(glue.split(api).length - 1, api).toBeGreaterThanOrEqual(2); // declared and called
    }
    expect(glue).toMatch(/int64_t harness_invoke\(int32_t name_ptr, int32_t name_len,\s+int32_t in_ptr, int32_t in_len\)/);
    // The names it looks up exist in the bridge with those arities.
    expect(glue).toContain('"WasmMatrix.Guest", "MonoBridge"');
    expect(glue).toContain('"Invoke", 4');
    expect(glue).toContain('"Describe", 0');
    const bridge = readFileSync(monoBridgeSource(), 'utf8');
    expect(bridge).toMatch(/namespace WasmMatrix\.Guest[\s\S]*public static class MonoBridge/);
    expect(bridge).toMatch(/public static byte\[\] Invoke\(int namePtr, int nameLen, int inputPtr, int inputLen\)/);
    expect(bridge).toMatch(/public static byte\[\] Describe\(\)/);
    expect(bridge).toContain('[DynamicDependency("Invoke", typeof(MonoBridge))]');
    expect(bridge).toContain('[DynamicDependency("Describe", typeof(MonoBridge))]');
  });

  const syntaxCheck = (include: string): void => {
    execFileSync(clang!, ['-fsyntax-only', '--target=wasm32-wasi', '-Wall', '-Wextra', '-Werror', `-I${include}`, monoGlueSource()], { stdio: 'pipe' });
  };

  it.skipIf(!clang)(`compiles for wasm32-wasi against stub Mono headers${why(!clang, NO_CLANG)}`, () => {
    syntaxCheck(stubIncludeDir());
  });

  it.skipIf(!clang || !existsSync(REAL_MONO_HEADERS))(`compiles for wasm32-wasi against the real Mono headers${why(!clang, NO_CLANG)}${why(!existsSync(REAL_MONO_HEADERS), NO_MONO_HEADERS)}`, () => {
    syntaxCheck(REAL_MONO_HEADERS);
  });

  it.skipIf(!clang)(`serves ABI calls when linked with a stub Mono (node WASI)${why(!clang, NO_CLANG)}`, async () => {
    const dir = tempDir('glue-run');
    writeFileSync(join(dir, 'stub_mono.c'), STUB_MONO);
    const wasm = join(dir, 'glue.wasm');
    execFileSync(clang!, ['--target=wasm32-wasi', '-mexec-model=reactor', '-O1', `-I${stubIncludeDir()}`, '-o', wasm, monoGlueSource(), join(dir, 'stub_mono.c')], { stdio: 'pipe' });
    const module = await WebAssembly.compile(readFileSync(wasm));
    const exports = WebAssembly.Module.exports(module).map((e) => `${e.name}:${e.kind}`);
    expect(exports).toEqual(expect.arrayContaining(['memory:memory', 'harness_alloc:function', 'harness_invoke:function', 'harness_describe:function']));

    const wasi = new WASI({ version: 'preview1', args: [], env: {}, returnOnExit: true });
    const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport } as WebAssembly.Imports);
    wasi.initialize(instance);
    const ex = instance.exports as unknown as {
      memory: WebAssembly.Memory;
      harness_alloc(len: number): number;
      harness_invoke(np: number, nl: number, ip: number, il: number): bigint;
      harness_describe(): bigint;
      test_start(): void;
    };
    const place = (bytes: Uint8Array): number => {
      const ptr = ex.harness_alloc(bytes.length);
      new Uint8Array(ex.memory.buffer).set(bytes, ptr);
      return ptr;
    };
    const read = (packed: bigint): Buffer => {
      const ptr = Number(packed >> 32n);
      const len = Number(packed & 0xffffffffn);
      return Buffer.from(new Uint8Array(ex.memory.buffer, ptr, len));
    };
    const invoke = (name: string, input: string): Buffer => {
      const n = Buffer.from(name);
      const i = Buffer.from(input);
      return read(ex.harness_invoke(place(n), n.length, place(i), i.length));
    };

    const early = invoke('echo', 'x');
    expect(early[0]).toBe(1);
    expect(early.subarray(1).toString()).toBe(
      'WasmMatrix.Guest.BridgeException: the Mono runtime is not running: call _start first (lifecycle command-first)',
    );
    ex.test_start(); // what _start does for the real runtime
    const ok = invoke('echo', 'héllo');
    expect(ok[0]).toBe(0);
    expect(ok.subarray(1).toString()).toBe('echo:héllo');
    const empty = invoke('echo', '');
    expect([...empty]).toEqual([0, ...Buffer.from('echo:')]);
    const thrown = invoke('throw', '');
    expect(thrown[0]).toBe(1);
    expect(thrown.subarray(1).toString()).toBe('WasmMatrix.Guest.BridgeException: System.Exception: boom');
    expect(read(ex.harness_describe()).toString()).toBe('["echo"]');
    // Many calls: buffers are freed, so memory does not grow call by call.
    const before = ex.memory.buffer.byteLength;
    for (let i = 0; i < 2000; i++) invoke('echo', 'x'.repeat(1000));
    expect(ex.memory.buffer.byteLength).toBe(before);
  });
});

describe('NativeAotExports.cs', () => {
  it('exports the ABI with UnmanagedCallersOnly entry points and packs (ptr << 32) | len', () => {
    const source = readFileSync(nativeAotExportsSource(), 'utf8');
    expect(source).toMatch(/\[UnmanagedCallersOnly\(EntryPoint = "harness_alloc"\)\]\s+public static int Alloc\(int len\)/);
    expect(source).toMatch(/\[UnmanagedCallersOnly\(EntryPoint = "harness_invoke"\)\]\s+public static long Invoke\(int namePtr, int nameLen, int inPtr, int inLen\)/);
    expect(source).toMatch(/\[UnmanagedCallersOnly\(EntryPoint = "harness_describe"\)\]\s+public static long Describe\(\)/);
    expect(source).toContain('NativeMemory.Alloc');
    expect(source).toContain('((long)(uint)lastOutput << 32) | (uint)bytes.Length');
  });
});

describe.skipIf(!mcs)(`shared SDK sources${why(!mcs, NO_MCS)}`, () => {
  it('compile as C# 7 with Debian mcs, together with the Mono bridge', () => {
    const dir = tempDir('sdk-cs7');
    writeFileSync(join(dir, 'Cases.cs'), ECHO_CASES);
    // Mono's class library predates DynamicDependencyAttribute (.NET 5); .NET 8 has it.
    writeFileSync(
      join(dir, 'DynamicDependency.cs'),
      'namespace System.Diagnostics.CodeAnalysis { [AttributeUsage(AttributeTargets.All, AllowMultiple = true)] public sealed class DynamicDependencyAttribute : Attribute { public DynamicDependencyAttribute(string member, Type type) { } } }',
    );
    execFileSync(
      mcs!,
      ['-langversion:7', '-warnaserror+', '-target:library', `-out:${join(dir, 'sdk.dll')}`, ...dispatcherSdkSources(), monoBridgeSource(), join(dir, 'Cases.cs'), join(dir, 'DynamicDependency.cs')],
      { stdio: 'pipe' },
    );
    expect(existsSync(join(dir, 'sdk.dll'))).toBe(true);
  });
});
