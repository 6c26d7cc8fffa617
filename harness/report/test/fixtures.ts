// A synthetic report for the renderer and writer tests: three suites, all nine
// statuses, expected vs actual values (some hostile to Markdown, XML and HTML),
// a baseline; and a bench section for a bench report.
import { type Cell, cellKey } from '../../model/cell.js';
import type { BenchData } from '../../bench/schema.js';
import type { BenchReport, Report } from '../schema.js';

export const RUNTIMES = ['wasmtime-24', 'wasmtime-36', 'wasmtime-48'];
export const FLAVORS = ['mono-interp', 'nativeaot-llvm', 'clang-wasi-O2', 'wat'];
export const SUITES: Record<string, string[]> = {
  arith: ['add', 'div-zero', 'overflow'],
  strings: ['echo', 'upper', 'weird|name'],
  cli: ['hello'],
};
export const MONO_REASON = '.NET 8 SDK with the wasi-experimental workload not found; run `wasm-matrix doctor`';
export const HOSTILE_EXPECTED = 'a|b\n<script>alert(1)</script> & `tick`';
export const HOSTILE_ACTUAL = 'a|b\r\n<script>alert(2)</script> & `tick`';

const timings = { loadMs: 1.5, instantiateMs: 0.5, initMs: 0.25, callMs: 0.75, moduleCacheHit: true };

/** The one thing that differs from a plain pass, for a few chosen cells. */
function special(suite: string, name: string, flavor: string, runtime: string): Partial<Cell> | undefined {
  const k = `${suite}/${name}/${flavor}/${runtime}`;
  if (flavor === 'mono-interp') return { status: 'skipped', reason: MONO_REASON, timings: undefined };
  if (suite === 'strings' && flavor === 'wat' && runtime === 'wasmtime-24') {
    return { status: 'unsupported', reason: 'this module needs reference types, which wasmtime-24 loads only with gc', timings: undefined };
  }
  switch (k) {
    case 'arith/add/wat/wasmtime-24':
      return {
        status: 'mismatch',
        reason: 'values differ',
        oracle: 'reference',
        referenceCell: 'arith/add/nativeaot-llvm/wasmtime-48',
        expected: { values: ['i32:3'] },
        actual: { values: ['i32:4'] },
      };
    case 'arith/div-zero/nativeaot-llvm/wasmtime-36':
      return { status: 'trap', expectedTrap: false, reason: 'trapped with unreachable, expected integer-divide-by-zero', expected: { trap: 'integer-divide-by-zero' }, actual: { trap: 'unreachable' } };
    case 'arith/overflow/clang-wasi-O2/wasmtime-24':
      return { status: 'timeout', reason: 'guest ran past its 2000 ms deadline', expected: { values: ['i64:9223372036854775807'] }, actual: { timeout: true } };
    case 'arith/overflow/wat/wasmtime-36':
      return { status: 'timeout', expectedTrap: true, expected: { timeout: true }, actual: { timeout: true } };
    case 'arith/overflow/nativeaot-llvm/wasmtime-48':
      return { status: 'hang', reason: 'worker stopped answering after 30 s; killed and replaced', actual: { error: 'watchdog fired' } };
    case 'strings/echo/nativeaot-llvm/wasmtime-24':
      return { status: 'crash', reason: 'worker exited with signal SIGSEGV', actual: { error: 'worker exited with signal SIGSEGV' } };
    case 'strings/weird|name/wat/wasmtime-48':
      return {
        status: 'mismatch',
        reason: 'output differs\nat byte 3',
        oracle: 'expectation',
        expected: { output: { utf8: HOSTILE_EXPECTED, hex: Buffer.from(HOSTILE_EXPECTED).toString('hex') } },
        actual: { output: { utf8: HOSTILE_ACTUAL, hex: Buffer.from(HOSTILE_ACTUAL).toString('hex') }, stderr: 'warning\u0000\uFFFF' },
      };
    case 'cli/hello/clang-wasi-O2/wasmtime-36':
      return {
        status: 'mismatch',
        reason: 'exit code and stdout differ (byte 4 is \u0000)',
        oracle: 'expectation',
        expected: { exitCode: 0, stdout: 'hello\n' },
        actual: { exitCode: 1, stdout: 'hell\u0000o\n' },
      };
  }
  if (suite === 'arith' && name === 'div-zero') {
    return { status: 'trap', expectedTrap: true, expected: { trap: 'integer-divide-by-zero' }, actual: { trap: 'integer-divide-by-zero' } };
  }
  if (suite === 'strings' && name === 'upper') {
    return { status: 'guest-error', expected: { guestError: 'System.ArgumentException' }, actual: { guestError: 'System.ArgumentException: empty input' } };
  }
  return undefined;
}

export function syntheticCells(): Cell[] {
  const cells: Cell[] = [];
  for (const [suite, cases] of Object.entries(SUITES)) {
    for (const name of cases) {
      for (const flavor of FLAVORS) {
        for (const runtime of RUNTIMES) {
          const base: Cell = { suite, case: name, flavor, runtime, status: 'pass', oracle: 'expectation', timings };
          cells.push({ ...base, ...special(suite, name, flavor, runtime) });
        }
      }
    }
  }
  return cells;
}

