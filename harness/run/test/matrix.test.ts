// The differential run end to end on the real suites and on a small suite
// whose guest the tests change.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { projectRoot } from '../../paths.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { launchChromium, openRecorded } from '../../report/test/chromium.js';
import { loadRuntimes } from '../../config/runtimes.js';
import { loadAllSuites, loadSuite } from '../../config/suite.js';
import { isFailure } from '../../model/verdict.js';
import { readReport } from '../../report/writer.js';
import { flavorById } from '../../toolchains/registry.js';
import { runMatrix } from '../matrix.js';
import { writeMiniSuite } from './mini-suite.js';

const runtimes = loadRuntimes();
const out = () => mkdtempSync(join(tmpdir(), 'wasm-matrix-report-'));

describe('the matrix on the real suites (C O0, C O2, WAT, csharp-native)', () => {
  it('passes every cell, and the C# reference equals C on every shared case', async () => {
    const dir = out();
    const flavors = ['csharp-native', 'clang-wasi-O0', 'clang-wasi-O2', 'wat'].map(flavorById);
    const { report, exitCode } = await runMatrix({ suites: loadAllSuites(), flavors, runtimes, outDir: dir, quiet: true });
    const failures = report.cells.filter(isFailure);
    expect(failures, JSON.stringify(failures.slice(0, 3), null, 1)).toEqual([]);
    expect(exitCode).toBe(0);

    // Every wasm flavor ran on every pinned runtime.
    for (const flavor of ['clang-wasi-O0', 'clang-wasi-O2', 'wat']) {
      for (const runtime of runtimes) {
        const ran = report.cells.filter((c) => c.flavor === flavor && c.runtime === runtime.id && c.status !== 'skipped' && c.suite !== 'memory64');
        expect(ran.length, `${flavor} on ${runtime.id}`).toBeGreaterThan(20);
        expect(ran.some((c) => c.status === 'unsupported')).toBe(false);
      }
    }

    // memory64 is on by default from Wasmtime 30: unsupported before (saying why), passing from it.
    for (const runtime of runtimes) {
      const m64 = report.cells.filter((c) => c.suite === 'memory64' && c.runtime === runtime.id);
      expect(m64.length, runtime.id).toBe(7);
      const before30 = Number(runtime.wasmtime.split('.')[0]) < 30;
      for (const c of m64) {
        expect(c.status, `${c.case} on ${runtime.id}`).toBe(before30 ? 'unsupported' : c.case.startsWith('load_') ? 'trap' : 'pass');
        if (before30) expect(c.reason).toMatch(/memory64/);
      }
    }

    // csharp-native gives what C gives on every case both implement.
    const newest = runtimes[runtimes.length - 1]!.id;
    const byKey = new Map(report.cells.map((c) => [`${c.suite}/${c.case}/${c.flavor}/${c.runtime}`, c]));
    let shared = 0;
    for (const native of report.cells.filter((c) => c.flavor === 'csharp-native' && c.status !== 'skipped')) {
      const c = byKey.get(`${native.suite}/${native.case}/clang-wasi-O2/${newest}`);
      if (!c || c.status === 'skipped') continue;
      shared++;
      // Desktop Mono words a few exception messages differently from .NET 8 (no final
      // period after NullReferenceException's): guest errors agree on the exception type.
      const errorType = (o: typeof c.actual) => (o?.guestError !== undefined ? { guestError: o.guestError.split(':')[0] } : o);
      expect(errorType(native.actual), `${native.suite}/${native.case}`).toEqual(errorType(c.actual));
    }
    expect(shared).toBeGreaterThan(100);

    // The files: report.json validates, junit.xml parses with one testcase per cell.
    const json = readReport(join(dir, 'report.json'));
    expect(json.complete).toBe(true);
    expect(json.cells).toHaveLength(report.cells.length);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(dir, 'junit.xml'), 'utf8'));
    const suites = [junit.testsuites.testsuite].flat();
    const testcases = suites.flatMap((s: { testcase: unknown }) => [s.testcase].flat());
    expect(testcases).toHaveLength(report.cells.length);

    // report.html opens in Chromium with no console errors and one cell per cell.
    const browser = await launchChromium();
    if (browser) {
      try {
        const { page, errors } = await openRecorded(browser, pathToFileURL(join(dir, 'report.html')).href);
        expect(errors).toEqual([]);
        expect(await page.locator('rect[data-cell]').count()).toBe(report.cells.length);
      } finally {
        await browser.close();
      }
    }
  });
});

