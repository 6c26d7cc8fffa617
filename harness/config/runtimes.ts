// The runtimes manifest (runtimes/runtimes.json): one line per pinned Wasmtime.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../paths.js';
import { parseJsonFile } from './load.js';
import { UsageError } from '../errors.js';

/** One pinned Wasmtime in runtimes/runtimes.json. */
export const RuntimeEntry = z.object({
  id: z.string().regex(/^wasmtime-\d+$/, 'a runtime id is wasmtime-<major>'),
  wasmtime: z.string().regex(/^\d+\.\d+\.\d+$/, 'an exact version such as 36.0.14'),
  wasmtimeWasi: z.string().regex(/^\d+\.\d+\.\d+$/),
  workspace: z.string().min(1),
  adapter: z.enum(['adapter-v24', 'adapter-v36', 'adapter-v48']),
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
}

/** Where the runtimes manifest lives. */
export const manifestPath = join(projectRoot, 'runtimes', 'runtimes.json');

/** Every runtime of the manifest, validated (bad input names the file and field). */
export function loadRuntimes(path = manifestPath): Runtime[] {
  const manifest = parseJsonFile(path, RuntimesManifest);
  const seen = new Set<string>();
  return manifest.runtimes.map((entry) => {
    if (seen.has(entry.id)) throw new Error(`${path}: runtime id ${entry.id} is listed twice`);
    seen.add(entry.id);
    const workspaceDir = join(projectRoot, 'runtimes', entry.workspace);
    return {
      ...entry,
      workspaceDir,
      addonPath: join(workspaceDir, 'wasm-matrix-runtime.node'),
      cdylibName: `libwasm_matrix_${entry.id.replace(/-/g, '_')}.so`,
    };
  });
}

/** A runtime by id; an unknown id is a usage error listing the valid ones. */
export function runtimeById(id: string, runtimes = loadRuntimes()): Runtime {
  const found = runtimes.find((r) => r.id === id);
  if (!found) {
    throw new UsageError(`unknown runtime "${id}"; valid runtimes: ${runtimes.map((r) => r.id).join(', ')}`);
  }
  return found;
}

/** The pinned version in a workspace's Cargo.lock, to catch a manifest that drifted. */
export function lockedWasmtimeVersion(runtime: Runtime): string | undefined {
  const lock = readFileSync(join(runtime.workspaceDir, 'Cargo.lock'), 'utf8');
  return /name = "wasmtime"\nversion = "([^"]+)"/.exec(lock)?.[1];
}

