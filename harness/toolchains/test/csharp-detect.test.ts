// Detection and the build wiring of the two .NET wasm flavors: what this
// machine lacks (no .NET SDK here), then a stand-in `dotnet` and WASI SDK on
// PATH to check the found-everything path and the dotnet invocation itself.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monoInterpFlavor, nativeAotLlvmFlavor, nativeAotLlvmP2Flavor } from '../csharp/index.js';
import { ILCOMPILER_LLVM_VERSION, WASI_SDK_FOR_MONO } from '../csharp/pins.js';
import { onPath } from '../csharp/which.js';
import { ECHO_CASES, options, removeTempDirs, tempDir, writeSuite } from './csharp-fixtures.js';

afterAll(removeTempDirs);

const savedEnv = { ...process.env };
let cache: string;

beforeEach(() => {
  cache = tempDir('cache');
  process.env.WASM_MATRIX_CACHE_DIR = cache;
  delete process.env.WASI_SDK_PATH;
  delete process.env.DOTNET_ROOT;
});

afterEach(() => {
  process.env = { ...savedEnv };
});

const noDotnetHere = !onPath('dotnet') && !savedEnv.DOTNET_ROOT;
if (!noDotnetHere) console.warn('the "missing on this machine" checks are skipped: this machine has a dotnet');
else if (process.platform !== 'linux' || process.arch !== 'x64') console.warn(`the "missing on this machine" checks are skipped: they describe linux-x64 (the pinned ILCompiler's host), this is ${process.platform}-${process.arch}`);
if (process.platform === 'win32') console.warn('the stand-in dotnet checks are skipped: they use shell scripts as stand-ins');

describe.skipIf(!noDotnetHere || process.platform !== 'linux' || process.arch !== 'x64')('on this machine (no .NET SDK)', () => {
  it('mono-interp lists exactly the SDK, the workload and the WASI SDK as missing', async () => {
    expect(await monoInterpFlavor.detect()).toEqual({
      available: false,
      versions: {},
      missing: [
        '.NET SDK 8.0.1xx (dotnet not found on PATH, under DOTNET_ROOT, or in the toolchain cache)',
        'dotnet workload wasi-experimental (needs the .NET SDK 8.0.1xx first)',
        `WASI SDK 20.x (WASI_SDK_PATH is not set; ${join(cache, 'toolchains', 'wasi-sdk-20.0')} is not provisioned)`,
      ],
      provisionCommand: 'wasm-matrix toolchains provision mono-interp',
      howToGet: `WASI SDK 20.0: ${WASI_SDK_FOR_MONO.noDigest}`,
    });
  });

  it('nativeaot-llvm-p2 (the component route) needs the same toolchain, and its build names the flavor and what is missing', async () => {
    expect(await nativeAotLlvmP2Flavor.detect()).toEqual(await nativeAotLlvmFlavor.detect());
    const result = await nativeAotLlvmP2Flavor.build({ suite: writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES }), options: options(), workDir: tempDir('work'), outPath: join(tempDir('out'), 'g.wasm'), log: () => {} });
    expect(result).toMatchObject({ ok: false, commands: [], diagnostics: [{ severity: 'error', message: expect.stringMatching(/^nativeaot-llvm-p2 is not available: \.NET SDK 10\.0 or newer \(dotnet not found/) }] });
  });

  it('nativeaot-llvm lists exactly the SDK and the WASI SDK as missing', async () => {
    const detection = await nativeAotLlvmFlavor.detect();
    expect(detection).toMatchObject({
      available: false,
      versions: { 'ilcompiler-llvm': ILCOMPILER_LLVM_VERSION },
      missing: [
        '.NET SDK 10.0 or newer (dotnet not found on PATH, under DOTNET_ROOT, or in the toolchain cache)',
        `WASI SDK 29 (WASI_SDK_PATH is not set; ${join(cache, 'toolchains', 'wasi-sdk-29.0')} is not provisioned)`,
      ],
      provisionCommand: 'wasm-matrix toolchains provision nativeaot-llvm',
    });
    expect(detection.howToGet).toContain('dotnet-experimental');
  });

  it('a build without the toolchain fails with what is missing, and runs nothing', async () => {
    const result = await monoInterpFlavor.build({
      suite: writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES }),
      options: options(),
      workDir: tempDir('work'),
      outPath: join(tempDir('out'), 'g.wasm'),
      log: () => {},
    });
    expect(result).toMatchObject({ ok: false, commands: [], diagnostics: [{ severity: 'error', message: expect.stringMatching(/^mono-interp is not available: \.NET SDK 8\.0\.1xx/) }] });
  });
});

