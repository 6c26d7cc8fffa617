// Flavor csharp-native: the same C# case code compiled by Debian's mcs and
// run on desktop Mono. Not wasm: a reference column proving the guest logic.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Detection, Flavor } from '../flavor.js';
import { csharpSources, failure, finishBuild, guestDefines, sourcesProblem } from './build-common.js';
import { runTool } from './run-tool.js';
import { DEFINE, dispatcherSdkSources, nativeRunnerSource } from './sdk.js';
import { onPath } from './which.js';

/** How to get desktop Mono (mcs and mono). */
export const NATIVE_PROVISION_COMMAND = 'apt-get install -y mono-devel';
/** The runner class that serves dispatcher calls on desktop Mono. */
export const RUNNER_CLASS = 'WasmMatrix.Guest.NativeRunner';

/** "Mono C# compiler version 6.8.0.105" / "Mono JIT compiler version 6.8.0.105 (Debian ...)" -> 6.8.0.105. */
async function versionOf(tool: string): Promise<string | undefined> {
  const executable = onPath(tool);
  if (!executable) return undefined;
  const run = await runTool(executable, ['--version'], { timeoutMs: 30_000 });
  return /version\s+(\d+(?:\.\d+)+)/.exec(run.output)?.[1];
}

async function detect(): Promise<Detection> {
  const [mcs, mono] = await Promise.all([versionOf('mcs'), versionOf('mono')]);
  const missing = [
    ...(mcs ? [] : ['mcs, the Mono C# compiler (not on PATH; Debian package mono-devel)']),
    ...(mono ? [] : ['mono, the Mono runtime (not on PATH; Debian package mono-devel)']),
  ];
  return {
    available: missing.length === 0,
    versions: { ...(mcs ? { mcs } : {}), ...(mono ? { mono } : {}) },
    missing,
    ...(missing.length ? { provisionCommand: NATIVE_PROVISION_COMMAND } : {}),
  };
}

/** Mirrors what an SDK-style project defines per configuration. */
const configurationArgs = (configuration: 'Release' | 'Debug'): string[] =>
  configuration === 'Release' ? ['-optimize+', '-d:TRACE', '-d:RELEASE'] : ['-debug', '-optimize-', '-d:TRACE', '-d:DEBUG'];

/** The C# cases compiled by mcs and run on desktop Mono: the non-wasm reference. */
export const csharpNativeFlavor: Flavor = {
  id: 'csharp-native',
  language: 'csharp',
  target: 'native',
  lifecycle: 'none',
  detect,
  async build(request) {
    const { suite, options, workDir, outPath, log } = request;
    const problem = sourcesProblem(suite);
    if (problem) return failure(problem);
    const mcs = onPath('mcs');
    if (!mcs) return failure(`csharp-native is not available: mcs is not on PATH (${NATIVE_PROVISION_COMMAND})`);
    if (options.projectPath) log(`csharp-native: ignoring projectPath ${options.projectPath} (it applies to the .NET wasm flavors)`);
    mkdirSync(workDir, { recursive: true });
    const defines = guestDefines(DEFINE.native, suite, options);
    const sdk = suite.kind === 'dispatcher' ? dispatcherSdkSources() : [];
    const args = [
      ...configurationArgs(options.configuration),
      `-out:${outPath}`,
      ...defines.map((d) => `-d:${d}`),
      // Command suites have GuestProgram.Main as well; the runner is the entry point.
      `-main:${RUNNER_CLASS}`,
      ...sdk,
      ...csharpSources(suite),
      nativeRunnerSource(),
    ];
    mkdirSync(dirname(outPath), { recursive: true });
    rmSync(outPath, { force: true }); // never mistake an earlier artifact for this build's
    const run = await runTool(mcs, args, { cwd: workDir, log });
    return finishBuild(run, outPath, outPath, [run.commandLine]);
  },
};
