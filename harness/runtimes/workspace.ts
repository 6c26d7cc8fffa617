// Writing a runtime workspace: Cargo.toml from the one generator (features
// derived from the version), then its own Cargo.lock from cargo.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { packageName, type Runtime } from '../config/runtimes.js';
import { projectRoot } from '../paths.js';
import { cargoToml } from './api-ranges.js';

/** The addon source folder. */
export const addonDir = join(projectRoot, 'runtimes', 'addon');

/**
 * The Cargo.toml a runtime's workspace must have. Pinned workspaces point at
 * the addon with a relative path (the clone can move); on-demand ones in the
 * cache with an absolute one, rewritten on every build, so a cache shared by
 * two clones builds the clone that asks.
 */
export function expectedCargoToml(runtime: Pick<Runtime, 'id' | 'wasmtime' | 'wasmtimeWasi' | 'workspaceDir' | 'pinned'>): string {
  return cargoToml({
    packageName: packageName(runtime.id),
    wasmtime: runtime.wasmtime,
    wasmtimeWasi: runtime.wasmtimeWasi,
    addonDir: runtime.pinned ? relative(runtime.workspaceDir, addonDir) : addonDir,
  });
}

/** Writes the workspace's Cargo.toml and resolves its own Cargo.lock. */
export async function writeWorkspace(runtime: Runtime): Promise<void> {
  mkdirSync(runtime.workspaceDir, { recursive: true });
  writeFileSync(join(runtime.workspaceDir, 'Cargo.toml'), expectedCargoToml(runtime));
  const result = await execa('cargo', ['generate-lockfile', '--manifest-path', join(runtime.workspaceDir, 'Cargo.toml')], {
    reject: false,
    all: true,
  });
  if (result.exitCode !== 0) {
    throw new Error(`cargo generate-lockfile for ${runtime.id} failed (exit ${result.exitCode}):\n${String(result.all ?? '').slice(-2000)}`);
  }
}
