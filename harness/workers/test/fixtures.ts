// Builds the runtime-test guests with Debian clang-14 at test set-up time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Runtime } from '../../config/runtimes.js';
import { WorkerPool } from '../pool.js';

const here = new URL('./fixtures/', import.meta.url).pathname;

export interface Fixtures {
  dir: string;
  abi: string;
  command: string;
  traps: string;
  needsImport: string;
}

export function buildFixtures(): Fixtures {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-fixtures-'));
  const clang = (out: string, src: string, extra: string[]) =>
    execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', '-Wno-infinite-recursion', ...extra, '-o', join(dir, out), join(here, src)], { stdio: 'pipe' });
  clang('abi.wasm', 'abi-guest.c', ['-mexec-model=reactor']);
  clang('command.wasm', 'command.c', []);
  return { dir, abi: join(dir, 'abi.wasm'), command: join(dir, 'command.wasm'), traps: join(here, 'traps.wat'), needsImport: join(here, 'needs-import.wat') };
}

/** Builds the fixtures and one worker pool over every runtime for a test file;
 * both are on the returned object once the file's tests start. */
export function useFixturesAndPool(runtimes: Runtime[]): { fx: Fixtures; pool: WorkerPool } {
  const shared = {} as { fx: Fixtures; pool: WorkerPool };
  beforeAll(() => {
    shared.fx = buildFixtures();
    shared.pool = new WorkerPool(runtimes);
  });
  afterAll(() => shared.pool?.close());
  return shared;
}
