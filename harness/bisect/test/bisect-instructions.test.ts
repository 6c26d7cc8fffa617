// `bisect --measure instructions` for real: the endpoints counted under
// callgrind (slow: four counting processes). Whether the count moved beyond
// the threshold between the two versions is not this test's to say; it
// checks that each endpoint was judged by an exact count, repeated alike.
import { describe, expect, it } from 'vitest';
import { detectValgrind } from '../../bench/callgrind.js';
import { cli } from '../../cli/test/cli.js';

const valgrind = detectValgrind();
if (!valgrind.available) console.warn(`skipping bisect --measure instructions: ${valgrind.reason}`);

describe.skipIf(!valgrind.available)('wasm-matrix bisect --measure instructions', () => {
  it('judges each endpoint by its instructions per call, counted under callgrind', async () => {
    const r = await cli(['bisect', '--cell', 'memory64/size/wat', '--good', 'wasmtime-36', '--bad', 'wasmtime-48', '--no-build', '--measure', 'instructions', '--json'], { timeout: 1_800_000 });
    expect([0, 1], r.stderr).toContain(r.code);
    const report = JSON.parse(r.stdout) as { measure: string; result: { tried: { version: string; verdict: string; display: string }[] } };
    expect(report.measure).toBe('instructions, threshold 20%');
    const endpoints = report.result.tried.filter((t) => t.version === '36.0.14' || t.version === '48.0.8');
    expect(endpoints).toHaveLength(2);
    for (const t of endpoints) {
      expect(t.verdict).not.toBe('skip');
      expect(t.display).toMatch(/^[\d,.]+ instructions per call$/);
    }
  }, 1_800_000);
});
