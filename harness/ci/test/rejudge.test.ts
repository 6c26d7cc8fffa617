// Judging compare-only cases again once all shards' cells are together.
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../model/cell.js';
import { rejudgeCompareOnly } from '../rejudge.js';

const out = (utf8: string) => ({ output: { utf8, hex: Buffer.from(utf8).toString('hex') } });
const cell = (flavor: string, runtime: string, extra: Partial<Cell>): Cell => ({ suite: 's', case: 'c', flavor, runtime, status: 'pass', ...extra });

describe('rejudgeCompareOnly', () => {
  it('takes the reference of the whole run (first flavor on the newest runtime) and judges every cell against it', () => {
    // Shard A held wat/48 and clang/24; shard B held clang/48 and wat/24. Each judged with its own reference.
    const cells: Cell[] = [
      cell('wat', 'wasmtime-48', { oracle: 'none', actual: out('1') }),
      cell('clang-wasi-O2', 'wasmtime-24', { oracle: 'reference', referenceCell: 's/c/wat/wasmtime-48', expected: out('1'), actual: out('1') }),
      cell('clang-wasi-O2', 'wasmtime-48', { oracle: 'none', actual: out('2') }),
      cell('wat', 'wasmtime-24', { oracle: 'reference', referenceCell: 's/c/clang-wasi-O2/wasmtime-48', expected: out('2'), actual: out('2') }),
      cell('wat', 'wasmtime-36', { status: 'crash', oracle: 'none', reason: 'worker died', actual: { error: 'crash: worker died' } }),
    ];
    const { cells: next, changed } = rejudgeCompareOnly(cells, 'wasmtime-48', ['clang-wasi-O2', 'wat']);
    const by = new Map(next.map((c) => [`${c.flavor}/${c.runtime}`, c]));
    expect(by.get('clang-wasi-O2/wasmtime-48')).toMatchObject({ status: 'pass', oracle: 'none' });
    expect(by.get('clang-wasi-O2/wasmtime-48')!.referenceCell).toBeUndefined();
    expect(by.get('wat/wasmtime-48')).toMatchObject({ status: 'mismatch', oracle: 'reference', referenceCell: 's/c/clang-wasi-O2/wasmtime-48', expected: out('2'), actual: out('1') });
    expect(by.get('clang-wasi-O2/wasmtime-24')).toMatchObject({ status: 'mismatch', referenceCell: 's/c/clang-wasi-O2/wasmtime-48' });
    expect(by.get('wat/wasmtime-24')).toMatchObject({ status: 'pass', referenceCell: 's/c/clang-wasi-O2/wasmtime-48' });
    expect(by.get('wat/wasmtime-36')).toEqual(cells[4]);
    expect(changed).toBe(2); // wat/24 already had the right reference
  });

  it('passes over a reference that crashed, and judges traps, values and commands alike', () => {
    const cells: Cell[] = [
      cell('clang-wasi-O2', 'wasmtime-48', { status: 'crash', oracle: 'none', actual: { error: 'crash: x' } }),
      cell('wat', 'wasmtime-48', { status: 'trap', oracle: 'none', actual: { trap: 'unreachable' } }),
      cell('clang-wasi-O2', 'wasmtime-24', { status: 'trap', oracle: 'none', actual: { trap: 'unreachable' } }),
      { ...cell('wat', 'wasmtime-24', { oracle: 'none', actual: { values: ['f64:nan', 'i64:-1'] } }), case: 'v' },
      { ...cell('wat', 'wasmtime-48', { oracle: 'none', actual: { values: ['f64:nan', 'i64:-1'] } }), case: 'v' },
      { ...cell('wat', 'wasmtime-48', { oracle: 'none', actual: { exitCode: 0, stdout: 'a', stderr: '' } }), case: 'cmd' },
      { ...cell('wat', 'wasmtime-24', { oracle: 'none', actual: { exitCode: 0, stdout: 'b', stderr: '' } }), case: 'cmd' },
    ];
    const by = new Map(rejudgeCompareOnly(cells, 'wasmtime-48', ['clang-wasi-O2', 'wat']).cells.map((c) => [`${c.case}/${c.flavor}/${c.runtime}`, c]));
    expect(by.get('c/clang-wasi-O2/wasmtime-24')).toMatchObject({ status: 'trap', expectedTrap: true, referenceCell: 's/c/wat/wasmtime-48' });
    expect(by.get('v/wat/wasmtime-24')).toMatchObject({ status: 'pass', oracle: 'reference' });
    expect(by.get('cmd/wat/wasmtime-24')).toMatchObject({ status: 'mismatch', reason: 'differs from the reference cell' });
  });

  it('leaves cases with an expectation, and external programs with a bad spec, as they are', () => {
    const bad = 'bad spec file /x/p.json: args: expected array';
    const cells: Cell[] = [
      cell('prebuilt', 'wasmtime-48', { status: 'mismatch', oracle: 'none', reason: bad, actual: { error: bad } }),
      cell('prebuilt', 'wasmtime-24', { status: 'mismatch', oracle: 'none', reason: bad, actual: { error: bad } }),
      { ...cell('wat', 'wasmtime-24', { status: 'mismatch', oracle: 'expectation', expected: out('1'), actual: out('2') }), case: 'e' },
      { ...cell('wat', 'wasmtime-48', { status: 'trap', expectedTrap: false, oracle: 'none', actual: { trap: 'unreachable' } }), case: 'e' },
    ];
    const result = rejudgeCompareOnly(cells, 'wasmtime-48', ['prebuilt', 'wat']);
    expect(result.cells).toEqual(cells);
    expect(result.changed).toBe(0);
  });
});
