import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../markdown.js';
import { mdCode, mdText } from '../md-text.js';
import type { Report } from '../schema.js';
import { verdict } from '../status.js';
import { FIXED, MONO_REASON, NEWLY_FAILING, SUITES, syntheticReport } from './fixtures.js';

/** Cells of a GFM table row: split on pipes that are not escaped. */
const tableCells = (line: string): string[] => line.trim().slice(1, -1).split(/(?<!\\)\|/);

describe('renderMarkdown', () => {
  const report = syntheticReport();
  const md = renderMarkdown(report);

  it('has a headline with counts and the exit verdict', () => {
    const first = md.split('\n')[0] ?? '';
    expect(first).toMatch(/^## ❌ wasm-matrix run: 7 failing cells; 2 newly failing against the baseline \(exit 1\)$/);
    expect(md).toContain('**84 cells:**');
    expect(md).toContain('✅ 36 pass');
    expect(md).toContain('❌ 3 mismatch');
    expect(md).toContain('⏱️ 1 timeout · ');
    expect(md).toContain('⌛ 1 timeout (expected)');
    expect(md).toContain('⏭️ 21 skipped');
    expect(md).toContain('➖ 3 unsupported');
  });

  it('says exit 1 in the headline for a failed build and for an incomplete report, as the exit code does', () => {
    const plain = syntheticReport(false);
    const passing = plain.cells.filter((c) => c.status === 'pass' && c.suite === 'arith');
    const built: Report = {
      ...plain,
      cells: [...passing, { suite: 'arith', case: 'add', flavor: 'clang-wasi-O2', runtime: 'wasmtime-99', status: 'skipped', oracle: 'none', reason: 'build failed: add.c:2 error', buildFailure: { summary: 'add.c:2 error' } }],
    };
    const first = renderMarkdown(built).split('\n')[0] ?? '';
    expect(first).toBe('## ❌ wasm-matrix run: 1 failing cell (1 failed build) (exit 1)');
    expect(verdict(built).exitCode).toBe(1);
    const incomplete: Report = { ...plain, cells: passing, complete: false, interrupted: 'missing shard 2/3' };
    expect(renderMarkdown(incomplete).split('\n')[0]).toBe('## ❌ wasm-matrix run: no failing cell among those that finished; interrupted: missing shard 2/3 (exit 1)');
  });

  it('lists runtimes with Wasmtime versions and flavors with skip reasons', () => {
    expect(md).toMatch(/\| `wasmtime-36` \| 36\.0\.14 \|/);
    expect(md).toContain(`| \`mono-interp\` | no | ${mdText(MONO_REASON)} |`);
    expect(md).toContain('ilcompiler 10.0.0-rc.1.26306.1, wasi-sdk 29');
  });

  it('draws one table per suite with a row per case and a column per flavor x runtime', () => {
    for (const [suite, cases] of Object.entries(SUITES)) {
      const at = md.indexOf(`#### Suite \`${suite}\``);
      expect(at).toBeGreaterThan(0);
      const lines = md.slice(at).split('\n').slice(2);
      const header = tableCells(lines[0] ?? '');
      expect(header).toHaveLength(1 + 4 * 3);
      expect(header[1]?.trim()).toBe('mono-interp<br>wasmtime-24');
      const rows = lines.slice(2, 2 + cases.length);
      for (const row of rows) expect(tableCells(row)).toHaveLength(13);
    }
    // The case name with a pipe is escaped and keeps the row intact.
    expect(md).toMatch(/^\| weird\\\|name \| ⏭️ /m);
  });

  it('shows every difference with expected and actual side by side', () => {
    expect(md).toContain('### Differences (7)');
    expect(md).toMatch(/\| \*\*values\*\* ≠ \| `\[i32:3\]` \| `\[i32:4\]` \|/);
    expect(md).toMatch(/\| \*\*exit code\*\* ≠ \| `0` \| `1` \|/);
    expect(md).toContain('| **stdout** ≠ | `"hello\\n"` | `"hell\\u0000o\\n"` |');
    expect(md).toMatch(/\| \*\*trap\*\* ≠ \| `integer-divide-by-zero` \| `unreachable` \|/);
    expect(md).toContain('worker exited with signal SIGSEGV');
    // Markdown source `\\u0000` renders as `\u0000`.
    expect(md).toContain('(byte 4 is \\\\u0000)');
    expect(md).not.toContain('\u0000');
    expect(md).toContain('❌ **mismatch** `strings/weird|name/wat/wasmtime-48`');
    expect(md).toContain('worker stopped answering after 30 s');
    // Hostile output stays inside code spans: pipes escaped, no live HTML.
    expect(md).toContain('``"a\\|b\\n<script>alert(1)</script> & `tick`"``');
    expect(md).not.toMatch(/^[^`]*<script>/m);
    for (const line of md.split('\n').filter((l) => l.startsWith('| **output'))) expect(tableCells(line)).toHaveLength(3);
  });

  it('puts the baseline first: newly failing, then fixed; and newly failing differences first', () => {
    const baselineAt = md.indexOf('### Against the baseline');
    expect(baselineAt).toBeGreaterThan(0);
    expect(baselineAt).toBeLessThan(md.indexOf('### Runtimes'));
    const newlyAt = md.indexOf('**Newly failing: 2**');
    const fixedAt = md.indexOf('**Fixed: 1**');
    expect(newlyAt).toBeGreaterThan(baselineAt);
    expect(fixedAt).toBeGreaterThan(newlyAt);
    expect(md.indexOf(`- \`${FIXED[0]}\``)).toBeGreaterThan(fixedAt);
    const diffs = md.slice(md.indexOf('### Differences'));
    const firstTwo = [...diffs.matchAll(/\*\* `([^`]+)`( 🆕 newly failing)?/g)].slice(0, 3);
    expect(firstTwo.slice(0, 2).map((m) => m[1]).sort()).toEqual([...NEWLY_FAILING].sort());
    expect(firstTwo[2]?.[2]).toBeUndefined();
  });

  it('groups skipped reasons', () => {
    const section = md.slice(md.indexOf('### Skipped and unsupported (24)'));
    expect(section).toContain(`| ⏭️ skipped | ${mdText(MONO_REASON)} | 21 |`);
    expect(section).toContain('| ➖ unsupported |');
    expect(section.split(mdText(MONO_REASON))).toHaveLength(2);
  });

  it('says when the report is incomplete, and renders an empty report', () => {
    const partial = renderMarkdown({ ...report, complete: false, interrupted: 'SIGINT', baseline: undefined, cells: [] });
    expect(partial).toContain('> ⚠️ **Incomplete report** (interrupted: SIGINT)');
    expect(partial).toContain('### Differences (0)');
  });
});

describe('markdown escaping', () => {
  it('escapes pipes and newlines in text cells', () => {
    expect(mdText('a|b\nc<d>')).toBe('a\\|b<br>c&lt;d&gt;');
    expect(mdText('nul\u0000')).toBe('nul\\\\u0000');
  });
  it('makes code spans that survive backticks, pipes and newlines', () => {
    expect(mdCode('x`y|z\n', true)).toBe('``x`y\\|z\\n``');
    expect(mdCode('x`y|z\n')).toBe('``x`y|z\\n``');
    expect(mdCode('`')).toBe('`` ` ``');
  });
});
