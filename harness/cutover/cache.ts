// The module cache: `<cache>/<engine compatibility hash>/<artifact hash>.cwasm`
// beside `<artifact hash>.cwasm.json`, its integrity record (sha256 of the
// `.cwasm`, Wasmtime version, compatibility hash, source artifact hash).
//
// Filling an entry: under the entry's lock (lock.ts), the runtime's worker
// precompiles into `<engine>/.staging/` (its `precompile` request writes each
// file through a temporary name and a rename), the supervisor checks the
// staged pair, then publishes it with two renames: the record first, the
// `.cwasm` last. So at every instant a `.cwasm` on disk has its record, a
// killed worker leaves nothing but staging files (removed by the filler, or by
// `cache prune` once their owner is gone), and two fills at once do the work
// once. Reading never trusts a file: the record is schema-checked, every
// field is matched against where the entry lives, and the bytes' sha256
// against the record, before a worker is asked to load it (and the addon
// checks sha256 and engine hash once more itself).
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../build/artifact-cache.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatZodIssues } from '../config/load.js';
import { UsageError } from '../errors.js';
import { ensureDir } from '../util/ensure-dir.js';
import { cacheDir } from '../paths.js';
import type { EngineOptions } from '../workers/protocol.js';
import type { RuntimeWorker } from '../workers/runtime-worker.js';
import { acquireLock, holderAlive, pidAlive } from './lock.js';
import { ArtifactHash, CacheRecord, CompatHash, LockRecord } from './schema.js';
import { holdBeforePublish } from './test-seam.js';

/** The folder of half-written entries (never loaded). */
export const STAGING = '.staging';
const CWASM = '.cwasm';
const RECORD = '.cwasm.json';

/** The `.cwasm` cache folder when none is given. */
export function defaultCacheRoot(): string {
  return join(cacheDir(), 'cwasm');
}

/** The files of one cache entry. */
export interface EntryPaths {
  dir: string;
  cwasm: string;
  record: string;
  staging: string;
  lock: string;
}

/** The files of the entry of (engine hash, artifact hash). */
export function entryPaths(root: string, compatibilityHash: string, artifactHash: string): EntryPaths {
  // Both become path components: only hex gets this far.
  CompatHash.parse(compatibilityHash);
  ArtifactHash.parse(artifactHash);
  const dir = join(root, compatibilityHash);
  return {
    dir,
    cwasm: join(dir, `${artifactHash}${CWASM}`),
    record: join(dir, `${artifactHash}${RECORD}`),
    staging: join(dir, STAGING),
    lock: join(dir, STAGING, `${artifactHash}.lock`),
  };
}

/** A cache entry: its `.cwasm`, its integrity record and its keys. */
export interface CacheEntry {
  compatibilityHash: string;
  artifactHash: string;
  path: string;
  recordPath: string;
  record: CacheRecord;
  bytes: number;
}

/** A cache lookup: a verified hit, a miss, or a corrupt entry with the reason. */
export type Lookup =
  | { state: 'hit'; entry: CacheEntry }
  | { state: 'miss' }
  /** Something is there but must not be loaded; `reason` names the file and the field. */
  | { state: 'corrupt'; reason: string };

/** The sha256 of a file. */
export const sha256File = (path: string): string => sha256Hex(readFileSync(path));

/** Checks one entry without changing anything. */
export function lookupEntry(root: string, compatibilityHash: string, artifactHash: string): Lookup {
  const p = entryPaths(root, compatibilityHash, artifactHash);
  const hasCwasm = existsSync(p.cwasm);
  const hasRecord = existsSync(p.record);
  if (!hasCwasm && !hasRecord) return { state: 'miss' };
  if (!hasRecord) return { state: 'corrupt', reason: `${p.cwasm}: has no integrity record (${p.record} is missing)` };
  if (!hasCwasm) return { state: 'corrupt', reason: `${p.cwasm}: missing; only its integrity record is there (an interrupted fill)` };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(p.record, 'utf8'));
  } catch (e) {
    return { state: 'corrupt', reason: `${p.record}: not a valid integrity record: ${(e as Error).message}` };
  }
  const parsed = CacheRecord.safeParse(raw);
  if (!parsed.success) return { state: 'corrupt', reason: `${p.record}: ${formatZodIssues(parsed.error)}` };
  const record = parsed.data;
  if (record.compatibilityHash !== compatibilityHash) {
    return { state: 'corrupt', reason: `${p.record}: compatibilityHash: "${record.compatibilityHash}", but the entry lives under engine ${compatibilityHash}` };
  }
  if (record.artifactHash !== artifactHash) {
    return { state: 'corrupt', reason: `${p.record}: artifactHash: "${record.artifactHash}", but the entry is named ${artifactHash}` };
  }
  const actual = sha256File(p.cwasm);
  if (actual !== record.sha256) {
    return { state: 'corrupt', reason: `${p.record}: sha256: the record says ${record.sha256} but ${p.cwasm} hashes to ${actual} (corrupt or tampered)` };
  }
  return { state: 'hit', entry: { compatibilityHash, artifactHash, path: p.cwasm, recordPath: p.record, record, bytes: statSync(p.cwasm).size } };
}

