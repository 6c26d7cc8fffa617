// The runtimes: the pinned ones in runtimes/runtimes.json (one line each, the
// default matrix), and the ones `runtimes add` built on demand in the cache
// (one folder each under <cache>/runtimes/, found by id but never part of the
// default matrix).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { cacheDir, projectRoot } from '../paths.js';
import { parseJsonFile } from './load.js';
import { UsageError } from '../errors.js';

const exactVersion = z.string().regex(/^\d+\.\d+\.\d+$/, 'an exact version such as 36.0.14');

/** One pinned Wasmtime in runtimes/runtimes.json. */
export const RuntimeEntry = z.object({
  /** `wasmtime-<major>` for a pinned runtime, `wasmtime-<version>` for one built on demand. */
  id: z.string().regex(/^wasmtime-\d+(\.\d+\.\d+)?$/, 'a runtime id is wasmtime-<major> or wasmtime-<major>.<minor>.<patch>'),
  wasmtime: exactVersion,
  wasmtimeWasi: exactVersion,
  /** The workspace folder, relative to the manifest's folder. */
  workspace: z.string().min(1),
  /** The oldest rustc that builds it: stable when new enough, else `+nightly` when that is. */
  rust: z.string().regex(/^\d+\.\d+\.\d+$/, 'a Rust version such as 1.95.0'),
  note: z.string().optional(),
});
/** A `RuntimeEntry` value, as the schema above parses it. */
export type RuntimeEntry = z.infer<typeof RuntimeEntry>;

/** runtimes/runtimes.json. */
export const RuntimesManifest = z.object({
  schemaVersion: z.literal(1),
  runtimes: z.array(RuntimeEntry).min(1),
});
/** A `RuntimesManifest` value, as the schema above parses it. */
export type RuntimesManifest = z.infer<typeof RuntimesManifest>;

/** A manifest entry with the paths of its workspace and built addon. */
export interface Runtime extends RuntimeEntry {
  /** Absolute path of the workspace folder. */
  workspaceDir: string;
  /** Absolute path of the built addon (`.node`). */
  addonPath: string;
  /** The cdylib cargo writes, named after the workspace's package. */
  cdylibName: string;
  /** True for runtimes/runtimes.json, false for a runtime built on demand in the cache. */
  pinned: boolean;
}

/** Where the runtimes manifest lives. */
export const manifestPath = join(projectRoot, 'runtimes', 'runtimes.json');

/** Where `runtimes add` keeps unpinned runtimes: one workspace folder per version. */
export function onDemandRuntimesDir(): string {
  return join(cacheDir(), 'runtimes');
}

/** The Cargo package of a runtime id (`wasmtime-42.0.2` -> `wasm-matrix-wasmtime-42-0-2`). */
export function packageName(id: string): string {
  return `wasm-matrix-${id.replace(/\./g, '-')}`;
}

/** A manifest entry resolved against the folder its `workspace` is relative to. */
export function runtimeFromEntry(entry: RuntimeEntry, baseDir: string, pinned: boolean): Runtime {
  const workspaceDir = resolve(baseDir, entry.workspace);
  return {
    ...entry,
    workspaceDir,
    addonPath: join(workspaceDir, 'wasm-matrix-runtime.node'),
    cdylibName: `lib${packageName(entry.id).replace(/-/g, '_')}.so`,
    pinned,
  };
}

/** The pinned runtimes (the default matrix), in manifest order. */
/** Every runtime of the manifest, validated (bad input names the file and field). */
export function loadRuntimes(path = manifestPath): Runtime[] {
  const manifest = parseJsonFile(path, RuntimesManifest);
  const seen = new Set<string>();
  return manifest.runtimes.map((entry) => {
    if (seen.has(entry.id)) throw new UsageError(`${path}: runtime id ${entry.id} is listed twice`);
    seen.add(entry.id);
    return runtimeFromEntry(entry, dirname(path), true);
  });
}

/** The record `runtimes add` leaves in each on-demand workspace folder. */
export const onDemandRecordName = 'runtime.json';

/** The runtimes built on demand (`runtimes add`), oldest first; folders without a valid record are ignored. */
export function loadOnDemandRuntimes(dir = onDemandRuntimesDir()): Runtime[] {
  if (!existsSync(dir)) return [];
  const found: Runtime[] = [];
  for (const name of readdirSync(dir).sort()) {
    const record = join(dir, name, onDemandRecordName);
    if (!existsSync(record)) continue;
    const parsed = RuntimeEntry.safeParse(safeJson(record));
    if (parsed.success && parsed.data.id === name) found.push(runtimeFromEntry(parsed.data, join(dir, name), false));
  }
  return found;
}

function safeJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every runtime an id may name: the pinned ones, then those built on demand. */
export function knownRuntimes(): Runtime[] {
  const pinned = loadRuntimes();
  const ids = new Set(pinned.map((r) => r.id));
  return [...pinned, ...loadOnDemandRuntimes().filter((r) => !ids.has(r.id))];
}

/** A runtime by id (pinned or built on demand); an unknown id is a usage error listing the valid ones. */
export function runtimeById(id: string, runtimes = knownRuntimes()): Runtime {
  const found = runtimes.find((r) => r.id === id);
  if (!found) {
    throw new UsageError(
      `unknown runtime "${id}"; valid runtimes: ${runtimes.map((r) => r.id).join(', ')} (add another with: wasm-matrix runtimes add VERSION)`,
    );
  }
  return found;
}

/** The pinned version in a workspace's Cargo.lock, to catch a manifest that drifted. */
export function lockedWasmtimeVersion(runtime: Pick<Runtime, 'workspaceDir'>): string | undefined {
  const path = join(runtime.workspaceDir, 'Cargo.lock');
  if (!existsSync(path)) return undefined;
  return /name = "wasmtime"\nversion = "([^"]+)"/.exec(readFileSync(path, 'utf8'))?.[1];
}
