// The guest's output outside the worker's memory. Every instance a worker
// makes writes its stdout and stderr through to two files in a folder the
// supervisor gives it (the addon's `outputSpill`), so when the worker dies or
// is killed mid-call the supervisor still has what the guest printed: a panic
// message before a crash is often the one line that explains it.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CapturedStreams } from './protocol.js';

/** The environment variable that tells a worker process its spill folder. */
export const OUTPUT_SPILL_ENV = 'WASM_MATRIX_OUTPUT_SPILL_DIR';

/** The two spill files of a folder. */
export function spillFiles(dir: string): { stdout: string; stderr: string } {
  return { stdout: join(dir, 'stdout'), stderr: join(dir, 'stderr') };
}

/** A fresh spill folder for one supervised worker (its restarts reuse it). */
export function makeSpillDir(): string {
  return mkdtempSync(join(tmpdir(), 'wasm-matrix-output-'));
}

/**
 * Empties what an earlier request left, so a failure reports only its own
 * request's output. Truncated, not removed: a worker keeps its spill files
 * open for appending (instantiating opens nothing), and appending follows
 * the truncation.
 */
export function clearSpill(dir: string): void {
  for (const file of Object.values(spillFiles(dir))) writeFileSync(file, '');
}

/**
 * What the guest wrote before its worker failed, cut at `capBytes` like a
 * finished call's capture (the addon keeps one byte more, the witness of a
 * cut); undefined when it wrote nothing or no instance was made.
 */
export function readSpill(dir: string, capBytes: number): CapturedStreams | undefined {
  const files = spillFiles(dir);
  const read = (path: string) => (existsSync(path) ? readFileSync(path) : Buffer.alloc(0));
  const stdout = read(files.stdout);
  const stderr = read(files.stderr);
  if (stdout.length === 0 && stderr.length === 0) return undefined;
  return {
    stdout: stdout.subarray(0, capBytes),
    stderr: stderr.subarray(0, capBytes),
    ...(stdout.length > capBytes ? { stdoutTruncated: true as const } : {}),
    ...(stderr.length > capBytes ? { stderrTruncated: true as const } : {}),
  };
}
