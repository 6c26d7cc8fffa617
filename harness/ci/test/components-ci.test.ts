// CI with component cells: clang-wasi-p2 artifacts packed where clang and jco
// are, unpacked in a job without clang, run there in shards from the plan, and
// merged into the same cells as one run; the artifact records say "component"
// with the WASI 0.2 interfaces imported, through pack, shards and merge.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readReport } from '../../report/writer.js';
import type { Report } from '../../report/schema.js';
import { ci, keyOf, run, tmp, verdictOf } from './helpers.js';

const NO_CLANG = { WASM_MATRIX_CLANG: '/nonexistent/clang-14' };
const SELECTION = ['--suite', 'compute', '--flavor', 'clang-wasi-p2', '--runtime', 'wasmtime-24', '--runtime', 'wasmtime-48'];

describe('component cells through pack, plan, shards and merge', () => {
  const root = tmp('wasm-matrix-ci-p2-');
  const jobCache = tmp('wasm-matrix-ci-p2-job-cache-');
  let full: Report;
  let shards: Report[];
  let merged: Report;

  beforeAll(async () => {
    const pack = join(root, 'artifacts.tgz');
    const packed = await ci(['pack', pack, '--suite', 'compute', '--flavor', 'clang-wasi-p2', '--json'], { WASM_MATRIX_CACHE_DIR: tmp('wasm-matrix-ci-p2-build-cache-') });
    expect(packed.code, packed.stderr).toBe(0);
    const { sha256 } = JSON.parse(packed.stdout) as { sha256: string };
    const env = { ...NO_CLANG, WASM_MATRIX_CACHE_DIR: jobCache };
    const unpacked = await ci(['unpack', pack, '--sha256', sha256], env);
    expect(unpacked.code, unpacked.stderr).toBe(0);

    const one = await run([...SELECTION, '--out', join(root, 'full')], env);
    expect(one.code, one.stderr).toBe(0);
    full = readReport(join(root, 'full', 'report.json'));
    const planned = await ci(['plan', ...SELECTION, '--shards', '2', '--format', 'json']);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as { shards: { index: number; args: string[] }[] };
    shards = [];
    for (const shard of plan.shards) {
      const part = await run([...shard.args, '--out', join(root, 'parts', `shard-${shard.index}`)], env);
      expect(part.code, part.stderr).toBe(0);
      shards.push(readReport(join(root, 'parts', `shard-${shard.index}`, 'report.json')));
    }
    const m = await ci(['merge', join(root, 'parts'), '--out', join(root, 'merged')]);
    expect(m.code, m.stderr).toBe(0);
    merged = readReport(join(root, 'merged', 'report.json'));
  });

  it('runs the shipped components in a job without clang (exit 0: no failing cell), none skipped', () => {
    expect(full.flavors.find((f) => f.id === 'clang-wasi-p2')?.available).toBe(false);
    expect(full.cells.length).toBeGreaterThan(4);
    expect(full.cells.filter((c) => c.status === 'skipped').map((c) => `${keyOf(c)}: ${c.reason}`)).toEqual([]);
    expect(full.cells.filter((c) => c.status === 'pass').length).toBeGreaterThan(full.cells.length / 2);
  });

  it('merges the shards into the same cells and verdicts, and keeps the artifact kind and imports', () => {
    expect(merged.cells.map(keyOf).sort()).toEqual(full.cells.map(keyOf).sort());
    const want = new Map(full.cells.map((c) => [keyOf(c), verdictOf(c)]));
    expect(merged.cells.filter((c) => want.get(keyOf(c)) !== verdictOf(c)).map(keyOf)).toEqual([]);
    for (const report of [full, ...shards, merged]) {
      const artifact = report.artifacts.find((a) => a.flavor === 'clang-wasi-p2');
      expect(artifact).toMatchObject({ suite: 'compute', kind: 'component', cacheHit: true });
      expect(artifact!.imports!.length).toBeGreaterThan(0);
      for (const i of artifact!.imports!) expect(i).toMatch(/^wasi:[a-z-]+\/[a-z-]+@0\.2\.\d+$/);
    }
  });
});
