// The Finalizer's provisional hook: a compare-only cell that has to wait for
// its reference cell is recorded at once (so a killed run keeps it) and then
// replaced by its final verdict. No runtimes needed.
import { describe, expect, it } from 'vitest';
import type { CaseSpec, Suite } from '../../config/suite.js';
import type { Cell } from '../../model/cell.js';
import { Finalizer } from '../finalize.js';
import type { PlannedCell } from '../plan.js';

const compareOnly = { name: 'answer.compare', call: { style: 'invoke', input: { utf8: '' } } } as unknown as CaseSpec;
const suite = { name: 'mini', cases: [compareOnly] } as unknown as Suite;
const planned = (flavor: string, runtime: string): PlannedCell => ({ key: `mini/answer.compare/${flavor}/${runtime}`, suite, testCase: compareOnly, flavor: flavor as PlannedCell['flavor'], runtime });
const ok = (text: string) => ({ status: 'ok' as const, output: Buffer.from(text) });

describe('Finalizer', () => {
  it('records a cell waiting for its reference as provisional, then emits its final verdict', () => {
    const cells = [planned('clang-wasi-O0', 'wasmtime-48'), planned('clang-wasi-O0', 'wasmtime-36')];
    const emitted: Cell[] = [];
    const provisional: Cell[] = [];
    const f = new Finalizer(cells, 'wasmtime-48', ['clang-wasi-O0'], (c) => emitted.push(c), (c) => provisional.push(c));
    f.add({ planned: cells[1]!, raw: ok('41') });
    expect(emitted).toEqual([]);
    expect(provisional).toHaveLength(1);
    expect(provisional[0]).toMatchObject({ runtime: 'wasmtime-36', status: 'pass', oracle: 'none' });
    expect(provisional[0]!.reason).toMatch(/^not compared yet: waiting for the reference cell/);
    expect(f.pending()).toBe(1);
    f.add({ planned: cells[0]!, raw: ok('42') });
    expect(f.pending()).toBe(0);
    // The reference needs no wait: no provisional record for it.
    expect(provisional).toHaveLength(1);
    expect(emitted.map((c) => [c.runtime, c.status]).sort()).toEqual([
      ['wasmtime-36', 'mismatch'],
      ['wasmtime-48', 'pass'],
    ]);
    expect(emitted.find((c) => c.runtime === 'wasmtime-36')).toMatchObject({ oracle: 'reference', referenceCell: 'mini/answer.compare/clang-wasi-O0/wasmtime-48' });
  });
});