export function syntheticHead(): Omit<Report, 'cells'> {
  return {
    schemaVersion: 1,
    tool: 'wasm-matrix',
    kind: 'run',
    startedAt: '2025-11-21T02:00:00.000Z',
    complete: false,
    host: { platform: 'linux', arch: 'x64', node: 'v20.20.2', cpus: 2 },
    runtimes: [
      { id: 'wasmtime-24', wasmtimeVersion: '24.0.13', compatibilityHash: 'a1b2c3d4e5f60718293a' },
      { id: 'wasmtime-36', wasmtimeVersion: '36.0.14', compatibilityHash: 'b1b2c3d4e5f60718293a' },
      { id: 'wasmtime-48', wasmtimeVersion: '48.0.1', compatibilityHash: 'c1b2c3d4e5f60718293a' },
    ],
    flavors: [
      { id: 'mono-interp', available: false, versions: {}, reason: MONO_REASON },
      { id: 'nativeaot-llvm', available: true, versions: { ilcompiler: '10.0.0-rc.1.26306.1', 'wasi-sdk': '29' } },
      { id: 'clang-wasi-O2', available: true, versions: { clang: '14.0.6' } },
      { id: 'wat', available: true, versions: { wat: '1.0' } },
    ],
    artifacts: [],
  };
}

const summary = (medianNs: number) => ({ n: 3, medianNs, meanNs: medianNs * 1.01, stddevNs: 1, madNs: 1, iqrNs: 2, minNs: medianNs * 0.9, maxNs: medianNs * 1.2 });

/** A bench section: twelve timed cells, and one that trapped (no median: not drawn). */
export function syntheticBench(): BenchData {
  const cells: BenchData['cells'] = [];
  const timed = (suite: string, name: string, flavor: string, runtime: string, medianNs: number) => {
    const at = { suite, case: name, flavor, runtime };
    cells.push({ key: cellKey(at), ...at, status: 'ok', processes: [], perCall: { ...summary(medianNs), samples: 30, processMediansNs: [medianNs, medianNs, medianNs] } });
  };
  for (const flavor of ['nativeaot-llvm', 'clang-wasi-O2']) {
    for (const [i, runtime] of RUNTIMES.entries()) {
      timed('arith', 'add', flavor, runtime, (flavor === 'nativeaot-llvm' ? 900 : 350) + i * 40);
      timed('strings', 'echo', flavor, runtime, 12_500 * (i + 1));
    }
  }
  const trapped = { suite: 'arith', case: 'add', flavor: 'wat', runtime: 'wasmtime-24' };
  cells.push({ key: cellKey(trapped), ...trapped, status: 'trap', trap: 'unreachable', processes: [] });
  return {
    schemaVersion: 1,
    definitions: 'benchmarks/default.json',
    method: { processes: 3, budgetMs: 100, minIterations: 3, confidence: 0.99, interval: 'Welch' },
    schedule: { seed: 1, rounds: [] },
    wallMs: 1000,
    cells,
    comparisons: [],
  };
}

export const NEWLY_FAILING = ['cli/hello/clang-wasi-O2/wasmtime-36', 'arith/add/wat/wasmtime-24'];
export const FIXED = ['strings/echo/wat/wasmtime-36'];

export function syntheticReport(withExtras = true): Report {
  const report: Report = { ...syntheticHead(), complete: true, finishedAt: '2025-11-21T02:10:00.000Z', cells: syntheticCells() };
  if (withExtras) report.baseline = { file: 'reports/nightly-2025-11-20/report.json', newlyFailing: NEWLY_FAILING, fixed: FIXED };
  return report;
}

/** The same cells as a bench report, with a bench section. */
export function syntheticBenchReport(): BenchReport {
  return { ...syntheticReport(), kind: 'bench', bench: syntheticBench() };
}

export const keys = (cells: Cell[]): string[] => cells.map(cellKey);

/**
 * A generated report of `suites` x `cases` x FLAVORS x RUNTIMES cells (no
 * runtimes needed): mostly passes, every `mismatchEvery`-th cell a mismatch,
 * every `trapEvery`-th an unexpected trap, mono-interp skipped; `quietSuites` suites at the end have
 * no failing cell at all.
 */
export function largeReport(suites: number, cases: number, quietSuites = 0, mismatchEvery = 97, trapEvery = 89): Report {
  const cells: Cell[] = [];
  let n = 0;
  for (let s = 0; s < suites; s++) {
    const suite = `suite-${String(s).padStart(3, '0')}`;
    const quiet = s >= suites - quietSuites;
    for (let c = 0; c < cases; c++) {
      const name = `case-${String(c).padStart(4, '0')}`;
      for (const flavor of FLAVORS) {
        for (const runtime of RUNTIMES) {
          n++;
          const base: Cell = { suite, case: name, flavor, runtime, status: 'pass', oracle: 'expectation', timings };
          if (flavor === 'mono-interp') cells.push({ ...base, status: 'skipped', reason: MONO_REASON, timings: undefined });
          else if (!quiet && n % mismatchEvery === 0) cells.push({ ...base, status: 'mismatch', reason: 'output differs', expected: { output: { utf8: 'ok', hex: '6f6b' } }, actual: { output: { utf8: `no ${n}`, hex: Buffer.from(`no ${n}`).toString('hex') } } });
          else if (!quiet && n % trapEvery === 0) cells.push({ ...base, status: 'trap', expectedTrap: false, reason: 'unexpected trap unreachable', actual: { trap: 'unreachable' } });
          else cells.push(base);
        }
      }
    }
  }
  return { ...syntheticHead(), complete: true, finishedAt: '2025-11-21T03:00:00.000Z', cells };
}
