import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../junit.js';
import { SUITES, syntheticReport } from './fixtures.js';

interface Attrs {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  '@_time': string;
}
interface Problem {
  '@_message': string;
  '@_type': string;
  '#text': string;
}
interface TestCase {
  '@_classname': string;
  '@_name': string;
  failure?: Problem;
  error?: Problem;
  skipped?: { '@_message': string };
}
interface TestSuite extends Attrs {
  testcase: TestCase[];
}

function parse(xml: string): Attrs & { testsuite: TestSuite[] } {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    isArray: (name) => name === 'testsuite' || name === 'testcase' || name === 'property',
  });
  return parser.parse(xml).testsuites;
}

describe('renderJunit', () => {
  const report = syntheticReport();
  const xml = renderJunit(report);
  const root = parse(xml);
  const allCases = root.testsuite.flatMap((s) => s.testcase);

  it('is well-formed XML even with NUL and U+FFFF in the values', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000\uffff]/);
  });

  it('has one testsuite per suite and one testcase per cell', () => {
    expect(root.testsuite.map((s) => s['@_name'])).toEqual(Object.keys(SUITES));
    expect(allCases).toHaveLength(report.cells.length);
    expect(root['@_tests']).toBe(String(report.cells.length));
    const arith = root.testsuite[0];
    expect(arith?.testcase[0]?.['@_classname']).toBe('arith.mono-interp.wasmtime-24');
    expect(arith?.testcase[0]?.['@_name']).toBe('add');
  });

  it('counts failures (mismatch, unexpected trap, timeout), errors (crash, hang) and skips', () => {
    // 3 mismatches + 1 unexpected trap + 1 unexpected timeout; expected traps,
    // the expected timeout and guest errors pass.
    expect(allCases.filter((c) => c.failure)).toHaveLength(5);
    expect(allCases.filter((c) => c.error)).toHaveLength(2);
    expect(allCases.filter((c) => c.skipped)).toHaveLength(24);
    expect([root['@_failures'], root['@_errors'], root['@_skipped']]).toEqual(['5', '2', '24']);
    const perSuite = root.testsuite.map((s) => [s['@_name'], s['@_tests'], s['@_failures'], s['@_errors'], s['@_skipped']]);
    expect(perSuite).toEqual([
      ['arith', '36', '3', '1', '9'],
      ['strings', '36', '1', '1', '12'],
      ['cli', '12', '1', '0', '3'],
    ]);
    // 84 cells x 3 ms, minus the 24 skipped without timings: 60 x 0.003 s.
    expect(Number(root['@_time'])).toBeCloseTo(0.18, 3);
  });

  it('puts expected vs actual in failure bodies and the reason in skips', () => {
    const add = allCases.find((c) => c['@_classname'] === 'arith.wat.wasmtime-24' && c['@_name'] === 'add');
    expect(add?.failure?.['@_type']).toBe('mismatch');
    expect(add?.failure?.['#text']).toContain('expected: [i32:3]');
    expect(add?.failure?.['#text']).toContain('actual:   [i32:4]');
    const trap = allCases.find((c) => c['@_classname'] === 'arith.nativeaot-llvm.wasmtime-36' && c['@_name'] === 'div-zero');
    expect(trap?.failure?.['@_type']).toBe('trap:unreachable');
    const weird = allCases.find((c) => c['@_name'] === 'weird|name' && c['@_classname'] === 'strings.wat.wasmtime-48');
    expect(weird?.failure?.['@_message']).toBe('output differs at byte 3');
    expect(weird?.failure?.['#text']).toContain('expected: "a|b\\n<script>alert(1)</script> & `tick`"');
    const crash = allCases.find((c) => c['@_classname'] === 'strings.nativeaot-llvm.wasmtime-24' && c['@_name'] === 'echo');
    expect(crash?.error?.['@_type']).toBe('crash');
    expect(crash?.error?.['@_message']).toBe('worker exited with signal SIGSEGV');
    const mono = allCases.find((c) => c['@_classname'] === 'cli.mono-interp.wasmtime-48');
    expect(mono?.skipped?.['@_message']).toMatch(/^\.NET 8 SDK/);
  });

  it('stays well-formed when names carry characters XML cannot hold', () => {
    const cell = { ...report.cells[0]!, case: 'bad\u0001name\ud800', status: 'mismatch' as const, reason: 'x\u001fy' };
    const odd = renderJunit({ ...report, cells: [cell] });
    expect(XMLValidator.validate(odd)).toBe(true);
    expect(parse(odd).testsuite[0]?.testcase[0]?.['@_name']).toBe('bad\\u{1}name\\u{d800}');
    expect(parse(odd).testsuite[0]?.testcase[0]?.failure?.['@_message']).toBe('x\\u001fy');
  });
});