/** A `dotnet` that answers like SDKs 8.0.122 and 10.0.101 with the workload, and "builds" a module. */
const FAKE_DOTNET = `#!/bin/sh
case "$1" in
  --list-sdks) echo "8.0.122 [$(dirname "$0")/sdk]"; echo "10.0.101 [$(dirname "$0")/sdk]"; exit 0 ;;
  workload)
    if [ "$2" = install ]; then echo "install $*" >> "$FAKE_DOTNET_LOG"; touch "$FAKE_WORKLOAD_MARKER"; echo "Successfully installed workload(s) $3."; exit 0; fi
    printf '\\nInstalled Workload Id      Manifest Version       Installation Source\\n'
    printf -- '---------------------------------------------------------------------\\n'
    if [ -z "$FAKE_WORKLOAD_MARKER" ] || [ -f "$FAKE_WORKLOAD_MARKER" ]; then
      printf 'wasi-experimental          8.0.22/8.0.100         SDK 8.0.100\\n\\n'
    fi
    printf 'Use \`dotnet workload search\` to find additional workloads to install.\\n'
    exit 0 ;;
  build|publish)
    verb=$1; cfg=Release; prev=
    for a in "$@"; do [ "$prev" = "-c" ] && cfg=$a; prev=$a; done
    echo "verb=$verb cfg=$cfg cwd=$(pwd) wasi=$WASI_SDK_PATH args=$*" >> "$FAKE_DOTNET_LOG"
    if [ -n "$FAKE_DOTNET_FAIL" ]; then echo "$FAKE_DOTNET_FAIL"; echo; echo "Build FAILED."; echo "$FAKE_DOTNET_FAIL"; exit 1; fi
    # Where the real SDKs put the module: .NET 8 Mono's bundle in AppBundle (also on publish),
    # NativeAOT's in publish/. FAKE_DOTNET_OUT overrides it, to show a wrong place fails.
    if grep -q '<TargetFramework>net8.0<' "$2"; then out="bin/$cfg/net8.0/wasi-wasm/AppBundle"; else out="bin/$cfg/net10.0/wasi-wasm/publish"; fi
    [ -n "$FAKE_DOTNET_OUT" ] && out="$FAKE_DOTNET_OUT"
    mkdir -p "$out" && printf 'fake-module' > "$out/WasmMatrixGuest.wasm"
    echo "  WasmMatrixGuest -> $(pwd)/$out/WasmMatrixGuest.wasm"
    exit 0 ;;
esac
echo "fake dotnet: unexpected arguments: $*" >&2
exit 2
`;

function fakeWasiSdk(version: string): string {
  const dir = tempDir(`wasi-sdk-${version}`);
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'clang'), '');
  writeFileSync(join(dir, 'VERSION'), `${version}\nwasi-libc: 0000000\nllvm: 0000000\n`);
  return dir;
}

