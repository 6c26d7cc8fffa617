// The instruction measure's rules on fixed numbers: reading callgrind dumps,
// a cell's counts over its processes (exact or nondeterministic), count
// ratios, and the baseline gate (no interval: counts are exact).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectValgrind, parseDump, readDumps } from '../callgrind.js';
import { cellInstructions, instructionBaselineRow, instructionComparisons } from '../instructions.js';
import type { BenchCell, CountProcess } from '../schema.js';

const dump = (label: string, ir: number) =>
  `# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npid: 42\ncmd:  node worker-main.js\npart: 1\n\ndesc: I1 cache: \ndesc: Timerange: Basic block 0 - 10\ndesc: Trigger: Client Request: ${label}\n\npositions: line\nevents: Ir\nsummary: ${ir}\n\n\ntotals: ${ir}\n`;

describe('callgrind dumps', () => {
  it('reads each labelled dump of a process in dump order, not the termination file or other processes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-dumps-'));
    writeFileSync(join(dir, 'callgrind.out.42.2'), dump('instantiate', 607692));
    writeFileSync(join(dir, 'callgrind.out.42.10'), dump('perCall', 14224));
    writeFileSync(join(dir, 'callgrind.out.42.1'), dump('compile', 3798876));
    writeFileSync(join(dir, 'callgrind.out.42'), dump('', 0).replace('Client Request: ', 'Program termination'));
    writeFileSync(join(dir, 'callgrind.out.43.1'), dump('compile', 1));
    expect(readDumps(dir, 42)).toEqual([
      { part: 1, label: 'compile', instructions: 3798876 },
      { part: 2, label: 'instantiate', instructions: 607692 },
      { part: 10, label: 'perCall', instructions: 14224 },
    ]);
  });

  it('names the file of a truncated dump', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-dumps-'));
    const file = join(dir, 'callgrind.out.7.1');
    writeFileSync(file, dump('compile', 5).split('summary:')[0]!);
    expect(() => parseDump(file)).toThrow(`${file}: no summary: or totals: line`);
  });

  it('finds no valgrind where WASM_MATRIX_VALGRIND names no file, and says how to get it', () => {
    const status = detectValgrind({ ...process.env, WASM_MATRIX_VALGRIND: '/nonexistent/valgrind' });
    expect(status).toMatchObject({ available: false, command: '/nonexistent/valgrind' });
    expect(!status.available && status.reason).toContain('install the Debian package valgrind');
  });
});

const proc = (pid: number, perCall: number, compile: number): CountProcess => ({
  round: 1,
  order: pid,
  pid,
  status: 'ok',
  counts: { compile: { instructions: compile, calls: 1 }, firstCall: { instructions: 7464, calls: 1 }, perCall: { instructions: perCall, calls: 3 } },
  wallMs: 1,
});

describe('a cell’s counts', () => {
  it('is exact when both processes agree, and names the phases they disagree on', () => {
    const exact = cellInstructions([proc(1, 14208, 3_668_316), proc(2, 14208, 3_668_316)]);
    expect(exact.nondeterministic).toEqual([]);
    expect(exact.phases!.perCall).toEqual({ perCall: 4736, total: 14208, calls: 3, deterministic: true, min: 14208, max: 14208 });
    const loose = cellInstructions([proc(1, 14208, 3_668_316), proc(2, 14208, 3_683_206)]);
    expect(loose.nondeterministic).toEqual(['compile']);
    expect(loose.phases!.compile).toMatchObject({ deterministic: false, min: 3_668_316, max: 3_683_206 });
  });

  it('has no counts when a process did not end ok (a trap is a status, never a count)', () => {
    const trapped = cellInstructions([proc(1, 14208, 3_668_316), { round: 2, order: 3, pid: 3, status: 'trap', trap: 'unreachable', wallMs: 1 }]);
    expect(trapped.phases).toBeUndefined();
  });
});

const cell = (flavor: string, runtime: string, processes: CountProcess[]): BenchCell => ({
  key: `s/c/${flavor}/${runtime}`,
  suite: 's',
  case: 'c',
  flavor,
  runtime,
  status: 'ok',
  processes: [],
  instructions: cellInstructions(processes),
});

describe('count ratios and the baseline gate', () => {
  it('compares the same pairs as the time tables, exactly', () => {
    const cells = [cell('clang-wasi-O0', 'wasmtime-24', [proc(1, 3000, 10), proc(2, 3000, 10)]), cell('clang-wasi-O2', 'wasmtime-24', [proc(3, 1200, 10), proc(4, 1200, 10)])];
    const rows = instructionComparisons(cells, [
      { id: 'clang-wasi-O0', language: 'c', target: 'wasm' },
      { id: 'clang-wasi-O2', language: 'c', target: 'wasm' },
    ], ['wasmtime-24']);
    expect(rows.find((r) => r.phase === 'perCall')).toMatchObject({ kind: 'flavor', reference: 'clang-wasi-O0', candidate: 'clang-wasi-O2', ratio: 0.4, referencePerCall: 1000, candidatePerCall: 400 });
  });

  it('flags a count 2% above the baseline beyond a 1% threshold, not an equal one, and never a nondeterministic phase', () => {
    const now = cell('wat', 'wasmtime-48', [proc(1, 3000, 3_683_206), proc(2, 3000, 3_668_316)]);
    const equal = instructionBaselineRow(now, now, 1);
    expect(equal.verdict).toBe('same');
    expect(equal.phases.find((p) => p.phase === 'compile')!.verdict).toBe('not-gated');
    const lower = cell('wat', 'wasmtime-48', [proc(1, 2940, 3_000_000), proc(2, 2940, 3_000_000)]);
    const grown = instructionBaselineRow(now, lower, 1);
    expect(grown.verdict).toBe('regression');
    expect(grown.phases.find((p) => p.phase === 'perCall')).toMatchObject({ verdict: 'regression', baseline: 980, now: 1000 });
    expect(grown.phases.find((p) => p.phase === 'compile')!.verdict).toBe('not-gated');
    expect(instructionBaselineRow(now, lower, 3).verdict).toBe('same');
    expect(instructionBaselineRow(lower, now, 1).verdict).toBe('improvement');
    expect(instructionBaselineRow(now, undefined, 1)).toMatchObject({ verdict: 'not-compared', reason: 'not in the baseline' });
  });
});