/** Fails with exit 2 when `root` cannot be created or written. */
export function assertWritableCache(root: string): void {
  ensureDir(root, 'cache folder');
  try {
    const probe = join(root, `.probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    throw new UsageError(`cache folder ${root} cannot be written: ${(e as Error).message}`);
  }
}

/** An entry to make sure of: the engine, its hash and the artifact. */
export interface EnsureRequest {
  root: string;
  /** A worker of the runtime whose engine the entry is for. */
  worker: RuntimeWorker;
  engine: EngineOptions;
  compatibilityHash: string;
  artifact: { hash: string; path: string };
  watchdogMs?: number;
  /** Called with the worker's pid just before the precompile request goes out (test seam). */
  onPrecompile?: (pid: number | undefined) => void;
}

/** The entry after ensureEntry: present, filled, replaced, or failed with the reason. */
export type Ensured =
  | { status: 'present' | 'filled' | 'replaced'; entry: CacheEntry; ms: number; precompileMs?: number; waitedMs: number; replacedReason?: string }
  | { status: 'failed'; ms: number; message: string };

function removeStaged(staging: string, prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(staging);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix)) rmSync(join(staging, name), { force: true });
}

/**
 * Makes sure a valid entry exists: reuses one that verifies, otherwise
 * precompiles it on the worker and publishes it. A corrupt entry is removed
 * (never loaded) and recompiled.
 */
export async function ensureEntry(req: EnsureRequest): Promise<Ensured> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const p = entryPaths(req.root, req.compatibilityHash, req.artifact.hash);
  const first = lookupEntry(req.root, req.compatibilityHash, req.artifact.hash);
  if (first.state === 'hit') return { status: 'present', entry: first.entry, ms: elapsed(), waitedMs: 0 };
  const lock = await acquireLock(p.lock);
  const prefix = `${req.artifact.hash}.${process.pid}-${randomBytes(4).toString('hex')}`;
  const stagedCwasm = join(p.staging, `${prefix}${CWASM}`);
  const stagedRecord = `${stagedCwasm}.json`;
  try {
    // Someone may have filled (or broken) it while we waited.
    const now = lookupEntry(req.root, req.compatibilityHash, req.artifact.hash);
    if (now.state === 'hit') return { status: 'present', entry: now.entry, ms: elapsed(), waitedMs: lock.waitedMs };
    const replacedReason = now.state === 'corrupt' ? now.reason : undefined;
    if (replacedReason) {
      // The `.cwasm` goes first, so there is never a `.cwasm` without its record.
      rmSync(p.cwasm, { force: true });
      rmSync(p.record, { force: true });
    }
    mkdirSync(p.staging, { recursive: true });
    if (req.onPrecompile) {
      await req.worker.describe(); // started, so the seam sees the pid that will precompile
      req.onPrecompile(req.worker.pid);
    }
    const answer = await req.worker.request(
      { type: 'precompile', engine: req.engine, modulePath: req.artifact.path, outPath: stagedCwasm, artifactHash: req.artifact.hash },
      req.watchdogMs ?? 10 * 60_000,
    );
    if (!answer.ok) return { status: 'failed', ms: elapsed(), message: `precompile ${answer.failure}: ${answer.message}` };
    if (answer.response.type !== 'precompiled') {
      const why = answer.response.type === 'refused' ? answer.response.message : `unexpected reply ${answer.response.type}`;
      return { status: 'failed', ms: elapsed(), message: `precompile of ${req.artifact.path} refused: ${why}` };
    }
    const result = answer.response.result;
    const parsed = CacheRecord.safeParse(result.record);
    if (!parsed.success) return { status: 'failed', ms: elapsed(), message: `the worker's integrity record: ${formatZodIssues(parsed.error)}` };
    const record = parsed.data;
    if (record.compatibilityHash !== req.compatibilityHash) {
      return { status: 'failed', ms: elapsed(), message: `the worker precompiled for engine ${record.compatibilityHash}, not ${req.compatibilityHash}` };
    }
    if (record.artifactHash !== req.artifact.hash) return { status: 'failed', ms: elapsed(), message: `the worker recorded artifact ${record.artifactHash}` };
    const staged = sha256File(stagedCwasm);
    if (staged !== record.sha256) return { status: 'failed', ms: elapsed(), message: `${stagedCwasm} hashes to ${staged}, its record says ${record.sha256}` };
    await holdBeforePublish(stagedCwasm);
    // Publish: record first, `.cwasm` last (each rename is atomic).
    writeFileSync(stagedRecord, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(stagedRecord, p.record);
    renameSync(stagedCwasm, p.cwasm);
    const entry: CacheEntry = { compatibilityHash: req.compatibilityHash, artifactHash: req.artifact.hash, path: p.cwasm, recordPath: p.record, record, bytes: result.bytes };
    return {
      status: replacedReason ? 'replaced' : 'filled',
      entry,
      ms: elapsed(),
      precompileMs: result.precompileNs / 1e6,
      waitedMs: lock.waitedMs,
      ...(replacedReason ? { replacedReason } : {}),
    };
  } catch (e) {
    return { status: 'failed', ms: elapsed(), message: (e as Error).message };
  } finally {
    // Whatever the worker left (a killed worker leaves its temporary files).
    removeStaged(p.staging, prefix);
    lock.release();
  }
}

/** Removes an entry (the `.cwasm` first). */
export function removeEntry(root: string, compatibilityHash: string, artifactHash: string): void {
  const p = entryPaths(root, compatibilityHash, artifactHash);
  rmSync(p.cwasm, { force: true });
  rmSync(p.record, { force: true });
}

// ---- whole-cache views: verify and prune ----

/** One entry as `cache verify` found it. */
export interface EntryCheck {
  compatibilityHash: string;
  artifactHash: string;
  path: string;
  ok: boolean;
  problem?: string;
  wasmtimeVersion?: string;
  bytes?: number;
}

/** A file in the cache that is no entry (staging, locks). */
export interface Leftover {
  path: string;
  kind: 'staging' | 'lock' | 'temporary' | 'unknown';
  /** Whether a live process may still be using it (then it is left alone). */
  live: boolean;
}

/** One engine's folder of entries. */
export interface EngineFolder {
  compatibilityHash: string;
  dir: string;
  wasmtimeVersions: string[];
  entries: EntryCheck[];
  leftovers: Leftover[];
}

/** The whole cache as `cache verify` found it. */
export interface CacheScan {
  root: string;
  exists: boolean;
  engines: EngineFolder[];
  /** Things in the root that are not engine folders (left alone). */
  foreign: string[];
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The pid in a staging or temporary file name: `<hash>.<pid>-<rand>...` or `...tmp-<pid>-<rand>`. */
function ownerPid(name: string): number | undefined {
  const m = /\.(\d+)-[0-9a-f]+/.exec(name) ?? /tmp-(\d+)-/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function stagingLeftovers(staging: string): Leftover[] {
  let names: string[];
  try {
    names = readdirSync(staging);
  } catch {
    return [];
  }
  return names.map((name): Leftover => {
    const path = join(staging, name);
    if (name.endsWith('.lock') || name.endsWith('.lock.break')) {
      let live = false;
      try {
        const parsed = LockRecord.safeParse(JSON.parse(readFileSync(path, 'utf8')));
        live = parsed.success && holderAlive(parsed.data);
      } catch {
        // unreadable: a writer that died between create and write, or one writing now
        try {
          live = Date.now() - statSync(path).mtimeMs < 5000;
        } catch {
          live = false; // gone meanwhile
        }
      }
      return { path, kind: 'lock', live };
    }
    const pid = ownerPid(name);
    // The owner is the filler (our pid in the name) or the worker writing a temporary file.
    return { path, kind: 'staging', live: pid !== undefined && pidAlive(pid) };
  });
}

/** Checks every entry of the cache against its record. */
export function scanCache(root: string): CacheScan {
  if (!existsSync(root)) return { root, exists: false, engines: [], foreign: [] };
  if (!statSync(root).isDirectory()) throw new UsageError(`cache folder ${root} is a file, not a folder`);
  const engines: EngineFolder[] = [];
  const foreign: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!CompatHash.safeParse(name).success || !statSync(dir).isDirectory()) {
      foreign.push(dir);
      continue;
    }
    const entries: EntryCheck[] = [];
    const leftovers: Leftover[] = [];
    const hashes = new Set<string>();
    for (const file of readdirSync(dir).sort()) {
      const path = join(dir, file);
      if (file === STAGING) {
        leftovers.push(...stagingLeftovers(path));
        continue;
      }
      const base = file.endsWith(RECORD) ? file.slice(0, -RECORD.length) : file.endsWith(CWASM) ? file.slice(0, -CWASM.length) : undefined;
      if (base !== undefined && HEX64.test(base)) {
        hashes.add(base);
        continue;
      }
      const pid = ownerPid(file);
      leftovers.push({ path, kind: /\.tmp-\d+-/.test(file) ? 'temporary' : 'unknown', live: pid !== undefined && pidAlive(pid) });
    }
    const versions = new Set<string>();
    for (const artifactHash of [...hashes].sort()) {
      const found = lookupEntry(root, name, artifactHash);
      const p = entryPaths(root, name, artifactHash);
      if (found.state === 'hit') {
        versions.add(found.entry.record.wasmtimeVersion);
        entries.push({ compatibilityHash: name, artifactHash, path: p.cwasm, ok: true, wasmtimeVersion: found.entry.record.wasmtimeVersion, bytes: found.entry.bytes });
      } else if (found.state === 'corrupt') {
        entries.push({ compatibilityHash: name, artifactHash, path: p.cwasm, ok: false, problem: found.reason });
      }
    }
    engines.push({ compatibilityHash: name, dir, wasmtimeVersions: [...versions].sort(), entries, leftovers });
  }
  return { root, exists: true, engines, foreign };
}

/** What `cache prune` removed and why. */
export interface PruneAction {
  path: string;
  why: string;
}

/**
 * What `cache prune` removes: the folders of engines no longer pinned (not in
 * `keep`), corrupt entries, and staging, temporary and lock files whose owner
 * is gone. Files a live process may still be using are left alone.
 */
export function planPrune(scan: CacheScan, keep: Map<string, string>): PruneAction[] {
  const actions: PruneAction[] = [];
  for (const engine of scan.engines) {
    if (!keep.has(engine.compatibilityHash)) {
      if (engine.leftovers.some((l) => l.live)) continue; // a fill is running there right now
      const made = engine.wasmtimeVersions.length ? `made by Wasmtime ${engine.wasmtimeVersions.join(', ')}` : 'no valid entries';
      actions.push({ path: engine.dir, why: `engine ${engine.compatibilityHash} is not a pinned runtime's (${made}; ${engine.entries.length} entries)` });
      continue;
    }
    for (const entry of engine.entries) if (!entry.ok) actions.push({ path: entry.path, why: entry.problem ?? 'corrupt' });
    for (const l of engine.leftovers) if (!l.live) actions.push({ path: l.path, why: `${l.kind} file left by a process that is gone` });
  }
  return actions;
}

/** Carries out a plan; a corrupt entry is removed only under its lock, and only if still corrupt. */
export async function applyPrune(scan: CacheScan, actions: PruneAction[]): Promise<PruneAction[]> {
  const done: PruneAction[] = [];
  for (const action of actions) {
    const engine = scan.engines.find((e) => action.path.startsWith(`${e.dir}/`));
    const file = action.path.slice(action.path.lastIndexOf('/') + 1);
    const artifactHash = file.endsWith(CWASM) ? file.slice(0, -CWASM.length) : '';
    if (engine && HEX64.test(artifactHash)) {
      let lock;
      try {
        lock = await acquireLock(entryPaths(scan.root, engine.compatibilityHash, artifactHash).lock, { timeoutMs: 1000 });
      } catch {
        continue; // being filled right now
      }
      try {
        if (lookupEntry(scan.root, engine.compatibilityHash, artifactHash).state === 'corrupt') {
          removeEntry(scan.root, engine.compatibilityHash, artifactHash);
          done.push(action);
        }
      } finally {
        lock.release();
      }
      continue;
    }
    rmSync(action.path, { recursive: true, force: true });
    done.push(action);
  }
  return done;
}