describe.skipIf(process.platform === 'win32')('with a stand-in dotnet and WASI SDK', () => {
  let fakeLog: string;

  beforeEach(() => {
    const bin = tempDir('fake-dotnet');
    writeFileSync(join(bin, 'dotnet'), FAKE_DOTNET);
    chmodSync(join(bin, 'dotnet'), 0o755);
    fakeLog = join(bin, 'calls.log');
    writeFileSync(fakeLog, '');
    process.env.PATH = `${bin}:${savedEnv.PATH}`;
    process.env.FAKE_DOTNET_LOG = fakeLog;
  });

  it('mono-interp finds SDK 8.0.122, the workload and WASI SDK 20, then builds with them', async () => {
    const wasi20 = fakeWasiSdk('20.0');
    process.env.WASI_SDK_PATH = wasi20;
    const detection = await monoInterpFlavor.detect();
    expect(detection).toEqual({
      available: true,
      versions: { 'dotnet-sdk': '8.0.122', 'wasi-experimental': '8.0.22/8.0.100', 'wasi-sdk': '20.0' },
      missing: [],
    });

    const workDir = tempDir('work');
    const outPath = join(tempDir('out'), 'guest.wasm');
    const log: string[] = [];
    const result = await monoInterpFlavor.build({ suite: writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES }), options: options({ configuration: 'Debug' }), workDir, outPath, log: (l) => log.push(l) });
    expect(result).toMatchObject({ ok: true, diagnostics: [] });
    expect(result.commands).toEqual([expect.stringMatching(/dotnet publish \S+\/WasmMatrixGuest\.csproj -c Debug -nologo$/)]);
    expect(readFileSync(outPath, 'utf8')).toBe('fake-module');
    expect(readFileSync(fakeLog, 'utf8')).toContain(`verb=publish cfg=Debug cwd=${workDir} wasi=${wasi20} `);
    expect(log).toContain(`  WasmMatrixGuest -> ${workDir}/bin/Debug/net8.0/wasi-wasm/AppBundle/WasmMatrixGuest.wasm`);
  });

  it('mono-interp does not take a WASI SDK of another major (29 is for NativeAOT)', async () => {
    const wasi29 = fakeWasiSdk('29.0');
    process.env.WASI_SDK_PATH = wasi29;
    const detection = await monoInterpFlavor.detect();
    expect(detection.available).toBe(false);
    expect(detection.missing).toEqual([`WASI SDK 20.x (WASI_SDK_PATH=${wasi29} is version 29.0; ${join(cache, 'toolchains', 'wasi-sdk-20.0')} is not provisioned)`]);
  });

  it('nativeaot-llvm finds SDK 10.0.101 and WASI SDK 29, then publishes', async () => {
    process.env.WASI_SDK_PATH = fakeWasiSdk('29.0');
    const detection = await nativeAotLlvmFlavor.detect();
    expect(detection).toMatchObject({
      available: true,
      versions: { 'dotnet-sdk': '10.0.101', 'wasi-sdk': '29.0', 'ilcompiler-llvm': ILCOMPILER_LLVM_VERSION },
      missing: [],
    });
    const workDir = tempDir('work');
    const outPath = join(tempDir('out'), 'guest.wasm');
    const result = await nativeAotLlvmFlavor.build({ suite: writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES }), options: options(), workDir, outPath, log: () => {} });
    expect(result.ok).toBe(true);
    expect(result.commands[0]).toMatch(/dotnet publish \S+\/WasmMatrixGuest\.csproj -c Release -r wasi-wasm -nologo$/);
    expect(readFileSync(outPath, 'utf8')).toBe('fake-module');
    expect(nativeAotLlvmFlavor.lifecycle).toBe('reactor');
    expect(monoInterpFlavor.lifecycle).toBe('command-first');
  });

  // The stand-in checks the harness's side only (project, WIT, command line, output path):
  // that the real ILCompiler links this project into a component is not shown here.
  it('nativeaot-llvm-p2 publishes the component project (world WIT next to it) with the same command', async () => {
    process.env.WASI_SDK_PATH = fakeWasiSdk('29.0');
    expect((await nativeAotLlvmP2Flavor.detect()).available).toBe(true);
    const workDir = tempDir('work');
    const outPath = join(tempDir('out'), 'guest.wasm');
    const log: string[] = [];
    const result = await nativeAotLlvmP2Flavor.build({ suite: writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES }), options: options(), workDir, outPath, log: (l) => log.push(l) });
    expect(result.ok).toBe(true);
    expect(result.commands[0]).toMatch(/dotnet publish \S+\/WasmMatrixGuest\.csproj -c Release -r wasi-wasm -nologo$/);
    const csproj = readFileSync(join(workDir, 'WasmMatrixGuest.csproj'), 'utf8');
    expect(csproj).toContain('<WasmComponentTypeWit Include="wasm-matrix-guest.wit"');
    expect(csproj).not.toContain('IlcLlvmTarget');
    expect(readFileSync(join(workDir, 'wasm-matrix-guest.wit'), 'utf8')).toContain('world guest {');
    expect(readFileSync(outPath, 'utf8')).toBe('fake-module');
    expect(log[0]).toMatch(/^nativeaot-llvm-p2: \.NET SDK 10\.0\.101, ILCompiler\.LLVM /);
  });

  it('mono-interp provisioning installs the missing workload, and refuses the WASI SDK it has no verified sum for', async () => {
    process.env.FAKE_WORKLOAD_MARKER = join(tempDir('marker'), 'installed');
    const before = await monoInterpFlavor.detect();
    expect(before.missing).toEqual([
      expect.stringMatching(/^dotnet workload wasi-experimental for SDK 8\.0\.122 \(not in `dotnet workload list` of /),
      expect.stringMatching(/^WASI SDK 20\.x /),
    ]);
    const log: string[] = [];
    await expect(monoInterpFlavor.provision!((l) => log.push(l))).rejects.toThrow(
      /^mono-interp provisioning incomplete: no sha256 is pinned for wasi-sdk 20\.0 \(\S+wasi-sdk-20\.0-linux\.tar\.gz\): no published or independently recorded sha256 .* set WASI_SDK_PATH to the folder \(its VERSION file must say 20\.x\)$/,
    );
    expect(readFileSync(fakeLog, 'utf8')).toContain('install workload install wasi-experimental --skip-manifest-update');
    expect(log).toContain('Successfully installed workload(s) wasi-experimental.');
    const after = await monoInterpFlavor.detect();
    expect(after.versions['wasi-experimental']).toBe('8.0.22/8.0.100');
    expect(after.missing).toEqual([expect.stringMatching(/^WASI SDK 20\.x /)]);
    // doctor's "how to get it" says why the harness will not download it, and what to do.
    expect(after.howToGet).toMatch(/^WASI SDK 20\.0: no published or independently recorded sha256 .*WASI_SDK_PATH/);
    // With the user's own WASI SDK 20, provisioning has nothing left to do.
    process.env.WASI_SDK_PATH = fakeWasiSdk('20.0');
    await expect(monoInterpFlavor.provision!(() => {})).resolves.toBeUndefined();
    expect((await monoInterpFlavor.detect()).available).toBe(true);
  });

  it('a module written anywhere but the real output path fails the build, naming both places', async () => {
    process.env.WASI_SDK_PATH = fakeWasiSdk('20.0');
    process.env.FAKE_DOTNET_OUT = 'bin/Release/net8.0/wasi-wasm/publish';
    const workDir = tempDir('work');
    const result = await monoInterpFlavor.build({ suite: writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES }), options: options(), workDir, outPath: join(tempDir('out'), 'g.wasm'), log: () => {} });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        message: `the build reported success but produced no ${workDir}/bin/Release/net8.0/wasi-wasm/AppBundle/WasmMatrixGuest.wasm: it wrote ${workDir}/bin/Release/net8.0/wasi-wasm/publish/WasmMatrixGuest.wasm`,
      },
    ]);
  });

  it('a failed build yields its diagnostics once each, and no artifact', async () => {
    process.env.WASI_SDK_PATH = fakeWasiSdk('20.0');
    const suite = writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES });
    process.env.FAKE_DOTNET_FAIL = `${join(suite.dir, 'Cases.cs')}(12,5): error CS1002: ; expected [/w/WasmMatrixGuest.csproj]`;
    const outPath = join(tempDir('out'), 'guest.wasm');
    const result = await monoInterpFlavor.build({ suite, options: options(), workDir: tempDir('work'), outPath, log: () => {} });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([{ file: join(suite.dir, 'Cases.cs'), line: 12, column: 5, severity: 'error', code: 'CS1002', message: '; expected' }]);
  });
});
