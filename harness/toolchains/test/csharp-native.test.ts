// csharp-native end to end on this machine: mcs builds a tiny suite with the
// SDK and the runner, and mono runs it through runNativeDispatcher / runNativeCommand.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csharpNativeFlavor, runNativeCommand, runNativeDispatcher } from '../csharp/index.js';
import type { BuildResult } from '../flavor.js';
import { ECHO_CASES, options, removeTempDirs, tempDir, writeSuite } from './csharp-fixtures.js';

const detection = await csharpNativeFlavor.detect();
if (!detection.available) console.warn(`csharp-native tests skipped: ${detection.missing.join('; ')} (${detection.provisionCommand})`);

afterAll(removeTempDirs);

async function build(suite = writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES }), opts = options()): Promise<{ result: BuildResult; exe: string; log: string[] }> {
  const dir = tempDir('native-build');
  const exe = join(dir, 'out', 'guest.exe');
  const log: string[] = [];
  const result = await csharpNativeFlavor.build({ suite, options: opts, workDir: join(dir, 'work'), outPath: exe, log: (l) => log.push(l) });
  return { result, exe, log };
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe.skipIf(!detection.available)('csharp-native', () => {
  let exe: string;

  beforeAll(async () => {
    const built = await build();
    expect(built.result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(built.result.ok).toBe(true);
    expect(built.result.commands[0]).toMatch(/mcs -optimize\+ -d:TRACE -d:RELEASE -out:\S+guest\.exe -d:WASM_MATRIX_NATIVE -main:WasmMatrix\.Guest\.NativeRunner .*CaseRegistry\.cs .*Cases\.cs .*NativeRunner\.cs$/);
    exe = built.exe;
  });

  it('reports mcs and mono versions', () => {
    expect(detection.versions.mcs).toMatch(/^\d+\.\d+/);
    expect(detection.versions.mono).toMatch(/^\d+\.\d+/);
    expect(csharpNativeFlavor).toMatchObject({ id: 'csharp-native', language: 'csharp', target: 'native', lifecycle: 'none' });
  });

  it('serves a batch of dispatcher calls from one mono process', async () => {
    const results = await runNativeDispatcher(
      exe,
      [
        { case: 'echo', input: utf8('abc') },
        { case: 'upper', input: utf8('héllo wörld') },
        { case: 'echo', input: new Uint8Array([0, 255, 10, 13, 34, 92]) },
        { case: 'divide', input: new Uint8Array(0) },
        { case: 'divide', input: utf8('abcd') },
        { case: 'nope', input: new Uint8Array(0) },
        { case: 'flavor', input: new Uint8Array(0) },
      ],
      { timeoutMs: 20_000 },
    );
    expect(results[0]).toEqual({ status: 'ok', output: utf8('abc') });
    expect(results[1]).toEqual({ status: 'ok', output: utf8('HÉLLO WÖRLD') });
    expect(results[2]).toEqual({ status: 'ok', output: new Uint8Array([0, 255, 10, 13, 34, 92]) });
    expect(results[3]).toEqual({ status: 'guest-error', message: expect.stringMatching(/^System\.DivideByZeroException: /) });
    expect(results[4]).toEqual({ status: 'ok', output: new Uint8Array([25]) });
    expect(results[5]).toEqual({ status: 'guest-error', message: 'WasmMatrix.Guest.UnknownCaseException: no case named nope' });
    expect(results[6]).toEqual({ status: 'ok', output: utf8('native') });
  });

  it('marks a hanging call and the calls after it as hang, killing the process', async () => {
    const started = Date.now();
    const results = await runNativeDispatcher(
      exe,
      [
        { case: 'echo', input: utf8('1') },
        { case: 'spin', input: new Uint8Array(0) },
        { case: 'echo', input: utf8('3') },
      ],
      { timeoutMs: 3_000 },
    );
    expect(results[0]).toEqual({ status: 'ok', output: utf8('1') });
    expect(results[1]).toMatchObject({ status: 'hang', message: expect.stringContaining('no reply for case "spin" within 3000 ms') });
    expect(results[2]).toMatchObject({ status: 'hang', message: expect.stringContaining('not run') });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('marks the call that kills the process and the rest as crash', async () => {
    const results = await runNativeDispatcher(
      exe,
      [
        { case: 'echo', input: utf8('1') },
        { case: 'die', input: new Uint8Array(0) },
        { case: 'echo', input: utf8('3') },
      ],
      { timeoutMs: 20_000 },
    );
    expect(results[0]).toEqual({ status: 'ok', output: utf8('1') });
    expect(results[1]).toMatchObject({ status: 'crash', message: expect.stringContaining('mono exited with code 3 before answering case "die"') });
    expect(results[2]).toMatchObject({ status: 'crash', message: expect.stringMatching(/^not run: /) });
  });

  it('honours Debug and extra defines', async () => {
    const { result, exe: debugExe } = await build(undefined, options({ configuration: 'Debug', defines: ['EXTRA_CASE'] }));
    expect(result.ok).toBe(true);
    expect(result.commands[0]).toMatch(/mcs -debug -optimize- -d:TRACE -d:DEBUG .* -d:EXTRA_CASE /);
    const [extra] = await runNativeDispatcher(debugExe, [{ case: 'extra', input: new Uint8Array(0) }], { timeoutMs: 20_000 });
    expect(extra).toEqual({ status: 'ok', output: utf8('extra') });
  });

  it('turns a compile error into diagnostics with file and line', async () => {
    const broken = writeSuite('dispatcher', {
      'Cases.cs': 'using WasmMatrix.Guest;\npublic static class GuestCases\n{\n    public static void Register(CaseRegistry registry)\n    {\n        int x = ;\n    }\n}\n',
    });
    const { result, exe: missing } = await build(broken);
    expect(result.ok).toBe(false);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors[0]).toMatchObject({ file: join(broken.dir, 'Cases.cs'), line: 6, severity: 'error', code: expect.stringMatching(/^CS\d{4}$/) });
    expect(existsSync(missing)).toBe(false);
  });

  it('runs a command suite with args, stdin and only the given environment', async () => {
    const suite = writeSuite('command', {
      'Program.cs': `using System;
public static class GuestProgram
{
    public static int Main(string[] args)
    {
        Console.WriteLine("args=" + string.Join(",", args));
        Console.WriteLine("stdin=" + Console.In.ReadToEnd());
        Console.WriteLine("GREETING=" + Environment.GetEnvironmentVariable("GREETING"));
        Console.WriteLine("SECRET=" + (Environment.GetEnvironmentVariable("WM_TEST_SECRET") ?? "<unset>"));
        Console.Error.WriteLine("to stderr");
        return 7;
    }
}
`,
    });
    const { result, exe: commandExe } = await build(suite);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    process.env.WM_TEST_SECRET = 'host-only';
    const outcome = await runNativeCommand(commandExe, { args: ['a', 'b c'], env: { GREETING: 'hi' }, stdin: utf8('piped'), timeoutMs: 20_000 });
    delete process.env.WM_TEST_SECRET;
    if ('status' in outcome) throw new Error(`command failed: ${outcome.message}`);
    expect(outcome.exitCode).toBe(7);
    expect(Buffer.from(outcome.stdout).toString()).toBe('args=a,b c\nstdin=piped\nGREETING=hi\nSECRET=<unset>\n');
    expect(Buffer.from(outcome.stderr).toString()).toBe('to stderr\n');

    const hang = writeSuite('command', { 'Program.cs': 'public static class GuestProgram { public static int Main(string[] a) { while (true) { } } }' });
    const hangExe = (await build(hang)).exe;
    expect(await runNativeCommand(hangExe, { args: [], env: {}, timeoutMs: 2_000 })).toMatchObject({ status: 'hang' });
  });

  it('fails clearly for a suite without C# sources', async () => {
    const suite = { ...writeSuite('dispatcher', {}), sources: {} };
    const { result } = await build(suite);
    expect(result).toMatchObject({ ok: false, diagnostics: [{ severity: 'error', message: expect.stringMatching(/has no C# sources/) }] });
  });
});
