// `runtimes`: each pinned runtime as its own worker reports it;
// `build-runtimes`: build the addons that are missing or stale.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadRuntimes, runtimeById } from '../../config/runtimes.js';
import { buildAddon } from '../../runtimes/build-addons.js';
import { WorkerPool } from '../../workers/pool.js';
import { printJson, printTable } from '../output.js';

/** A runtime of the manifest: built or not, and what its worker reports. */
export interface RuntimeStatus {
  id: string;
  pinned: string;
  built: boolean;
  wasmtimeVersion?: string;
  compatibilityHash?: string;
  pid?: number;
  error?: string;
}

/** Every runtime's status. */
export async function runtimeStatuses(): Promise<RuntimeStatus[]> {
  const runtimes = loadRuntimes();
  const pool = new WorkerPool(runtimes);
  try {
    return await Promise.all(
      runtimes.map(async (runtime): Promise<RuntimeStatus> => {
        const base = { id: runtime.id, pinned: runtime.wasmtime, built: existsSync(runtime.addonPath) };
        if (!base.built) return { ...base, error: 'not built; run: npm run build' };
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

/** The `runtimes` commands. */
export function registerRuntimeCommands(program: Command): void {
  program
    .command('runtimes')
    .description('list the pinned Wasmtime runtimes, each queried in its own worker process')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const statuses = await runtimeStatuses();
      if (opts.json) printJson({ runtimes: statuses });
      else
        printTable(
          ['runtime', 'pinned', 'built', 'wasmtime', 'compatibility hash', 'pid'],
          statuses.map((s) => [s.id, s.pinned, s.built ? 'yes' : 'no', s.wasmtimeVersion ?? s.error ?? '', s.compatibilityHash ?? '', String(s.pid ?? '')]),
        );
    });

  program
    .command('build-runtimes')
    .description('build the runtime addons that are missing or stale (cargo rebuilds only what changed)')
    .option('--runtime <id...>', 'only these runtimes')
    .option('--json', 'print JSON')
    .action(async (opts: { runtime?: string[]; json?: boolean }) => {
      const all = loadRuntimes();
      const chosen = opts.runtime ? opts.runtime.map((id) => runtimeById(id, all)) : all;
      const builds = [];
      // One at a time: cargo locks the shared target dir anyway, and two cores
      // are better spent on one build's parallel crates.
      for (const runtime of chosen) builds.push(await buildAddon(runtime, { quiet: opts.json }));
      if (opts.json) printJson({ builds });
    });
}
