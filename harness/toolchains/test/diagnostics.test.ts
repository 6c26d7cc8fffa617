import { describe, expect, it } from 'vitest';
import { hasErrors, parseDiagnostics } from '../diagnostics.js';

// Shaped after real `dotnet build` output: restore lines, the error printed
// while building and again in the summary, an SDK error, an Exec failure.
const DOTNET_BUILD = `  Determining projects to restore...
  Restored /work/guest/WasmMatrixGuest.csproj (in 1.31 sec).
/work/suites/hello/Cases.cs(12,5): error CS1002: ; expected [/work/guest/WasmMatrixGuest.csproj]
/work/suites/hello/Cases.cs(3,13): warning CS0168: The variable 'unused' is declared but never used [/work/guest/WasmMatrixGuest.csproj]
/usr/share/dotnet/sdk/8.0.122/Sdks/Microsoft.NET.Sdk/targets/Microsoft.NET.TargetFrameworkInference.targets(166,5): error NETSDK1045: The current .NET SDK does not support targeting .NET 10.0.  Either target .NET 8.0 or lower, or use a version of the .NET SDK that supports .NET 10.0. [/work/guest/WasmMatrixGuest.csproj]
/root/.dotnet/packs/Microsoft.NET.Runtime.WebAssembly.Wasi.Sdk/8.0.22/Sdk/WasiApp.Native.targets(283,5): error MSB3073: The command ""/opt/wasi-sdk/bin/clang" @/work/guest/obj/Release/net8.0/wasi-wasm/wasm/for-build/clang-compile.rsp" exited with code 1. [/work/guest/WasmMatrixGuest.csproj]

Build FAILED.

/work/suites/hello/Cases.cs(3,13): warning CS0168: The variable 'unused' is declared but never used [/work/guest/WasmMatrixGuest.csproj]
/work/suites/hello/Cases.cs(12,5): error CS1002: ; expected [/work/guest/WasmMatrixGuest.csproj]
/usr/share/dotnet/sdk/8.0.122/Sdks/Microsoft.NET.Sdk/targets/Microsoft.NET.TargetFrameworkInference.targets(166,5): error NETSDK1045: The current .NET SDK does not support targeting .NET 10.0.  Either target .NET 8.0 or lower, or use a version of the .NET SDK that supports .NET 10.0. [/work/guest/WasmMatrixGuest.csproj]
    1 Warning(s)
    3 Error(s)

Time Elapsed 00:00:04.21
`;

describe('parseDiagnostics', () => {
  it('reads MSBuild output, once per diagnostic', () => {
    const found = parseDiagnostics(DOTNET_BUILD);
    expect(found).toHaveLength(4);
    expect(found[0]).toEqual({
      file: '/work/suites/hello/Cases.cs',
      line: 12,
      column: 5,
      severity: 'error',
      code: 'CS1002',
      message: '; expected',
    });
    expect(found[1]).toMatchObject({ severity: 'warning', code: 'CS0168', line: 3, column: 13 });
    expect(found[2]).toMatchObject({ code: 'NETSDK1045', severity: 'error', line: 166 });
    expect(found[2]!.message).toMatch(/^The current \.NET SDK does not support targeting \.NET 10\.0\./);
    expect(found[2]!.message).not.toContain('[/work');
    expect(found[3]).toMatchObject({ code: 'MSB3073', file: expect.stringMatching(/WasiApp\.Native\.targets$/) });
    expect(found[3]!.message).toMatch(/exited with code 1\.$/);
    expect(hasErrors(found)).toBe(true);
  });

  it('reads tool-origin and code-less MSBuild errors, with node prefixes and colour codes', () => {
    const text = [
      'MSBUILD : error MSB1009: Project file does not exist.',
      '  1>/x/WasiApp.Native.targets(116,5): error : Could not find wasi-sdk. Either set $(WASI_SDK_PATH). [/p/g.csproj]',
      '\u001b[31m/p/g.csproj : error NU1101: Unable to find package Microsoft.DotNet.ILCompiler.LLVM. No packages exist with this id in source(s): nuget.org\u001b[39m',
    ].join('\n');
    expect(parseDiagnostics(text)).toEqual([
      { severity: 'error', code: 'MSB1009', message: 'Project file does not exist.' },
      { file: '/x/WasiApp.Native.targets', line: 116, column: 5, severity: 'error', message: 'Could not find wasi-sdk. Either set $(WASI_SDK_PATH).' },
      {
        file: '/p/g.csproj',
        severity: 'error',
        code: 'NU1101',
        message: 'Unable to find package Microsoft.DotNet.ILCompiler.LLVM. No packages exist with this id in source(s): nuget.org',
      },
    ]);
  });

  it('reads mcs output', () => {
    const text = `/tmp/s/Cases.cs(7,21): error CS1525: Unexpected symbol \`}'
/tmp/s/Cases.cs(4,17): warning CS0219: The variable \`x' is assigned but its value is never used
Compilation failed: 1 error(s), 1 warnings
`;
    expect(parseDiagnostics(text)).toEqual([
      { file: '/tmp/s/Cases.cs', line: 7, column: 21, severity: 'error', code: 'CS1525', message: "Unexpected symbol `}'" },
      { file: '/tmp/s/Cases.cs', line: 4, column: 17, severity: 'warning', code: 'CS0219', message: "The variable `x' is assigned but its value is never used" },
    ]);
  });

  it('reads clang output, including fatal errors, flags and linker errors', () => {
    const text = `guest.c:3:10: fatal error: 'missing.h' file not found
#include "missing.h"
         ^~~~~~~~~~~
guest.c:9:7: warning: unused variable 'y' [-Wunused-variable]
  int y;
      ^
guest.c:12:3: error: call to undeclared function 'f'; ISO C99 and later do not support implicit function declarations [-Werror,-Wimplicit-function-declaration]
guest.c:12:3: note: did you mean 'g'?
C:\\src\\guest.c:4:1: error: expected ';' after top level declarator
wasm-ld: error: /tmp/guest.o: undefined symbol: harness_helper
clang-14: error: linker command failed with exit code 1 (use -v to see invocation)
2 warnings and 3 errors generated.
`;
    const found = parseDiagnostics(text);
    expect(found).toEqual([
      { file: 'guest.c', line: 3, column: 10, severity: 'error', message: "'missing.h' file not found" },
      { file: 'guest.c', line: 9, column: 7, severity: 'warning', code: '-Wunused-variable', message: "unused variable 'y'" },
      {
        file: 'guest.c',
        line: 12,
        column: 3,
        severity: 'error',
        code: '-Wimplicit-function-declaration',
        message: "call to undeclared function 'f'; ISO C99 and later do not support implicit function declarations",
      },
      { file: 'C:\\src\\guest.c', line: 4, column: 1, severity: 'error', message: "expected ';' after top level declarator" },
      { severity: 'error', message: 'wasm-ld: /tmp/guest.o: undefined symbol: harness_helper' },
      { severity: 'error', message: 'clang-14: linker command failed with exit code 1 (use -v to see invocation)' },
    ]);
  });

  it('finds nothing in clean output', () => {
    expect(parseDiagnostics('Build succeeded.\n    0 Warning(s)\n    0 Error(s)\n')).toEqual([]);
    expect(hasErrors([])).toBe(false);
  });
});
