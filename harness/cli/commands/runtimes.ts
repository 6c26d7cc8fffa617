// `runtimes`: each runtime (pinned, and those added on demand) as its own
// worker reports it; `runtimes add VERSION`: any Wasmtime on demand;
// `build-runtimes`: build the addons that are missing or stale.
import type { Command } from 'commander';
import { knownRuntimes, loadRuntimes, runtimeById } from '../../config/runtimes.js';
import { addRuntime } from '../../runtimes/add.js';
import { buildAddon, type AddonBuild } from '../../runtimes/build-addons.js';
import { notBuiltReason } from '../../runtimes/status.js';
import { WorkerPool } from '../../workers/pool.js';
import { printJson, printTable } from '../output.js';

/** A runtime of the manifest: built or not, and what its worker reports. */
export interface RuntimeStatus {
  id: string;
  pinned: string;
  /** True for runtimes/runtimes.json, false for one added on demand (in the cache). */
  inManifest: boolean;
  built: boolean;
  wasmtimeVersion?: string;
  compatibilityHash?: string;
  pid?: number;
  error?: string;
}

/** Every runtime's status. */
export async function runtimeStatuses(): Promise<RuntimeStatus[]> {
  const runtimes = knownRuntimes();
  const pool = new WorkerPool(runtimes);
  try {
    return await Promise.all(
      runtimes.map(async (runtime): Promise<RuntimeStatus> => {
        const notBuilt = notBuiltReason(runtime);
        const base = { id: runtime.id, pinned: runtime.wasmtime, inManifest: runtime.pinned, built: !notBuilt };
        if (notBuilt) return { ...base, error: notBuilt };
        try {
          const info = await pool.worker(runtime.id).describe();
          return { ...base, wasmtimeVersion: info.wasmtimeVersion, compatibilityHash: info.compatibilityHash, pid: info.pid };
        } catch (e) {
          return { ...base, error: (e as Error).message };
        }
      }),
    );
  } finally {
    await pool.close();
  }
}

/** One line per build for people; a runtime that was not built says why and what builds it. */
function printBuild(build: AddonBuild): void {
  if (build.status === 'built') return;
  process.stderr.write(`wasm-matrix: ${build.runtimeId} not built: ${build.reason}\n  build it with: ${build.command}\n`);
}

/** The `runtimes` commands. */
export function registerRuntimeCommands(program: Command): void {
  const runtimes = program
    .command('runtimes')
    .description('list the runtimes (pinned, and added on demand), each queried in its own worker process')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const statuses = await runtimeStatuses();
      if (opts.json) printJson({ runtimes: statuses });
      else
        printTable(
          ['runtime', 'pinned', 'where', 'built', 'wasmtime', 'compatibility hash', 'pid'],
          statuses.map((s) => [
            s.id,
            s.pinned,
            s.inManifest ? 'manifest' : 'cache',
            s.built ? 'yes' : 'no',
            s.wasmtimeVersion ?? s.error ?? '',
            s.compatibilityHash ?? '',
            String(s.pid ?? ''),
          ]),
        );
    });

  runtimes
    .command('add <version>')
    .description('add any Wasmtime (24.0.0 or newer) from crates.io: create its workspace in the cache and build it')
    .option('--pin', 'pin it instead: runtimes/wasmtime-<major>/ and a line in runtimes/runtimes.json')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  wasm-matrix runtimes add 42.0.2\n  wasm-matrix runtimes add 49.0.5 --pin')
    .action(async (version: string, opts: { pin?: boolean; json?: boolean }, command: Command) => {
      // `runtimes` has a --json of its own, which commander hands `--json` after `add` to.
      opts.json ||= !!command.parent?.opts<{ json?: boolean }>().json;
      const { runtime, created, build } = await addRuntime(version, { pin: opts.pin, quiet: opts.json });
      if (opts.json) printJson({ runtime: { id: runtime.id, wasmtime: runtime.wasmtime, workspace: runtime.workspaceDir, pinned: runtime.pinned, rust: runtime.rust }, created, build });
      else {
        printBuild(build);
        process.stdout.write(
          `${runtime.id}: Wasmtime ${runtime.wasmtime}, workspace ${runtime.workspaceDir}${created ? ' (created)' : ''}; ` +
            (build.status === 'built' ? `built in ${build.seconds.toFixed(1)} s with ${build.toolchain}; use it with --runtime ${runtime.id}\n` : 'not built\n'),
        );
      }
      if (build.status !== 'built') process.exitCode = 1;
    });

  program
    .command('build-runtimes')
    .description('build the runtime addons that are missing or stale (cargo rebuilds only what changed)')
    .option('--runtime <id...>', 'only these runtimes (pinned or added on demand)')
    .option('--json', 'print JSON')
    .action(async (opts: { runtime?: string[]; json?: boolean }) => {
      const chosen = opts.runtime ? opts.runtime.map((id) => runtimeById(id)) : loadRuntimes();
      const builds: AddonBuild[] = [];
      // One at a time: cargo locks the shared target dir anyway, and two cores
      // are better spent on one build's parallel crates. A runtime whose toolchain
      // is missing is reported and skipped; the others still build.
      for (const runtime of chosen) {
        const build = await buildAddon(runtime, { quiet: opts.json });
        if (!opts.json) printBuild(build);
        builds.push(build);
      }
      if (opts.json) printJson({ builds });
    });
}
