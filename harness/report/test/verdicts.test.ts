// Issue 10: every rendering agrees with the exit code the process gives
// (interrupted: 130; an incomplete merge: 1; a broken suite left out: 2), and
// output cut at the capture cap is visible in each of them.
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../html.js';
import { renderJunit } from '../junit.js';
import { renderMarkdown } from '../markdown.js';
import type { Cell, Report } from '../schema.js';
import { verdict } from '../status.js';
import { syntheticHead } from './fixtures.js';

const pass = (c: string, extra: Partial<Cell> = {}): Cell => ({ suite: 's', case: c, flavor: 'wat', runtime: 'wasmtime-48', status: 'pass', ...extra });
const report = (head: Partial<Report>, cells: Cell[] = [pass('a'), pass('b')]): Report => {
  const { baseline: _b, ...plain } = syntheticHead() as Extract<Report, { kind: 'run' }>;
  return { ...plain, kind: 'run', complete: true, cells, ...head };
};

describe('the verdict of a report is the exit code of its process', () => {
  it.each([
    ['a complete clean run', 0, {}],
    ['a run stopped by SIGINT', 130, { complete: false, interrupted: 'SIGINT after 2 of 9 cells', interruptedBy: 'SIGINT' as const }],
    ['a merge with a missing shard', 1, { complete: false, interrupted: 'missing shard 3/4' }],
    ['a run that left a broken suite out', 2, { inputErrors: ['/x/suite.json: cases.0.name: bad'] }],
  ])('%s: exit %i in report.md, junit.xml and report.html', (_label, code, head) => {
    const r = report(head);
    expect(verdict(r).exitCode).toBe(code);
    const md = renderMarkdown(r);
    expect(md.split('\n')[0]).toContain(`(exit ${code})`);
    if (code !== 0) expect(md.split('\n')[0]).not.toContain('nothing wrong');
    expect(renderHtml(r)).toContain(`exit ${code}:`);
    const junit = renderJunit(r);
    if (code === 0) expect(junit).not.toContain('classname="wasm-matrix.run"');
    else {
      expect(junit).toContain('classname="wasm-matrix.run"');
      expect(junit).toContain(`exit ${code}: `);
      expect(junit).toMatch(/<testsuites [^>]*errors="1"/);
    }
  });
});

describe('output cut at the capture cap', () => {
  const cut = pass('big', { actual: { exitCode: 0, stdout: 'x'.repeat(10), stderr: '', stdoutTruncated: true } });
  const r = report({}, [pass('a'), cut]);
  it('is named in report.md, report.html and junit.xml', () => {
    expect(renderMarkdown(r)).toContain('**Output cut at the capture cap** in 1 cell: s/big/wat/wasmtime-48');
    expect(renderHtml(r)).toContain('Output cut at the capture cap in 1 cell: s/big/wat/wasmtime-48');
    expect(renderJunit(r)).toMatch(/<testcase [^>]*name="big"[^>]*>\s*<properties>\s*<property name="stdoutTruncated" value="true"\/>/);
  });
});
