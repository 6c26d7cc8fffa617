// report.md's cut-over section: verdict first, figures in tables, every piece
// of text escaped, and a broken section refused with the report.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCutoverMarkdown } from '../../report/cutover-md.js';
import { renderMarkdown } from '../../report/markdown.js';
import type { Report } from '../../report/schema.js';
import { readReport } from '../../report/writer.js';
import { CUTOVER_SCHEMA_VERSION, type CutoverSection } from '../schema.js';

const fill = (runtime: string): CutoverSection['fill'] => ({
  runtime,
  wasmtimeVersion: '48.0.8',
  wallMs: 812.5,
  precompileMs: 790,
  entries: 4,
  counts: { present: 0, filled: 4, replaced: 0, failed: 0 },
  bytes: 3 << 20,
  items: [],
});

function section(extra: Partial<CutoverSection> = {}): CutoverSection {
  return {
    schemaVersion: CUTOVER_SCHEMA_VERSION,
    from: { id: 'wasmtime-36', wasmtimeVersion: '36.0.14', compatibilityHash: 'a'.repeat(32) },
    to: { id: 'wasmtime-48', wasmtimeVersion: '48.0.8', compatibilityHash: 'b'.repeat(32) },
    cacheDir: '/tmp/c',
    suites: ['core'],
    flavors: ['wat'],
    durationS: 10,
    verdict: 'go',
    reasons: [],
    golden: { cases: 3, excluded: [], notBuilt: [] },
    mismatches: [],
    stream: { concurrency: 2, goldenCalls: 3, issued: 10, answered: 10, served: 10, failed: 0, lost: 0, duplicated: 0, byRuntime: [], failures: [], notStreamed: [] },
    latency: [{ window: 'before-fill', runtime: 'wasmtime-36', calls: 5, p50Ms: 1.2, p90Ms: 2, p99Ms: 3, maxMs: 4, meanMs: 1.5, serviceP50Ms: 0.2, durationMs: 100 }],
    oldCache: fill('wasmtime-36'),
    fill: fill('wasmtime-48'),
    refusals: [{ entry: 'x/y', artifact: 'core/wat', mode: 'as-is', refused: true, message: 'refused .cwasm: made by Wasmtime 36.0.14' }],
    corruption: { drill: { entry: 'x/y', refused: true, message: 'refused .cwasm: sha256 is 1' }, found: [] },
    coldStart: {
      rounds: 3,
      items: [
        {
          suite: 'core',
          flavor: 'wat',
          artifactHash: 'c'.repeat(64),
          case: 'int.add_i32',
          compiled: { loadMs: 12, instantiateMs: 0.2, initMs: 0, firstCallMs: 0.1, totalMs: 12.3 },
          cached: { loadMs: 0.2, instantiateMs: 0.2, initMs: 0, firstCallMs: 0.1, totalMs: 0.5 },
          speedup: 24.6,
        },
      ],
    },
    engines: [],
    timeline: [],
    ...extra,
  };
}

describe('cut-over section of report.md', () => {
  it('counts an entry the fill replaced among the corrupt entries (never "1 replaced" beside "none")', () => {
    const replacedFill: CutoverSection['fill'] = {
      ...fill('wasmtime-48'),
      counts: { present: 0, filled: 3, replaced: 1, failed: 0 },
      items: [{ suite: 'core', flavor: 'wat', artifactHash: 'c'.repeat(64), engine: 'default', status: 'replaced', ms: 5, message: 'x.cwasm: sha256: the record says 1 but x.cwasm hashes to 2 (corrupt or tampered)' }],
    };
    const md = renderCutoverMarkdown(section({ fill: replacedFill })).join('\n');
    expect(md).toContain('1 replaced, 0 failed');
    expect(md).toContain('| corrupt entries found in the cache | 1: 1 replaced during the fill (x.cwasm: sha256: the record says 1 but x.cwasm hashes to 2 (corrupt or tampered)) |');
    expect(md).not.toContain('| corrupt entries found in the cache | none |');
    expect(renderCutoverMarkdown(section()).join('\n')).toContain('| corrupt entries found in the cache | none |');
  });

  it('puts the verdict and its figures first', () => {
    const md = renderCutoverMarkdown(section()).join('\n');
    expect(md.split('\n')[0]).toBe('## 🚦 Cut-over rehearsal `wasmtime-36` (Wasmtime 36.0.14) → `wasmtime-48` (Wasmtime 48.0.8): ✅ **GO** (exit 0)');
    expect(md).toContain('| calls across the switch | 10 issued · 10 served · 0 failed · **0 lost** · 0 duplicated (2 in flight) |');
    expect(md).toContain('4 entries for wasmtime-48 in **812.5 ms**');
    expect(md).toContain('| before-fill | wasmtime-36 | 5 | 1.20 | 2.00 | 3.00 | 4.00 | 0.20 |');
    expect(md).toContain('| core/wat | `int.add_i32` | 12.0 | 0.20 | 12.3 | 0.50 | 24.6× |');
  });

  it('lists the no-go reasons and mismatches with all text escaped', () => {
    const md = renderCutoverMarkdown(
      section({
        verdict: 'no-go',
        reasons: ['1 golden case | <script>alert(1)</script>'],
        mismatches: [{ key: 'core/a|b/wat', suite: 'core', case: 'a|b', flavor: 'wat', reason: 'mismatch: *bold*', old: { output: { utf8: '3', hex: '33' } }, new: { output: { utf8: '-1', hex: '2d31' } } }],
      }),
    ).join('\n');
    expect(md).toContain('❌ **NO-GO** (exit 1)');
    expect(md).toContain('- 1 golden case \\| &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).not.toContain('<script>');
    expect(md).toContain('| `core/a\\|b/wat` | mismatch: \\*bold\\* |');
  });

  it('is validated with the report: a section that breaks its schema is refused naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-cutover-md-'));
    const path = join(dir, 'report.json');
    const head = { schemaVersion: 1, tool: 'wasm-matrix', kind: 'cutover', startedAt: '2026-01-01T00:00:00Z', complete: true, host: { platform: 'linux', arch: 'x64', node: 'v20', cpus: 2 }, runtimes: [], flavors: [], cells: [] };
    writeFileSync(path, JSON.stringify({ ...head, cutover: { ...section(), verdict: 'maybe' } }));
    expect(() => readReport(path)).toThrow(/: cutover\.verdict: /);
    rmSync(dir, { recursive: true, force: true });
  });

  it('appears in report.md only for a report that has a cut-over section', () => {
    const base: Report = {
      schemaVersion: 1,
      tool: 'wasm-matrix',
      kind: 'cutover',
      startedAt: '2026-01-01T00:00:00Z',
      complete: true,
      host: { platform: 'linux', arch: 'x64', node: 'v20', cpus: 2 },
      runtimes: [],
      flavors: [],
      artifacts: [],
      cells: [],
    };
    expect(renderMarkdown(base)).not.toContain('Cut-over rehearsal');
    expect(renderMarkdown({ ...base, cutover: section() }).startsWith('## 🚦 Cut-over rehearsal')).toBe(true);
  });
});