describe('the matrix on a guest the test changes', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  it('turns one changed constant into mismatches that show both values', async () => {
    const mini = writeMiniSuite();
    process.env.WASM_MATRIX_CACHE_DIR = mkdtempSync(join(tmpdir(), 'wasm-matrix-cache-'));
    const flavors = ['clang-wasi-O0', 'clang-wasi-O2'].map(flavorById);
    const first = await runMatrix({ suites: [loadSuite(mini.dir)], flavors, runtimes, outDir: out(), quiet: true });
    expect(first.exitCode).toBe(0);
    expect(first.report.cells.filter((c) => c.case === 'missing').every((c) => c.status === 'guest-error')).toBe(true);

    // One constant changes in the guest source; both builds pick it up.
    mini.writeC(43);
    const second = await runMatrix({ suites: [loadSuite(mini.dir)], flavors, runtimes, outDir: out(), quiet: true });
    expect(second.exitCode).toBe(1);
    const answer = second.report.cells.filter((c) => c.case === 'answer');
    expect(answer).toHaveLength(flavors.length * runtimes.length);
    for (const cell of answer) {
      expect(cell.status).toBe('mismatch');
      expect(cell.expected?.output?.utf8).toBe('42');
      expect(cell.actual?.output?.utf8).toBe('43');
    }
    // The compare-only case agrees with its reference (both builds changed alike).
    expect(second.report.cells.filter((c) => c.case === 'answer.compare').every((c) => c.status === 'pass')).toBe(true);
    expect(second.report.cells.filter((c) => c.case === 'echo').every((c) => c.status === 'pass')).toBe(true);
  });

  it('compares a case without expectation against the reference cell, with both values', async () => {
    const mini = writeMiniSuite();
    process.env.WASM_MATRIX_CACHE_DIR = mkdtempSync(join(tmpdir(), 'wasm-matrix-cache-'));
    // Two flavors built from different sources: the reference (O0) says 42, O2 is built from 43.
    const suite = loadSuite(mini.dir);
    const o0 = flavorById('clang-wasi-O0');
    const o2 = flavorById('clang-wasi-O2');
    const changedO2 = { ...o2, build: async (req: Parameters<typeof o2.build>[0]) => { mini.writeC(43); try { return await o2.build(req); } finally { mini.writeC(42); } } };
    const { report } = await runMatrix({ suites: [suite], flavors: [o0, changedO2], runtimes, outDir: out(), quiet: true });
    const newest = runtimes[runtimes.length - 1]!.id;
    const compare = report.cells.filter((c) => c.case === 'answer.compare');
    const reference = compare.find((c) => c.flavor === 'clang-wasi-O0' && c.runtime === newest)!;
    expect(reference.status).toBe('pass');
    for (const cell of compare.filter((c) => c.flavor === 'clang-wasi-O2')) {
      expect(cell.status).toBe('mismatch');
      expect(cell.oracle).toBe('reference');
      expect(cell.referenceCell).toBe(`mini/answer.compare/clang-wasi-O0/${newest}`);
      expect(cell.expected?.output?.utf8).toBe('42');
      expect(cell.actual?.output?.utf8).toBe('43');
    }
  });

  it('runs a prebuilt .wasm that speaks the dispatcher ABI like any other flavor', async () => {
    const mini = writeMiniSuite();
    process.env.WASM_MATRIX_CACHE_DIR = mkdtempSync(join(tmpdir(), 'wasm-matrix-cache-'));
    const sdk = join(projectRoot, 'suites', 'sdk', 'c');
    execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-mexec-model=reactor', `-I${sdk}`, '-o', join(mini.dir, 'mini.wasm'), join(mini.dir, 'c', 'mini.c'), join(sdk, 'harness.c')]);
    const suiteFile = join(mini.dir, 'suite.json');
    const spec = JSON.parse(readFileSync(suiteFile, 'utf8'));
    spec.sources = { prebuilt: { path: 'mini.wasm', abi: 'dispatcher' } };
    writeFileSync(suiteFile, JSON.stringify(spec));
    const { report, exitCode } = await runMatrix({ suites: [loadSuite(mini.dir)], flavors: [flavorById('prebuilt')], runtimes, outDir: out(), quiet: true });
    expect(exitCode).toBe(0);
    expect(report.artifacts).toEqual([expect.objectContaining({ flavor: 'prebuilt', kind: 'core-module' })]);
    expect(report.cells.filter((c) => c.case === 'answer').map((c) => c.status)).toEqual(runtimes.map(() => 'pass'));
  });
});
