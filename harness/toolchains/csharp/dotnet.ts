// Finding .NET SDKs (on PATH, under DOTNET_ROOT, or provisioned in the cache)
// and asking them what they have. A machine often has several SDKs, so every
// dotnet invocation runs next to a global.json that selects the exact one.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { toolchainDir } from '../provision/index.js';
import { runTool } from './run-tool.js';
import { isFile, onPath } from './which.js';

/** A dotnet found on this machine with its SDK versions. */
export interface DotnetInstall {
  executable: string;
  /** DOTNET_ROOT: the folder holding `dotnet`, `sdk/`, `packs/`. */
  root: string;
  where: 'PATH' | 'DOTNET_ROOT' | 'cache';
  /** SDK versions from `dotnet --list-sdks`. */
  sdks: string[];
}

const exe = process.platform === 'win32' ? 'dotnet.exe' : 'dotnet';

/** Where dotnet is looked for, in order; `cacheVersions` are provisioned SDK versions. */
function candidates(cacheVersions: string[]): Array<{ executable: string; where: DotnetInstall['where'] }> {
  const found: Array<{ executable: string; where: DotnetInstall['where'] }> = [];
  const fromPath = onPath('dotnet');
  if (fromPath) found.push({ executable: realpathSync(fromPath), where: 'PATH' });
  if (process.env.DOTNET_ROOT) found.push({ executable: join(process.env.DOTNET_ROOT, exe), where: 'DOTNET_ROOT' });
  for (const v of cacheVersions) found.push({ executable: join(toolchainDir('dotnet-sdk', v), exe), where: 'cache' });
  return found.filter((c, i) => isFile(c.executable) && found.findIndex((o) => o.executable === c.executable) === i);
}

/** Environment for running an install: its own root first, no telemetry or first-run banners. */
export function dotnetEnv(install: Pick<DotnetInstall, 'root' | 'where'>): Record<string, string> {
  return {
    DOTNET_ROOT: install.root,
    PATH: `${install.root}${delimiter}${process.env.PATH ?? ''}`,
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    DOTNET_NOLOGO: '1',
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1',
    DOTNET_MULTILEVEL_LOOKUP: '0',
    // A provisioned SDK keeps its first-run state in the cache, not in the user's home.
    ...(install.where === 'cache' ? { DOTNET_CLI_HOME: join(install.root, '..', 'dotnet-home') } : {}),
  };
}

/** Every dotnet on PATH, under DOTNET_ROOT, or in the toolchain cache. */
export async function findDotnetInstalls(cacheVersions: string[]): Promise<DotnetInstall[]> {
  const installs: DotnetInstall[] = [];
  for (const c of candidates(cacheVersions)) {
    const root = dirname(c.executable);
    const run = await runTool(c.executable, ['--list-sdks'], { env: dotnetEnv({ root, where: c.where }), timeoutMs: 60_000 });
    // Lines look like "8.0.122 [/usr/share/dotnet/sdk]".
    const sdks = run.exitCode === 0 ? [...run.output.matchAll(/^(\d+\.\d+\.\d+\S*)\s+\[/gm)].map((m) => m[1]!) : [];
    installs.push({ executable: c.executable, root, where: c.where, sdks });
  }
  return installs;
}

/** The first install with an SDK that satisfies `accept`, newest such SDK first. */
export function pickSdk(installs: DotnetInstall[], accept: (version: string) => boolean): { install: DotnetInstall; sdk: string } | undefined {
  for (const install of installs) {
    const sdk = install.sdks.filter(accept).sort(compareVersions).at(-1);
    if (sdk) return { install, sdk };
  }
  return undefined;
}

/** Orders dotted versions numerically. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : -1));
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** global.json selecting exactly this SDK, so a newer SDK on the machine is never used instead. */
export function globalJson(sdkVersion: string): string {
  return `${JSON.stringify({ sdk: { version: sdkVersion, rollForward: 'disable' } }, null, 2)}\n`;
}

/** Installed workloads (id -> manifest version) of one SDK, from `dotnet workload list`. */
export async function installedWorkloads(install: DotnetInstall, sdkVersion: string): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'wm-dotnet-'));
  try {
    writeFileSync(join(dir, 'global.json'), globalJson(sdkVersion));
    const run = await runTool(install.executable, ['workload', 'list'], { cwd: dir, env: dotnetEnv(install), timeoutMs: 120_000 });
    return parseWorkloadList(run.output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Rows of the table `dotnet workload list` prints:
 *   Installed Workload Id      Manifest Version       Installation Source
 *   wasi-experimental          8.0.22/8.0.100         SDK 8.0.100
 */
export function parseWorkloadList(output: string): Map<string, string> {
  const workloads = new Map<string, string>();
  for (const line of output.split(/\r?\n/)) {
    const m = /^\s*([a-z][\w.-]*)\s+(\d+\.\d+\.\d+\S*)\s+\S/.exec(line);
    if (m) workloads.set(m[1]!, m[2]!);
  }
  return workloads;
}

/** A readable account of what was found, for `missing` messages. */
export function describeInstalls(installs: DotnetInstall[]): string {
  if (installs.length === 0) return 'dotnet not found on PATH, under DOTNET_ROOT, or in the toolchain cache';
  return installs.map((i) => `${i.executable} has ${i.sdks.length ? i.sdks.join(', ') : 'no SDKs'}`).join('; ');
}
