// Valgrind's callgrind as the instruction counter of `bench --measure
// instructions`: finding valgrind, the command line a counting worker runs
// under, and reading the per-region dump files it writes.
//
// The worker runs as `valgrind --tool=callgrind --collect-atstart=no
// --callgrind-out-file=DIR/callgrind.out.%p node worker-main.js`: collection
// is off from the start and only the addon's counted regions switch it on
// (runtimes/addon/src/counting.rs); each phase ends with a `DUMP_STATS_AT`
// client request labelled with the phase, which callgrind writes to
// `callgrind.out.<pid>.<n>` (n = 1, 2, ... in dump order) with the label in its
// `desc: Trigger: Client Request: <label>` line and the count in `summary:`.
// The last file, `callgrind.out.<pid>` (program termination), holds what was
// counted after the last dump: nothing, as collection is off.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerLaunch } from '../workers/runtime-worker.js';

/** The environment variable naming the valgrind binary (default: `valgrind` on PATH). */
export const VALGRIND_ENV = 'WASM_MATRIX_VALGRIND';

/**
 * How much slower guest code runs under callgrind than natively, as the
 * factor applied to every guest deadline and watchdog of a counting worker
 * (measured here: 30-100x; a deadline is a wall-clock limit, and the engine's
 * options stay the same).
 */
export const CALLGRIND_SLOWDOWN = 100;

/** Whether valgrind can count here, and which. */
export type ValgrindStatus = { available: true; command: string; version: string } | { available: false; command: string; reason: string };

/** Finds valgrind: `$WASM_MATRIX_VALGRIND` or `valgrind` on PATH, asked for its version. */
export function detectValgrind(env: NodeJS.ProcessEnv = process.env): ValgrindStatus {
  const command = env[VALGRIND_ENV] || 'valgrind';
  const how = env[VALGRIND_ENV] ? `${VALGRIND_ENV}=${command}` : 'valgrind on PATH';
  const result = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 30_000, env });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { available: false, command, reason: `${how}: ${missing ? 'not found' : result.error.message}; install the Debian package valgrind (harness/setup.sh does)` };
  }
  const version = result.stdout.trim();
  if (result.status !== 0 || !/^valgrind-\d/.test(version)) {
    return { available: false, command, reason: `${how}: \`--version\` answered ${JSON.stringify((version || result.stderr).slice(0, 200))} (exit ${result.status})` };
  }
  return { available: true, command, version };
}

/** The launch of a counting worker whose dump files go to `outDir`. */
export function callgrindLaunch(command: string, outDir: string): WorkerLaunch {
  return {
    wrapper: {
      command,
      args: ['--tool=callgrind', '--collect-atstart=no', `--callgrind-out-file=${join(outDir, 'callgrind.out.%p')}`, '--quiet'],
    },
    startWatchdogMs: 600_000,
    closeGraceMs: 120_000,
  };
}

/** One dump file: its region label, its number and its instruction count. */
export interface Dump {
  label: string;
  part: number;
  instructions: number;
}

/**
 * The labelled dumps of process `pid` in `dir`, in dump order. A file without
 * a `summary:` (or `totals:`) line, or one whose count is not a whole number,
 * is an error naming the file.
 */
export function readDumps(dir: string, pid: number): Dump[] {
  const prefix = `callgrind.out.${pid}.`;
  const dumps: Dump[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const part = Number(name.slice(prefix.length));
    if (!Number.isInteger(part)) continue;
    dumps.push({ part, ...parseDump(join(dir, name)) });
  }
  return dumps.sort((a, b) => a.part - b.part);
}

/** The label and instruction count of one callgrind output file. */
export function parseDump(file: string): { label: string; instructions: number } {
  const text = readFileSync(file, 'utf8');
  const label = /^desc: Trigger: Client Request: (.*)$/m.exec(text)?.[1]?.trim() ?? '';
  const events = /^events: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? ['Ir'];
  const line = /^summary: (.*)$/m.exec(text)?.[1] ?? /^totals: (.*)$/m.exec(text)?.[1];
  if (line === undefined) throw new Error(`${file}: no summary: or totals: line (a truncated callgrind dump)`);
  const at = Math.max(0, events.indexOf('Ir'));
  const value = line.trim().split(/\s+/)[at] ?? '';
  if (!/^\d+$/.test(value)) throw new Error(`${file}: the Ir count ${JSON.stringify(value)} is not a whole number`);
  return { label, instructions: Number(value) };
}
