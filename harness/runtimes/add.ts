// `runtimes add VERSION [--pin]`: any Wasmtime from 24 on, on demand. The
// workspace (Cargo.toml from the one generator, its own Cargo.lock with `=`
// pins) goes to the cache (<cache>/runtimes/wasmtime-X.Y.Z/) unless --pin puts
// it under runtimes/ with a manifest line; then it is built.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadOnDemandRuntimes,
  loadRuntimes,
  lockedWasmtimeVersion,
  manifestPath,
  onDemandRecordName,
  onDemandRuntimesDir,
  RuntimesManifest,
  runtimeFromEntry,
  type Runtime,
  type RuntimeEntry,
} from '../config/runtimes.js';
import { UsageError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { writeAtomically } from '../util/atomic-write.js';
import { ADDON_MIN_RUST, adapterFeatures, majorOf, maxVersion } from './api-ranges.js';
import { buildAddon, type AddonBuild } from './build-addons.js';
import { crateReleases, requireRelease, type Release } from './registry.js';
import { writeWorkspace } from './workspace.js';

/** The minimum Rust of a runtime: its Wasmtime's `rust-version`, and never less than the addon needs. */
export function minimumRust(release: Pick<Release, 'rustVersion'>): string {
  return maxVersion(release.rustVersion ?? ADDON_MIN_RUST, ADDON_MIN_RUST);
}

/** The manifest, one runtime per line (the layout people edit). */
export function formatManifest(entries: RuntimeEntry[]): string {
  const line = (e: RuntimeEntry) => `{ ${Object.entries(e).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
  const lines = entries.map((e) => `    ${line(e)}`);
  return `{\n  "schemaVersion": 1,\n  "runtimes": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

export interface AddResult {
  runtime: Runtime;
  /** False when the workspace already existed (only the build ran). */
  created: boolean;
  build: AddonBuild;
}

/**
 * The runtime for `version`, its workspace created when missing, without building.
 * Throws a usage error (exit 2) for a version crates.io does not have.
 */
export async function ensureRuntime(version: string, opts: { pin?: boolean; releases?: Release[] } = {}): Promise<{ runtime: Runtime; created: boolean }> {
  adapterFeatures(version); // syntax and the oldest supported major, before asking anyone
  const pinned = loadRuntimes();
  const already = pinned.find((r) => r.wasmtime === version);
  if (already) return { runtime: already, created: false };
  const id = opts.pin ? `wasmtime-${majorOf(version)}` : `wasmtime-${version}`;
  if (opts.pin && pinned.some((r) => r.id === id)) {
    const other = pinned.find((r) => r.id === id)!;
    throw new UsageError(`${id} is already pinned to ${other.wasmtime} in ${manifestPath}; change its pins there, or add ${version} unpinned`);
  }
  if (!opts.pin) {
    const cached = loadOnDemandRuntimes().find((r) => r.id === id);
    if (cached && lockedWasmtimeVersion(cached) === version) return { runtime: cached, created: false };
  }

  const releases = opts.releases ?? (await crateReleases('wasmtime'));
  const release = requireRelease(releases, 'wasmtime', version);
  const wasi = requireRelease(await crateReleases('wasmtime-wasi'), 'wasmtime-wasi', version);
  const entry: RuntimeEntry = {
    id,
    wasmtime: release.version,
    wasmtimeWasi: wasi.version,
    workspace: opts.pin ? id : '.',
    rust: minimumRust(release),
    ...(opts.pin ? { note: `added with: wasm-matrix runtimes add ${version} --pin` } : {}),
  };
  // A pinned entry's workspace is relative to runtimes/, an on-demand one's ('.') to its own folder.
  const baseDir = opts.pin ? join(projectRoot, 'runtimes') : join(onDemandRuntimesDir(), id);
  const runtime = runtimeFromEntry(entry, baseDir, !!opts.pin);
  await writeWorkspace(runtime);
  if (opts.pin) {
    const manifest = RuntimesManifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
    writeAtomically(manifestPath, formatManifest([...manifest.runtimes, entry]));
    return { runtime: loadRuntimes().find((r) => r.id === id)!, created: true };
  }
  // The record last: a folder without it is an unfinished add and is not listed.
  writeAtomically(join(runtime.workspaceDir, onDemandRecordName), `${JSON.stringify(entry, null, 2)}\n`);
  return { runtime: loadOnDemandRuntimes().find((r) => r.id === id)!, created: true };
}

/** `runtimes add`: the workspace, then the build. */
export async function addRuntime(version: string, opts: { pin?: boolean; quiet?: boolean } = {}): Promise<AddResult> {
  const { runtime, created } = await ensureRuntime(version, opts);
  const build = await buildAddon(runtime, { quiet: opts.quiet });
  return { runtime, created, build };
}

/** Whether a version's addon is already built (pinned or in the cache), without asking crates.io. */
export function builtRuntimeFor(version: string): Runtime | undefined {
  const all = [...loadRuntimes(), ...loadOnDemandRuntimes()];
  return all.find((r) => r.wasmtime === version && existsSync(r.addonPath));
}
