// The part of a build both .NET wasm flavors share: where the project is
// (generated, or the user's own), the dotnet command line, and running it.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { BuildRequest, BuildResult } from '../flavor.js';
import { finishBuild } from './build-common.js';
import { type DotnetInstall, dotnetEnv, globalJson } from './dotnet.js';
import { assemblyNameOf, type Item, optionsTargetsXml, type Properties, type Target } from './project-xml.js';
import { runTool } from './run-tool.js';
import type { WasiSdk } from './wasi-sdk.js';

/** The dotnet and WASI SDK a C# wasm build uses. */
export interface DotnetToolchain {
  install: DotnetInstall;
  sdk: string;
  wasiSdk: WasiSdk;
}

/** The project files and commands of one C# build. */
export interface DotnetPlan {
  projectFile: string;
  /** Arguments to `dotnet`, run in the work dir. */
  args: string[];
  /** Where the module should be (for the diagnostic when it is not). */
  expected: string;
  /** The module the build writes, once it has run. */
  built: () => string | undefined;
}

/** What a plan needs to know about the request (no toolchain, so tests can plan without one). */
export type PlanRequest = Pick<BuildRequest, 'suite' | 'options' | 'workDir'>;

/** The targets file that passes build options to MSBuild. */
export const OPTIONS_TARGETS = 'wasm-matrix.options.targets';

/** Pins the SDK for everything run in the work dir. */
export function writeGlobalJson(workDir: string, sdkVersion: string): void {
  writeFileSync(join(workDir, 'global.json'), globalJson(sdkVersion));
}

/**
 * A user-managed project is built as it is, with the harness's options in an imported
 * targets file (MSBuild's CustomBeforeMicrosoftCommonTargets hook, read after the project
 * body so appended DefineConstants survive), and bin/obj inside the work dir.
 */
export function userProject(
  req: PlanRequest,
  optionProperties: Properties,
  extra: { items?: Item[]; targets?: Target[] } = {},
): { projectFile: string; assemblyName: string; args: string[] } {
  const projectFile = resolve(req.options.projectPath!);
  const assemblyName = assemblyNameOf(readFileSync(projectFile, 'utf8'), basename(projectFile, extname(projectFile)));
  const targets = join(req.workDir, OPTIONS_TARGETS);
  writeFileSync(targets, optionsTargetsXml(optionProperties, extra.items, extra.targets));
  return {
    projectFile,
    assemblyName,
    args: [
      `-p:CustomBeforeMicrosoftCommonTargets=${targets}`,
      `-p:BaseOutputPath=${join(req.workDir, 'bin')}/`,
      `-p:BaseIntermediateOutputPath=${join(req.workDir, 'obj')}/`,
    ],
  };
}

/** Writes a plan's project files and runs its commands; failures come back with diagnostics. */
export async function runDotnetPlan(plan: DotnetPlan, toolchain: DotnetToolchain, request: BuildRequest): Promise<BuildResult> {
  const run = await runTool(toolchain.install.executable, plan.args, {
    cwd: request.workDir,
    env: { ...dotnetEnv(toolchain.install), WASI_SDK_PATH: toolchain.wasiSdk.path },
    log: request.log,
  });
  return finishBuild(run, plan.built(), request.outPath, [run.commandLine], { expected: plan.expected, searched: join(request.workDir, 'bin') });
}
