// plan, `run --shard I/N` and merge against one run of the same selection:
// same cells, same verdicts (compare-only cases included), same exit code;
// and what merge refuses.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../plan.js';
import type { Report } from '../../report/schema.js';
import { readReport } from '../../report/writer.js';
import { ci, keyOf, readJson, run, tmp, verdictOf } from './helpers.js';

const SELECTION = ['--suite', 'core', '--flavor', 'clang-wasi-O2', '--flavor', 'wat'];
const SHARDS = 3;

describe('plan, shard runs and merge', () => {
  const env = { WASM_MATRIX_CACHE_DIR: tmp('wasm-matrix-ci-cache-') };
  const root = tmp('wasm-matrix-ci-');
  let full: Report;
  let fullCode: number;
  let plan: Plan;
  const shardDir = (i: number) => join(root, 'parts', `shard-${i}`);

  beforeAll(async () => {
    const one = await run([...SELECTION, '--out', join(root, 'full')], env);
    // The selection passes on every runtime: a failing full run is a bug, not a baseline to merge against.
    expect(one.code, one.stderr).toBe(0);
    fullCode = one.code;
    full = readReport(join(root, 'full', 'report.json'));
    const planned = await ci(['plan', ...SELECTION, '--shards', String(SHARDS), '--format', 'json']);
    expect(planned.code, planned.stderr).toBe(0);
    plan = JSON.parse(planned.stdout) as Plan;
    // Each shard as a CI job would run it: the args the plan gives.
    for (const shard of plan.shards) {
      const part = await run([...shard.args, '--out', shardDir(shard.index)], env);
      expect(part.code, part.stderr).toBeLessThan(2);
    }
  });

  it('plans every cell of the run exactly once, and each shard runs the cells planned for it', () => {
    const fullKeys = full.cells.map(keyOf).sort();
    expect(plan.totalCells).toBe(fullKeys.length);
    expect(plan.shards).toHaveLength(SHARDS);
    expect(plan.shards.flatMap((s) => s.cells).sort()).toEqual(fullKeys);
    for (const shard of plan.shards) {
      const part = readReport(join(shardDir(shard.index), 'report.json'));
      expect(part.shard).toEqual({ index: shard.index, count: SHARDS });
      expect(part.cells.map(keyOf).sort()).toEqual([...shard.cells].sort());
    }
  });

  it('prints a GitHub strategy matrix on one line', async () => {
    const r = await ci(['plan', ...SELECTION, '--shards', String(SHARDS)]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const matrix = JSON.parse(r.stdout) as { include: { shard: string; cells: number }[] };
    expect(matrix.include.map((m) => m.shard)).toEqual(['1/3', '2/3', '3/3']);
    expect(matrix.include.reduce((n, m) => n + m.cells, 0)).toBe(full.cells.length);
  });

  it('merges the shards into the same cells and verdicts as one run, with every rendering', async () => {
    const out = join(root, 'merged');
    // The parts folder holds one folder per shard, as download-artifact leaves them.
    const merged = await ci(['merge', join(root, 'parts'), '--out', out, '--json']);
    expect(merged.code, merged.stderr).toBe(fullCode);
    expect(merged.code).toBe(0);
    const report = readReport(join(out, 'report.json'));
    expect(report.complete).toBe(true);
    expect(report.shard).toBeUndefined();
    const want = new Map(full.cells.map((c) => [keyOf(c), verdictOf(c)]));
    const got = new Map(report.cells.map((c) => [keyOf(c), verdictOf(c)]));
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    const differing = [...want].filter(([k, v]) => got.get(k) !== v).map(([k]) => k);
    expect(differing).toEqual([]);
    // The selection has compare-only cases, so some reference cells sit in other shards.
    const compareOnly = full.cells.filter((c) => c.oracle === 'reference');
    expect(compareOnly.length).toBeGreaterThan(0);
    for (const f of ['report.md', 'junit.xml', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`${full.cells.length} cells`);
  });

  it('refuses overlapping reports: the same shard twice, or a shard with the whole run', async () => {
    const twice = await ci(['merge', shardDir(1), shardDir(2), join(root, 'parts', 'shard-1', 'report.json'), '--out', tmp('wasm-matrix-out-')]);
    expect(twice.code).toBe(2);
    const copy = join(root, 'copy-of-1');
    cpSync(shardDir(1), copy, { recursive: true });
    const dup = await ci(['merge', shardDir(1), copy, '--out', tmp('wasm-matrix-out-')]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/cell core\/.+ is in both .*shard-1.* and .*copy-of-1.*overlapping/);
    const withFull = await ci(['merge', join(root, 'full'), shardDir(2), '--out', tmp('wasm-matrix-out-')]);
    expect(withFull.code).toBe(2);
    expect(withFull.stderr).toContain('overlapping');
  });

  it('refuses reports of different schema versions, naming each file', async () => {
    const other = join(root, 'v2');
    cpSync(shardDir(2), other, { recursive: true });
    const raw = readJson<Record<string, unknown>>(join(other, 'report.json'));
    writeFileSync(join(other, 'report.json'), JSON.stringify({ ...raw, schemaVersion: 2 }));
    const r = await ci(['merge', shardDir(1), other, '--out', tmp('wasm-matrix-out-')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('different schema versions');
    expect(r.stderr).toContain(`${join(other, 'report.json')} has 2`);
  });

  it('marks a merge with a missing shard incomplete and exits 1', async () => {
    const out = tmp('wasm-matrix-out-');
    const r = await ci(['merge', shardDir(1), shardDir(3), '--out', out]);
    expect(r.code).toBe(1);
    const report = readReport(join(out, 'report.json'));
    expect(report.complete).toBe(false);
    expect(report.interrupted).toContain('missing shard 2/3');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('2/3');
    // The headline agrees with the exit code.
    expect(md.split('\n')[0]).toContain('(exit 1)');
    expect(md.split('\n')[0]).not.toContain('nothing wrong');
  });

  it('exits 2 on a shard index or count out of range', async () => {
    for (const shard of ['4/3', '0/3', '1/0', 'x']) {
      const r = await run([...SELECTION, '--shard', shard, '--out', tmp('wasm-matrix-out-')], env);
      expect(r.code, shard).toBe(2);
      expect(r.stderr).toContain('--shard');
    }
    for (const shards of ['0', '-1', 'two']) {
      const r = await ci(['plan', '--shards', shards]);
      expect(r.code, shards).toBe(2);
    }
    expect((await ci(['plan', '--format', 'yaml'])).code).toBe(2);
  });
});
