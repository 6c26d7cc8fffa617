// Filling a runtime's module cache: every artifact, for every engine
// configuration its cases run on, precompiled by that runtime's worker.
import { buildSelection, type BuildOutcome, type BuiltArtifact } from '../build/build.js';
import type { Suite } from '../config/suite.js';
import { defaultBuildOptions, type BuildOptions, type Detection, type Flavor } from '../toolchains/flavor.js';
import { detectAll } from '../toolchains/registry.js';
import type { EngineOptions } from '../workers/protocol.js';
import type { RuntimeWorker } from '../workers/runtime-worker.js';
import { type CacheEntry, ensureEntry } from './cache.js';
import { EngineHashes, engineKey, engineLabel, engineOf } from './engines.js';
import type { FillItem, FillSummary } from './schema.js';

/** An artifact and the engine it is precompiled for. */
export interface FillTarget {
  artifact: Pick<BuiltArtifact, 'suite' | 'flavor' | 'hash' | 'path'>;
  engine: EngineOptions;
}

/** Builds every (suite, flavor) that applies; artifacts that cannot run as core modules are left out. */
export async function buildAll(
  suites: Suite[],
  flavors: Flavor[],
  options: BuildOptions = defaultBuildOptions,
  detections?: Map<string, Detection>,
): Promise<{ builds: BuildOutcome[]; artifacts: BuiltArtifact[] }> {
  const wasmFlavors = flavors.filter((f) => f.target === 'wasm');
  const builds = (await buildSelection(suites, wasmFlavors, options, detections ?? (await detectAll(wasmFlavors)))).map((b) => b.outcome);
  const artifacts = builds.flatMap((b) => (b.status === 'built' && b.artifact.kind !== 'native' ? [b.artifact] : []));
  return { builds, artifacts };
}

/** One target per (artifact, engine configuration) its applicable cases use. */
export function fillTargets(suites: Suite[], artifacts: BuiltArtifact[]): FillTarget[] {
  const targets: FillTarget[] = [];
  for (const artifact of artifacts) {
    const suite = suites.find((s) => s.name === artifact.suite);
    if (!suite) continue;
    const engines = new Map<string, EngineOptions>();
    for (const testCase of suite.cases) {
      if (testCase.flavors && !testCase.flavors.includes(artifact.flavor)) continue;
      const engine = engineOf(suite, testCase, artifact);
      engines.set(engineKey(engine), engine);
    }
    for (const engine of engines.values()) targets.push({ artifact, engine });
  }
  return targets;
}

/** What a fill precompiles, with which worker, into which cache. */
export interface FillOptions {
  root: string;
  worker: RuntimeWorker;
  targets: FillTarget[];
  onItem?: (item: FillItem, done: number, total: number) => void;
  /** Test seam: the worker's pid just before each precompile request. */
  onPrecompile?: (pid: number | undefined, target: FillTarget) => void;
}

/** A fill: its summary, its entries and the engine hashes it used. */
export interface FillResult {
  summary: FillSummary;
  /** Valid entries by `${compatibilityHash}/${artifactHash}`. */
  entries: Map<string, CacheEntry>;
  hashes: EngineHashes;
}

/** The key of a cache entry: engine hash / artifact hash. */
export const entryKey = (compatibilityHash: string, artifactHash: string): string => `${compatibilityHash}/${artifactHash}`;

/** Ensures an entry for every target, one precompile at a time on the worker. */
export async function fillCache(options: FillOptions): Promise<FillResult> {
  const started = performance.now();
  const info = await options.worker.describe();
  const hashes = new EngineHashes(options.worker);
  const items: FillItem[] = [];
  const entries = new Map<string, CacheEntry>();
  const seen = new Set<string>();
  let precompileMs = 0;
  for (const target of options.targets) {
    const base = { suite: target.artifact.suite, flavor: target.artifact.flavor, artifactHash: target.artifact.hash, engine: engineLabel(target.engine) };
    let item: FillItem;
    try {
      const compatibilityHash = await hashes.of(target.engine);
      const key = entryKey(compatibilityHash, target.artifact.hash);
      // Two engine configurations with one hash (a memory limit is a store limit) share an entry.
      if (seen.has(key)) continue;
      seen.add(key);
      const ensured = await ensureEntry({
        root: options.root,
        worker: options.worker,
        engine: target.engine,
        compatibilityHash,
        artifact: target.artifact,
        ...(options.onPrecompile ? { onPrecompile: (pid: number | undefined) => options.onPrecompile!(pid, target) } : {}),
      });
      if (ensured.status === 'failed') {
        item = { ...base, compatibilityHash, status: 'failed', ms: ensured.ms, message: ensured.message };
      } else {
        entries.set(key, ensured.entry);
        precompileMs += ensured.precompileMs ?? 0;
        item = {
          ...base,
          compatibilityHash,
          status: ensured.status,
          ms: ensured.ms,
          ...(ensured.precompileMs !== undefined ? { precompileMs: ensured.precompileMs } : {}),
          bytes: ensured.entry.bytes,
          path: ensured.entry.path,
          ...(ensured.replacedReason ? { message: ensured.replacedReason } : {}),
        };
      }
    } catch (e) {
      item = { ...base, status: 'failed', ms: 0, message: (e as Error).message };
    }
    items.push(item);
    options.onItem?.(item, items.length, options.targets.length);
  }
  const count = (s: FillItem['status']) => items.filter((i) => i.status === s).length;
  const summary: FillSummary = {
    runtime: options.worker.runtime.id,
    wasmtimeVersion: info.wasmtimeVersion,
    wallMs: performance.now() - started,
    precompileMs,
    entries: entries.size,
    counts: { present: count('present'), filled: count('filled'), replaced: count('replaced'), failed: count('failed') },
    bytes: [...entries.values()].reduce((n, e) => n + e.bytes, 0),
    items,
  };
  return { summary, entries, hashes };
}
