// The rehearsal end to end on real workers: 36 -> 48 on the core suite gives
// go; an artifact changed only on the new side gives no-go naming the cases;
// a corrupted entry is refused and recompiled, never loaded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuiltArtifact } from '../../build/build.js';
import { loadAllSuites } from '../../config/suite.js';
import { isFailure } from '../../model/verdict.js';
import { readReport } from '../../report/writer.js';
import { flavorById } from '../../toolchains/registry.js';
import { lookupEntry } from '../cache.js';
import { runCutover, type CutoverOptions } from '../rehearsal.js';
import { CutoverSection } from '../schema.js';
import { assemble, flipByte, halfEntries, runtime, sha256, tmp } from './helpers.js';

const core = () => loadAllSuites().filter((s) => s.name === 'core');

function options(extra: Partial<CutoverOptions> = {}): CutoverOptions {
  return {
    from: runtime('wasmtime-36'),
    to: runtime('wasmtime-48'),
    suites: core(),
    flavors: [flavorById('clang-wasi-O2'), flavorById('wat')],
    cacheRoot: tmp('wasm-matrix-cwasm-'),
    outDir: tmp('wasm-matrix-cutover-'),
    durationS: 2,
    coldRounds: 1,
    quiet: true,
    ...extra,
  };
}

describe('cut-over rehearsal', () => {
  it('36 -> 48 on the core suite is a go: same answers, old entries refused, nothing lost across the switch', async () => {
    const o = options();
    const { cutover: c, report, exitCode } = await runCutover(o);
    expect(c.reasons).toEqual([]);
    expect(c.verdict).toBe('go');
    expect(exitCode).toBe(0);

    // The report files, as `run` writes them, with the section in report.json.
    const onDisk = readReport(join(o.outDir, 'report.json'));
    expect(onDisk.kind).toBe('cutover');
    expect(onDisk.complete).toBe(true);
    expect(onDisk.kind === 'cutover' && CutoverSection.parse(onDisk.cutover)).toEqual(c);
    const md = readFileSync(join(o.outDir, 'report.md'), 'utf8');
    expect(md).toContain('Cut-over rehearsal `wasmtime-36` (Wasmtime 36.0.14) → `wasmtime-48` (Wasmtime 48.0.8): ✅ **GO**');
    expect(md).toMatch(/\| after-switch \| wasmtime-48 \| \d+ \|/);
    expect(readFileSync(join(o.outDir, 'junit.xml'), 'utf8')).toContain('<testsuite');
    const html = readFileSync(join(o.outDir, 'report.html'), 'utf8');
    expect(html).toContain('Cut-over rehearsal: wasmtime-36 → wasmtime-48: GO</h2>');
    expect(html).toMatch(/lost 0\./);

    // Every golden case compared on both runtimes.
    expect(c.golden.cases).toBeGreaterThan(100);
    expect(report.cells).toHaveLength(2 * c.golden.cases);
    expect(report.cells.filter((cell) => cell.runtime === 'wasmtime-48' && isFailure(cell))).toEqual([]);
    expect(c.mismatches).toEqual([]);

    // Calls: every one issued was answered exactly once, on both sides of the switch.
    const s = c.stream;
    expect(s.lost).toBe(0);
    expect(s.duplicated).toBe(0);
    expect(s.failed).toBe(0);
    expect(s.answered).toBe(s.issued);
    expect(s.served).toBe(s.issued);
    expect(s.switch?.inFlight).toBeGreaterThan(0);
    expect(s.switch?.drainedOnOld).toBe(s.switch?.inFlight);
    expect(s.byRuntime.map((r) => r.runtime).sort()).toEqual(['wasmtime-36', 'wasmtime-48']);
    expect(s.byRuntime.every((r) => r.served > 0)).toBe(true);
    expect(s.notStreamed.map((n) => n.key)).toContain('core/trap.infinite_loop/wat');

    // The new engine refused every old entry with a clear error.
    expect(c.refusals.length).toBeGreaterThan(0);
    for (const r of c.refusals) expect(r.refused, r.message).toBe(true);
    expect(c.refusals.find((r) => r.mode === 'as-is')!.message).toMatch(
      /refused \.cwasm: made by Wasmtime 36\.0\.14 with engine hash [0-9a-f]+, but this is Wasmtime 48\.0\.8 with engine hash [0-9a-f]+/,
    );
    expect(c.refusals.some((r) => r.mode === 'relabelled')).toBe(true);
    expect(c.corruption.drill?.refused).toBe(true);

    // The figures.
    expect(c.fill.entries).toBe(4); // two artifacts x (default, fuel) engines
    expect(c.fill.counts.filled).toBe(4);
    expect(c.fill.wallMs).toBeGreaterThan(0);
    expect(c.coldStart.items.map((i) => i.flavor).sort()).toEqual(['clang-wasi-O2', 'wat']);
    for (const i of c.coldStart.items) {
      expect(i.error).toBeUndefined();
      expect(i.cached.loadMs).toBeLessThan(i.compiled.loadMs);
    }
    const windows = c.latency.map((w) => `${w.window}/${w.runtime}`);
    expect(windows).toEqual(['before-fill/wasmtime-36', 'during-fill/wasmtime-36', 'after-fill/wasmtime-36', 'after-switch/wasmtime-48']);
    for (const w of c.latency.filter((x) => x.window !== 'during-fill')) expect(w.calls).toBeGreaterThan(0);
    expect(halfEntries(o.cacheRoot)).toEqual([]);
  });

  it('an artifact changed only on the new side is a no-go that names the cases', async () => {
    // core.wat with i32 addition turned into subtraction, handed only to the new runtime.
    const watPath = join(core()[0]!.dir, 'wat', 'core.wat');
    const original = readFileSync(watPath, 'utf8');
    const changedText = original.replace(
      '(i32.add (i32.wrap_i64 (i64.load (i32.const 128))) (i32.wrap_i64 (i64.load (i32.const 136))))',
      '(i32.sub (i32.wrap_i64 (i64.load (i32.const 128))) (i32.wrap_i64 (i64.load (i32.const 136))))',
    );
    expect(changedText).not.toBe(original);
    const changed = await assemble(tmp('wasm-matrix-changed-'), 'core', changedText);
    const newArtifact = (a: BuiltArtifact) => (a.flavor === 'wat' ? { ...a, path: changed.path, hash: changed.hash, cacheHit: false } : undefined);

    const o = options({ seams: { newArtifact } });
    const { cutover: c, exitCode } = await runCutover(o);
    expect(c.verdict).toBe('no-go');
    expect(exitCode).toBe(1);
    expect(c.mismatches.map((m) => m.key).sort()).toEqual(['core/int.add_i32.wrap/wat', 'core/int.add_i32/wat']);
    const add = c.mismatches.find((m) => m.key === 'core/int.add_i32/wat')!;
    expect(add.old?.output?.utf8).toBe('3');
    expect(add.new?.output?.utf8).toBe('-1');
    expect(c.reasons[0]).toMatch(/^2 golden cases answer differently on wasmtime-48: core\/int\.add_i32(\.wrap)?\/wat, core\/int\.add_i32(\.wrap)?\/wat$/);
    // After the switch the wrong answers are served, and counted as failed (none lost).
    expect(c.stream.lost).toBe(0);
    expect(c.stream.failures.length).toBeGreaterThan(0);
    expect(c.stream.failures.every((f) => f.runtime === 'wasmtime-48' && f.key.startsWith('core/int.add_i32'))).toBe(true);
    expect(c.reasons.some((r) => /served calls failed \(\d+ on wasmtime-48\)/.test(r))).toBe(true);
    const md = readFileSync(join(o.outDir, 'report.md'), 'utf8');
    expect(md).toContain('❌ **NO-GO**');
    expect(md).toContain('exit 1');
    expect(readFileSync(join(o.outDir, 'report.html'), 'utf8')).toContain(': NO-GO</h2>');
    expect(md).toContain('`core/int.add_i32/wat`');
  });

  it('a corrupted cache entry is refused and recompiled, never loaded', async () => {
    let corrupted: { path: string; sha: string } | undefined;
    const o = options({
      flavors: [flavorById('wat')],
      seams: {
        afterFill: ({ entries }) => {
          const entry = entries.find((e) => e.bytes > 0)!;
          flipByte(entry.path);
          corrupted = { path: entry.path, sha: sha256(readFileSync(entry.path)) };
        },
      },
    });
    const { cutover: c, report } = await runCutover(o);
    expect(corrupted).toBeDefined();
    expect(c.corruption.found).toHaveLength(1);
    const event = c.corruption.found[0]!;
    expect(event.recompiled).toBe(true);
    expect(event.reason).toMatch(/\.cwasm\.json: sha256: the record says [0-9a-f]{64} but .* hashes to [0-9a-f]{64} \(corrupt or tampered\)/);
    // The entry on disk is a fresh one, not the corrupted bytes, and it verifies.
    expect(sha256(readFileSync(corrupted!.path))).not.toBe(corrupted!.sha);
    const [compat, file] = corrupted!.path.split('/').slice(-2);
    expect(lookupEntry(o.cacheRoot, compat!, file!.replace('.cwasm', '')).state).toBe('hit');
    // Every answer of the new runtime came from a valid entry: all golden, and the rehearsal is a go.
    expect(report.cells.filter((cell) => cell.runtime === 'wasmtime-48' && isFailure(cell))).toEqual([]);
    expect(c.stream.failed).toBe(0);
    expect(c.verdict).toBe('go');
    expect(readFileSync(join(o.outDir, 'report.md'), 'utf8')).toContain('| corrupt entries found in the cache | 1: 1 found before use, 1 refused and recompiled |');
  });
});
