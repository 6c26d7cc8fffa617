// Where things live: the project root (found from this file, so the harness
// works from dist/ and from sources under vitest) and the per-user cache.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'runtimes', 'runtimes.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the wasm-matrix project root above ${start}`);
    dir = parent;
  }
}

/** The repository root (the folder holding package.json), found from this file. */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** The per-user cache: toolchains, artifacts, cargo's target dir. */
export function cacheDir(): string {
  if (process.env.WASM_MATRIX_CACHE_DIR) return resolve(process.env.WASM_MATRIX_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'wasm-matrix');
}

/** Cargo's target dir, outside the clone so a fresh clone rebuilds incrementally. */
export function cargoTargetDir(): string {
  return process.env.WASM_MATRIX_CARGO_TARGET_DIR
    ? resolve(process.env.WASM_MATRIX_CARGO_TARGET_DIR)
    : join(cacheDir(), 'cargo-target');
}

/** The compiled worker entry point; workers always run compiled JavaScript. */
export function workerEntry(): string {
  return join(projectRoot, 'dist', 'harness', 'workers', 'worker-main.js');
}
