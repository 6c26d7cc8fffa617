// The guest's output under failing cells (issue 14): the last lines of stderr
// in report.md and report.html, the kept output in junit.xml's system-err,
// every cut said so, and guest text that cannot break out of its block.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../model/cell.js';
import { renderHtml } from '../html.js';
import { renderJunit } from '../junit.js';
import { renderMarkdown } from '../markdown.js';
import { GUEST_TAIL_LINES, guestTails } from '../observed.js';
import { syntheticHead } from './fixtures.js';
import type { Report } from '../schema.js';

const stderr = `${Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n')}\n</pre><script>x</script> \`\`\`fence\u0001\n`;
const trap: Cell = {
  suite: 'external',
  case: 'panics',
  flavor: 'prebuilt',
  runtime: 'wasmtime-48',
  status: 'trap',
  expectedTrap: false,
  reason: 'unexpected trap unreachable',
  oracle: 'expectation',
  expected: { exitCode: 0 },
  actual: { trap: 'unreachable' },
  guestOutput: { stderr, stderrBytes: 2_000_000, stderrTruncated: true },
};
const known: Cell = { ...trap, case: 'listed', status: 'known-failure', reason: 'known failure (skip.json): bug', guestOutput: { stderr: 'known stderr\n' } };
const passed: Cell = { ...trap, case: 'fine', status: 'pass', expectedTrap: undefined, reason: undefined, actual: { exitCode: 0 }, guestOutput: { stderr: 'quiet pass\n' } };
const report: Report = { ...syntheticHead(), cells: [trap, known, passed] } as Report;

describe('guest output of failing cells', () => {
  it('keeps the last lines and says what was cut', () => {
    const [tail] = guestTails(trap);
    expect(tail!.stream).toBe('stderr');
    expect(tail!.lines).toHaveLength(GUEST_TAIL_LINES);
    expect(tail!.lines.at(-1)).toBe('</pre><script>x</script> ```fence\\u0001');
    expect(tail!.note).toContain(`last ${GUEST_TAIL_LINES} of 31 lines`);
    expect(tail!.note).toContain('of 2000000 bytes');
    expect(tail!.note).toContain('capture cap');
  });

  it('shows them in report.md inside a fence the text cannot close, and in report.html escaped', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('stderr of the guest (last 12 of 31 lines;');
    expect(md).toContain('line 30');
    expect(md).not.toContain('line 19\n');
    expect(md).toMatch(/\n````\nline 20\n/);
    expect(md).toContain('known stderr');
    expect(md).not.toContain('quiet pass');
    const html = renderHtml(report);
    expect(html).toContain('&#60;/pre&#62;&#60;script&#62;x&#60;/script&#62;');
    expect(html).not.toContain('</pre><script>x</script>');
    expect(html).toContain('line 30');
  });

  it('puts the kept output in system-err of cells that did not pass, in valid XML', () => {
    const xml = renderJunit(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
    const cases = [parsed.testsuites.testsuite].flat().flatMap((s: { testcase: unknown }) => [s.testcase].flat()) as Record<string, unknown>[];
    const byName = new Map(cases.map((c) => [c['@_name'], c]));
    expect(String(byName.get('panics')!['system-err'])).toContain('earlier output cut; 2000000 bytes written');
    expect(String(byName.get('panics')!['system-err'])).toContain('line 1\n');
    expect(String(byName.get('panics')!['system-err'])).toContain('cut at the capture cap');
    expect(byName.get('listed')!['skipped']).toBeDefined();
    expect(String(byName.get('listed')!['system-err']).trim()).toBe('known stderr');
    expect(byName.get('fine')!['system-err']).toBeUndefined();
  });
});
