// The module cache: entries and their records, corruption refused and
// recompiled (never loaded), a worker killed while filling, two fills at
// once, stale locks, and the cache commands.
import { spawn, spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execOn } from '../../workers/exec.js';
import { RuntimeWorker } from '../../workers/runtime-worker.js';
import { ensureEntry, entryPaths, lookupEntry, removeEntry, scanCache } from '../cache.js';
import { fillCache, type FillTarget } from '../fill.js';
import { acquireLock } from '../lock.js';
import { CacheRecord } from '../schema.js';
import { HOLD_BEFORE_PUBLISH_ENV } from '../test-seam.js';
import { assemble, bigWat, cliEntry, cutoverCli, flipByte, halfEntries, runtime, tmp } from './helpers.js';

const ADDER = `(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`;
const addCall = { style: 'export' as const, name: 'add', args: [{ type: 'i32' as const, value: '2' }, { type: 'i32' as const, value: '40' }] };

describe('module cache', () => {
  let dir: string;
  let adder: { path: string; hash: string };
  let big: { path: string; hash: string };
  const w48 = new RuntimeWorker(runtime('wasmtime-48'));
  let compat48: string;

  beforeAll(async () => {
    dir = tmp('wasm-matrix-cutover-mods-');
    adder = await assemble(dir, 'adder', ADDER);
    big = await assemble(dir, 'big', bigWat(1200));
    compat48 = (await w48.describe()).compatibilityHash;
  });
  afterAll(async () => {
    await w48.close();
  });

  it('writes <cache>/<compatibility hash>/<artifact hash>.cwasm beside its integrity record, and reuses it', async () => {
    const root = tmp('wasm-matrix-cwasm-');
    const first = await ensureEntry({ root, worker: w48, engine: {}, compatibilityHash: compat48, artifact: adder });
    expect(first.status).toBe('filled');
    const p = entryPaths(root, compat48, adder.hash);
    expect(existsSync(p.cwasm)).toBe(true);
    const record = CacheRecord.parse(JSON.parse(readFileSync(p.record, 'utf8')));
    expect(record).toMatchObject({ compatibilityHash: compat48, wasmtimeVersion: '48.0.8', artifactHash: adder.hash });
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await ensureEntry({ root, worker: w48, engine: {}, compatibilityHash: compat48, artifact: adder });
    expect(again.status).toBe('present');
    const ran = await execOn(w48, { type: 'exec', module: { kind: 'cwasm', path: p.cwasm, record }, instance: { wasi: false }, lifecycle: 'none', call: addCall });
    expect(ran.status).toBe('ok');
    expect('values' in ran && ran.values?.[0]?.value).toBe('42');
    expect(halfEntries(root)).toEqual([]);
  });

  it('refuses a corrupted entry (naming the file and the field) and recompiles it; the engine never loads it', async () => {
    const root = tmp('wasm-matrix-cwasm-');
    const filled = await ensureEntry({ root, worker: w48, engine: {}, compatibilityHash: compat48, artifact: adder });
    if (filled.status === 'failed') throw new Error(filled.message);
    const p = entryPaths(root, compat48, adder.hash);
    flipByte(p.cwasm);
    const found = lookupEntry(root, compat48, adder.hash);
    expect(found.state).toBe('corrupt');
    expect(found.state === 'corrupt' && found.reason).toMatch(new RegExp(`${p.record}: sha256: the record says [0-9a-f]{64} but .* hashes to`));

    // Handed to the engine anyway, the addon refuses it too (second line of defence).
    const direct = await execOn(w48, { type: 'exec', module: { kind: 'cwasm', path: p.cwasm, record: filled.entry.record }, instance: { wasi: false }, lifecycle: 'none', call: addCall });
    expect(direct.status).toBe('error');
    expect('message' in direct && direct.message).toMatch(/refused \.cwasm: sha256 is [0-9a-f]+ but its integrity record says/);

    const repaired = await ensureEntry({ root, worker: w48, engine: {}, compatibilityHash: compat48, artifact: adder });
    expect(repaired.status).toBe('replaced');
    expect(repaired.status === 'replaced' && repaired.replacedReason).toContain('sha256');
    expect(lookupEntry(root, compat48, adder.hash).state).toBe('hit');

    // A record that lies about where it belongs, or is not JSON, is corrupt too.
    const rec = JSON.parse(readFileSync(p.record, 'utf8'));
    writeFileSync(p.record, JSON.stringify({ ...rec, compatibilityHash: 'ab'.repeat(16) }));
    const moved = lookupEntry(root, compat48, adder.hash);
    expect(moved.state === 'corrupt' && moved.reason).toContain(`${p.record}: compatibilityHash: "${'ab'.repeat(16)}", but the entry lives under engine ${compat48}`);
    writeFileSync(p.record, '{"sha256": 1');
    const broken = lookupEntry(root, compat48, adder.hash);
    expect(broken.state === 'corrupt' && broken.reason).toContain(`${p.record}: not a valid integrity record`);
    writeFileSync(p.record, JSON.stringify({ ...rec, sha256: undefined }));
    const missing = lookupEntry(root, compat48, adder.hash);
    expect(missing.state === 'corrupt' && missing.reason).toContain(`${p.record}: sha256:`);
  });

  it('leaves no half-written entry when the filling worker is SIGKILLed at any point', async () => {
    const root = tmp('wasm-matrix-cwasm-');
    const worker = new RuntimeWorker(runtime('wasmtime-48'));
    const staging = entryPaths(root, compat48, big.hash).staging;
    // How long one fill takes on this machine now: "mid-compile" aims a quarter of the way in.
    // Only "at once" is certain to land: on a machine whose load swings, a fill can take a
    // quarter of the one measured here, so every later plan may lose the race to the fill,
    // which the test accepts (and says) instead of failing for how busy the machine was.
    const started = performance.now();
    expect((await ensureEntry({ root, worker, engine: {}, compatibilityHash: compat48, artifact: big })).status).toBe('filled');
    const fillMs = performance.now() - started;
    removeEntry(root, compat48, big.hash);
    // Kill: before the compile, in the middle of it, as soon as the worker starts writing, right after the staged `.cwasm` appears.
    let settled = false;
    const plans: Array<{ name: string; when: () => Promise<'now' | 'fill ended first'> }> = [
      { name: 'at once', when: async () => 'now' },
      { name: 'mid-compile', when: () => new Promise((r) => setTimeout(() => r(settled ? 'fill ended first' : 'now'), fillMs / 4)) },
      { name: 'first staging file', when: () => waitForFile(staging, () => true, () => settled) },
      { name: 'staged .cwasm renamed', when: () => waitForFile(staging, (f) => f.endsWith('.cwasm'), () => settled) },
    ];
    const statuses = new Map<string, string>();
    const raced: string[] = [];
    try {
      for (const plan of plans) {
        let killed: Promise<void> | undefined;
        settled = false;
        const ensured = await ensureEntry({
          root,
          worker,
          engine: {},
          compatibilityHash: compat48,
          artifact: big,
          onPrecompile: (pid) => {
            killed = plan.when().then(async (moment) => {
              // The fill ended before the moment came: nothing to kill in between (said below, not hidden).
              if (moment === 'fill ended first') return void raced.push(plan.name);
              if (!pid) return;
              process.kill(pid, 'SIGKILL');
              // Until the supervisor has seen the exit, a new request would still go to the dead process.
              await waitFor(() => worker.pid !== pid, 60_000);
            });
          },
        }).finally(() => {
          settled = true;
        });
        await killed;
        statuses.set(plan.name, ensured.status);
        // Either the kill landed (a crash) or the fill won the race; never anything in between.
        expect(['failed', 'filled'], plan.name).toContain(ensured.status);
        if (ensured.status === 'failed') expect(ensured.message, plan.name).toMatch(/crash/);
        expect(halfEntries(root), plan.name).toEqual([]);
        expect(lookupEntry(root, compat48, big.hash).state, plan.name).toBe(ensured.status === 'filled' ? 'hit' : 'miss');
        // Start over, so the next plan kills a real fill.
        removeEntry(root, compat48, big.hash);
      }
      if (raced.length) console.warn(`kill plans that found the fill already ended (nothing to kill mid-write): ${raced.join(', ')}`);
      // The deterministic plan did land; the racy ones ended one way or the other (checked
      // above: a crash or a whole entry, never anything in between).
      expect(statuses.get('at once')).toBe('failed');
      expect([...statuses.keys()]).toEqual(plans.map((p) => p.name));
      // A fresh worker then fills it, and the cache verifies clean.
      const after = await ensureEntry({ root, worker, engine: {}, compatibilityHash: compat48, artifact: big });
      expect(after.status).toBe('filled');
      const scan = scanCache(root);
      expect(scan.engines.flatMap((e) => e.entries.filter((x) => !x.ok))).toEqual([]);
      expect(scan.engines.flatMap((e) => e.leftovers)).toEqual([]);
    } finally {
      await worker.close();
    }
  });

  it('leaves only staging leftovers (never an entry) when the whole `cache fill` process is SIGKILLed; the next fill and prune clean up', async () => {
    // The kill must land while the staged file is unpublished: the fill is held right
    // before it publishes (the test seam in cutover/test-seam.ts), so the kill lands
    // there on any machine, however busy: no race to win.
    const suites = tmp('wasm-matrix-suites-');
    mkdirSync(join(suites, 'big', 'wat'), { recursive: true });
    writeFileSync(join(suites, 'big', 'wat', 'big.wat'), bigWat(1500, 1));
    const suite = { schemaVersion: 1, name: 'big', description: 'slow to precompile', kind: 'dispatcher', sources: { wat: 'wat/big.wat' }, cases: [{ name: 'f0', call: { style: 'invoke' } }] };
    writeFileSync(join(suites, 'big', 'suite.json'), JSON.stringify(suite));
    const env = { ...(process.env as Record<string, string>), WASM_MATRIX_SUITES_DIR: suites, WASM_MATRIX_CACHE_DIR: tmp('wasm-matrix-cache-') };
    const root = tmp('wasm-matrix-cwasm-');
    const args = [cliEntry, 'cache', 'fill', '--runtime', 'wasmtime-48', '--flavor', 'wat', '--cache', root];
    const marker = join(tmp('wasm-matrix-hold-'), 'held');
    const child = spawn('node', args, { env: { ...env, [HOLD_BEFORE_PUBLISH_ENV]: marker }, stdio: 'ignore' });
    let ended = false;
    const exited = new Promise<void>((resolve) => child.on('exit', () => ((ended = true), resolve())));
    await waitFor(() => ended || existsSync(marker), 300_000);
    expect(ended, 'the fill ended before it reached the hold').toBe(false);
    expect(readdirSync(dirname(readFileSync(marker, 'utf8'))).length, 'files in staging at the kill').toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
    // The orphaned worker finishes the write it is in and exits on disconnect: wait for
    // that (a condition, not a time), then every leftover's owner is dead.
    await waitFor(() => scanCache(root).engines.flatMap((e) => e.leftovers).every((l) => !l.live), 60_000);
    expect(halfEntries(root, true)).toEqual([]);
    const leftovers = scanCache(root).engines.flatMap((e) => e.leftovers);
    expect(leftovers.length).toBeGreaterThan(0);
    expect(leftovers.every((l) => !l.live)).toBe(true);
    expect(scanCache(root).engines.flatMap((e) => e.entries)).toEqual([]);

    // The next fill breaks the dead filler's lock and completes; prune removes what the dead one left.
    const again = await execa('node', args, { env, reject: false });
    expect(again.exitCode, String(again.stderr)).toBe(0);
    const prune = await execa('node', [cliEntry, 'cache', 'prune', '--cache', root], { env, reject: false });
    expect(prune.exitCode, String(prune.stderr)).toBe(0);
    expect(halfEntries(root)).toEqual([]);
    expect(scanCache(root).engines.flatMap((e) => e.entries.filter((x) => x.ok))).toHaveLength(1);
  }, 600_000);

  it('is safe when two fills run at once: each entry is compiled once, and no reader ever sees a .cwasm without its record', async () => {
    const root = tmp('wasm-matrix-cwasm-');
    const targets: FillTarget[] = [
      { artifact: { suite: 't', flavor: 'wat', ...big }, engine: {} },
      { artifact: { suite: 't', flavor: 'wat', ...adder }, engine: {} },
      { artifact: { suite: 't', flavor: 'wat', ...adder }, engine: { fuel: true } },
    ];
    const a = new RuntimeWorker(runtime('wasmtime-48'));
    const b = new RuntimeWorker(runtime('wasmtime-48'));
    const seen: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.push(...halfEntries(root, true));
        await new Promise((r) => setImmediate(r));
      }
    })();
    try {
      const [ra, rb] = await Promise.all([fillCache({ root, worker: a, targets }), fillCache({ root, worker: b, targets: [...targets].reverse() })]);
      watching = false;
      await watcher;
      expect(seen).toEqual([]);
      const items = [...ra.summary.items, ...rb.summary.items];
      expect(items.filter((i) => i.status === 'failed')).toEqual([]);
      // Three entries (the fuel engine has its own hash), each precompiled exactly once.
      expect(ra.summary.entries).toBe(3);
      for (const key of ra.entries.keys()) {
        const both = items.filter((i) => `${i.compatibilityHash}/${i.artifactHash}` === key);
        expect(both.map((i) => i.status).sort(), key).toEqual(['filled', 'present']);
      }
      expect(halfEntries(root)).toEqual([]);
      expect(new Set(scanCache(root).engines.map((e) => e.compatibilityHash)).size).toBe(2);
    } finally {
      watching = false;
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('breaks the lock of a filler that died, and waits for one that lives', async () => {
    const root = tmp('wasm-matrix-cwasm-');
    const lockPath = entryPaths(root, compat48, adder.hash).lock;
    mkdirSync(join(lockPath, '..'), { recursive: true });
    const dead = spawnSync('true').pid!;
    writeFileSync(lockPath, JSON.stringify({ pid: dead, token: 'gone', since: new Date().toISOString() }));
    const filled = await ensureEntry({ root, worker: w48, engine: {}, compatibilityHash: compat48, artifact: adder });
    expect(filled.status).toBe('filled');
    expect(existsSync(lockPath)).toBe(false);

    const held = await acquireLock(lockPath);
    let second: { waitedMs: number } | undefined;
    const waiting = acquireLock(lockPath).then((l) => {
      second = l;
      l.release();
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(second).toBeUndefined();
    held.release();
    await waiting;
    expect(second!.waitedMs).toBeGreaterThanOrEqual(250);
  });

  it('cache verify reports a corrupt entry (exit 1); cache prune drops it, unpinned engines and leftovers, keeps pinned ones', async () => {
    const cacheRoot = tmp('wasm-matrix-cwasm-');
    const fill = await cutoverCli(['cache', 'fill', '--runtime', 'wasmtime-48', '--suite', 'core', '--flavor', 'wat', '--cache', cacheRoot, '--json']);
    expect(fill.code, fill.stderr).toBe(0);
    const filled = JSON.parse(fill.stdout) as { entries: number; items: { path: string; compatibilityHash: string }[] };
    expect(filled.entries).toBe(2); // the default engine and the fuel engine
    const verified = await cutoverCli(['cache', 'verify', '--cache', cacheRoot]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);

    // An engine no pinned runtime has, a corrupt entry, and a staging file of a process that is gone.
    const foreign = join(cacheRoot, 'ab'.repeat(16));
    mkdirSync(foreign);
    writeFileSync(join(foreign, `${'cd'.repeat(32)}.cwasm`), 'x');
    flipByte(filled.items[0]!.path);
    const leftover = join(cacheRoot, filled.items[1]!.compatibilityHash, '.staging', `${'ef'.repeat(32)}.999999-abcd.cwasm`);
    writeFileSync(leftover, 'partial');

    const verify = await cutoverCli(['cache', 'verify', '--cache', cacheRoot]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/corrupt: .*\.cwasm\.json: sha256: the record says/);
    expect(verify.stdout).toContain(`leftover: staging ${leftover}`);

    const prune = await cutoverCli(['cache', 'prune', '--cache', cacheRoot, '--json']);
    expect(prune.code, prune.stderr).toBe(0);
    const pruned = JSON.parse(prune.stdout) as { removed: { path: string }[]; keep: Record<string, string> };
    expect(pruned.removed.map((r) => r.path).sort()).toEqual([filled.items[0]!.path, foreign, leftover].sort());
    expect(Object.values(pruned.keep).some((v) => v.startsWith('wasmtime-24'))).toBe(true);
    expect(existsSync(foreign)).toBe(false);
    expect(readdirSync(cacheRoot).sort()).toEqual([...new Set(filled.items.map((i) => i.compatibilityHash))].sort());
    const clean = await cutoverCli(['cache', 'verify', '--cache', cacheRoot, '--json']);
    expect(clean.code).toBe(0);
  });
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Waits until a matching file shows in `dir`, or until the fill has ended without one showing (a race the fill won). */
async function waitForFile(dir: string, match: (name: string) => boolean, ended: () => boolean): Promise<'now' | 'fill ended first'> {
  for (;;) {
    try {
      if (readdirSync(dir).some((f) => !f.endsWith('.lock') && match(f))) return 'now';
    } catch {
      // not there yet
    }
    if (ended()) return 'fill ended first';
    await new Promise((r) => setImmediate(r));
  }
}
