// The cut-over rehearsal with components: 36 -> 48 on the core suite built
// as clang-wasi-p2 fills component `.cwasm` entries, has the new engine refuse
// the old ones, and switches with nothing lost.
import { describe, expect, it } from 'vitest';
import { loadAllSuites } from '../../config/suite.js';
import { flavorById } from '../../toolchains/registry.js';
import { runCutover } from '../rehearsal.js';
import { runtime, tmp } from './helpers.js';

describe('cut-over rehearsal of components', () => {
  it('36 -> 48 with clang-wasi-p2 is a go: component entries filled, old ones refused, none lost', async () => {
    const { cutover: c, exitCode } = await runCutover({
      from: runtime('wasmtime-36'),
      to: runtime('wasmtime-48'),
      suites: loadAllSuites().filter((s) => s.name === 'core'),
      flavors: [flavorById('clang-wasi-p2')],
      cacheRoot: tmp('wasm-matrix-cwasm-p2-'),
      outDir: tmp('wasm-matrix-cutover-p2-'),
      durationS: 1,
      coldRounds: 1,
      quiet: true,
    });
    expect(c.reasons).toEqual([]);
    expect(c.verdict).toBe('go');
    expect(exitCode).toBe(0);
    expect(c.golden.cases).toBeGreaterThan(50);
    expect(c.mismatches).toEqual([]);
    expect(c.stream.lost).toBe(0);
    expect(c.stream.failed).toBe(0);
    expect(c.refusals.length).toBeGreaterThan(0);
    for (const r of c.refusals) expect(r.refused, r.message).toBe(true);
    expect(c.refusals.find((r) => r.mode === 'as-is')!.message).toMatch(/refused \.cwasm: made by Wasmtime 36\.0\.14/);
  });
});
