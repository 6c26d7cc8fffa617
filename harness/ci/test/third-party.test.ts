// Third-party programs as their own runners run them (issue 14): sightglass
// benchmarks through `bench --external` (a full bench report), the
// wasi-testsuite layout through `run --external --expect`, and the guest's
// stderr kept on failing cells in every rendering. The programs are C, built
// here with clang-14 and wasi-libc. No assertion reads a time against a
// threshold: the baseline test doctors the baseline by 10,000x.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { BenchData } from '../../bench/schema.js';
import type { Cell } from '../../model/cell.js';
import { readReport } from '../../report/writer.js';
import { benchCli } from '../../bench/test/cli.js';
import { findExternalBenchmarks } from '../external-bench.js';
import { run, tmp } from './helpers.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const built = tmp('wasm-matrix-third-party-build-');
const OLD = 'wasmtime-24';
const NEW = 'wasmtime-48';

function clang(source: string, out: string, defines: string[] = []): string {
  execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', ...defines, '-o', out, join(fixtures, source)], { stdio: 'pipe' });
  return out;
}

/** What sightglass.c prints for an input, computed here the same way (32-bit wrap-around). */
function benchmarkStdout(input: string, small: string): string {
  const bytes = Buffer.from(input);
  let sum = 0;
  for (let round = 0; round < 20000; round++) for (const b of bytes) sum = (Math.imul(sum, 31) + b) >>> 0;
  return `bytes=${bytes.length} sum=${sum} argc=0 envc=${small === 'unset' ? 0 : 1} small=${small} stdin=empty\n`;
}

const INPUT = 'hello sightglass\n';
const cellOf = (cells: readonly Cell[], name: string, runtime: string) => cells.find((c) => c.case === name && c.runtime === runtime);

describe('bench --external: the sightglass run contract, as a full bench', () => {
  const root = tmp('wasm-matrix-sightglass-');
  const out = tmp('wasm-matrix-sightglass-out-');
  const program = (name: string, wasm: string, files: Record<string, string | Buffer> = {}) => {
    mkdirSync(join(root, name), { recursive: true });
    copyFileSync(wasm, join(root, name, 'benchmark.wasm'));
    for (const [f, content] of Object.entries(files)) writeFileSync(join(root, name, f), content);
  };
  let result: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    const good = clang('sightglass.c', join(built, 'sightglass.wasm'));
    const twice = clang('sightglass.c', join(built, 'twice.wasm'), ['-DSTARTS=2']);
    const panic = clang('panic.c', join(built, 'panic.wasm'));
    // <name>.stderr.expected comes before default.stderr.expected (which is wrong here).
    program('good', good, { 'default.input': INPUT, 'default.stdout.expected': benchmarkStdout(INPUT, 'unset'), 'benchmark.stderr.expected': 'benchmark done\n', 'default.stderr.expected': 'not this\n' });
    program('twice', twice, { 'default.input': INPUT, 'default.stdout.expected': benchmarkStdout(INPUT, 'unset') });
    program('differs', good, { 'default.input': INPUT, 'default.stdout.expected': 'something else\n' });
    program('panics', panic);
    program('unchecked', good, { 'default.input': INPUT });
    result = await benchCli(['--external', root, '--runtime', OLD, '--runtime', NEW, '--processes', '2', '--iterations-per-process', '2', '--seed', '7', '--out', out, '--json']);
  }, 600_000);

  it('judges every program by the contract: output files, exactly one bench.start and bench.end, traps with their stderr', () => {
    expect(result.code, result.stderr).toBe(1);
    const report = readReport(join(out, 'report.json'));
    expect(report.kind).toBe('bench');
    for (const runtime of [OLD, NEW]) {
      // Its own folder preopened as `.`, no args, an empty environment: the expected stdout says so.
      expect(cellOf(report.cells, 'good', runtime), runtime).toMatchObject({ suite: 'external', flavor: 'prebuilt', status: 'pass' });
      expect(cellOf(report.cells, 'twice', runtime)).toMatchObject({ status: 'mismatch' });
      expect(cellOf(report.cells, 'twice', runtime)!.reason).toContain('bench.start was called 2 times and bench.end once');
      expect(cellOf(report.cells, 'differs', runtime)).toMatchObject({ status: 'mismatch', expected: { stdout: 'something else\n' } });
      expect(cellOf(report.cells, 'differs', runtime)!.reason).toContain('stdout differs');
      const panics = cellOf(report.cells, 'panics', runtime)!;
      expect(panics.status).toBe('trap');
      expect(panics.guestOutput?.stderr).toContain('assertion `left == right` failed\n  left: 1\n right: 2\n');
      // No expected files: run and passed, with a note that nothing was compared.
      expect(cellOf(report.cells, 'unchecked', runtime)).toMatchObject({ status: 'pass' });
      expect(cellOf(report.cells, 'unchecked', runtime)!.reason).toContain('nothing compared');
    }
    expect(result.stderr).toContain('unchecked: nothing compared');
  });

  it('times compile, instantiate and the bench region in several shuffled processes, with version-vs-version ratios', () => {
    const report = readReport(join(out, 'report.json'));
    if (report.kind !== 'bench') throw new Error(`a ${report.kind} report`);
    const bench = BenchData.parse(report.bench);
    const good = bench.cells.filter((c) => c.case === 'good');
    expect(good).toHaveLength(2);
    for (const cell of good) {
      expect(cell).toMatchObject({ status: 'ok', measures: 'region' });
      expect(cell.processes).toHaveLength(2);
      expect(new Set(cell.processes.map((p) => p.pid)).size).toBe(2);
      // Two runs per process, each one region: four samples.
      expect(cell.perCall!.samples).toBe(4);
      expect(cell.phases!.compile.n).toBe(2);
      expect(cell.phases!.instantiate.minNs).toBeGreaterThan(0);
      expect(cell.perCall!.typical).toBeDefined();
    }
    // Every round visits every runnable cell once; the failing ones end after their first process.
    expect(bench.schedule.rounds).toHaveLength(2);
    expect(bench.schedule.seed).toBe(7);
    const ratio = bench.comparisons.find((c) => c.kind === 'runtime' && c.case === 'good' && c.phase === 'perCall');
    expect(ratio).toMatchObject({ reference: OLD, candidate: NEW });
    expect(ratio!.interval!.confidence).toBe(0.99);
    expect(ratio!.interval!.low).toBeLessThanOrEqual(ratio!.interval!.ratio);
    // The failing bench cells keep the status of the process that failed.
    expect(bench.cells.find((c) => c.case === 'panics')).toMatchObject({ status: 'trap' });
    const summary = JSON.parse(result.stdout);
    expect(summary.exitCode).toBe(1);
  });

  it('shows the trapping program’s stderr in report.md, report.html and junit.xml', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('stderr of the guest');
    expect(md).toContain('assertion `left == right` failed');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('assertion `left == right` failed');
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'junit.xml'), 'utf8'));
    const cases = [junit.testsuites.testsuite].flat().flatMap((s: { testcase: unknown }) => [s.testcase].flat()) as Record<string, unknown>[];
    const panics = cases.find((c) => c['@_name'] === 'panics' && String(c['@_classname']).endsWith(OLD))!;
    expect(String(panics['system-err'])).toContain('right: 2');
  });
});

describe('bench --external: finding benchmarks as sightglass lays them out', () => {
  it('takes DIR/X.wasm, DIR/<name>/benchmark.wasm and other .wasm of a folder, each with its expected files', () => {
    const root = tmp('wasm-matrix-sightglass-layout-');
    const wasm = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    writeFileSync(join(root, 'top.wasm'), wasm);
    writeFileSync(join(root, 'top.stdout.expected'), 'top out\n');
    mkdirSync(join(root, 'bz2'));
    writeFileSync(join(root, 'bz2', 'benchmark.wasm'), wasm);
    writeFileSync(join(root, 'bz2', 'benchmark.stdout.expected'), 'bz2: OK\n');
    writeFileSync(join(root, 'bz2', 'default.stdout.expected'), 'not for benchmark.wasm\n');
    writeFileSync(join(root, 'bz2', 'small.wasm'), wasm);
    mkdirSync(join(root, 'old'));
    writeFileSync(join(root, 'old', 'benchmark.wasm'), wasm);
    writeFileSync(join(root, 'old', 'stderr.expected'), 'older layout\n');
    const found = findExternalBenchmarks(root).map((b) => [b.name, b.expected.stdout?.text, b.expected.stderr?.text]);
    expect(found).toEqual([
      ['top', 'top out\n', undefined],
      ['bz2', 'bz2: OK\n', undefined],
      ['bz2.small', 'not for benchmark.wasm\n', undefined],
      ['old', undefined, 'older layout\n'],
    ]);
  });
});

describe('bench --external: workload, baseline, bad input', () => {
  const root = tmp('wasm-matrix-sightglass-small-');
  const first = tmp('wasm-matrix-sightglass-small-out-');

  beforeAll(() => {
    const good = clang('sightglass.c', join(built, 'sightglass-small.wasm'));
    mkdirSync(join(root, 'good'));
    copyFileSync(good, join(root, 'good', 'benchmark.wasm'));
    writeFileSync(join(root, 'good', 'default.input'), INPUT);
    // With --small-workload the guest sees WASM_BENCH_USE_SMALL_WORKLOAD=1 and nothing else.
    writeFileSync(join(root, 'good', 'default.stdout.expected'), benchmarkStdout(INPUT, '1'));
  });

  it('sets WASM_BENCH_USE_SMALL_WORKLOAD=1 with --small-workload, and exits 1 against a baseline 1e15 times faster (a factor no load can mask: see bench-run.test.ts)', async () => {
    const args = ['--external', root, '--runtime', OLD, '--processes', '4', '--iterations-per-process', '1', '--small-workload'];
    const r1 = await benchCli([...args, '--out', first, '--json']);
    expect(r1.code, r1.stderr).toBe(0);
    const key = `external/good/prebuilt/${OLD}`;
    const raw = JSON.parse(readFileSync(join(first, 'report.json'), 'utf8'));
    for (const cell of raw.bench.cells) {
      for (const p of cell.processes) {
        p.perCallMedianNs /= 1e15;
        p.perCallMeanNs /= 1e15;
      }
      cell.perCall.processMediansNs = cell.perCall.processMediansNs.map((x: number) => x / 1e15);
      for (const field of ['medianNs', 'meanNs', 'madNs', 'minNs', 'maxNs', 'iqrNs', 'stddevNs']) cell.perCall[field] /= 1e15;
      for (const field of ['ns', 'low', 'high']) cell.perCall.typical[field] /= 1e15;
    }
    const doctored = join(tmp('wasm-matrix-sightglass-baseline-'), 'report.json');
    writeFileSync(doctored, JSON.stringify(raw));
    const r2 = await benchCli([...args, '--out', tmp('wasm-matrix-sightglass-second-'), '--baseline', doctored, '--json']);
    expect(r2.code, r2.stderr).toBe(1);
    expect(r2.stderr).toContain(`${key}: per call`);
    expect(JSON.parse(r2.stdout).regressions.map((x: { key: string }) => x.key)).toEqual([key]);
  }, 600_000);

  it('keeps and compares output past the suites’ 1 MiB cap (64 MiB unless --output-cap), and says so when a smaller cap made the guest trap', async () => {
    const big = tmp('wasm-matrix-sightglass-big-');
    mkdirSync(join(big, 'prints'));
    clang('big-output.c', join(big, 'prints', 'benchmark.wasm'));
    writeFileSync(join(big, 'prints', 'default.stdout.expected'), `${'o'.repeat(63)}\n`.repeat((3 << 19) / 64));
    const out = tmp('wasm-matrix-sightglass-big-out-');
    const r = await benchCli(['--external', big, '--runtime', NEW, '--processes', '2', '--iterations-per-process', '1', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readReport(join(out, 'report.json')).cells[0]).toMatchObject({ case: 'prints', status: 'pass' });
    const capped = tmp('wasm-matrix-sightglass-big-capped-');
    const c = await benchCli(['--external', big, '--runtime', NEW, '--processes', '2', '--iterations-per-process', '1', '--output-cap', String(1 << 20), '--out', capped, '--json']);
    expect(c.code, c.stderr).toBe(1);
    const [cell] = readReport(join(capped, 'report.json')).cells;
    expect(cell).toMatchObject({ case: 'prints', status: 'trap' });
    expect(cell!.reason).toContain("after the guest's stdout reached the capture cap");
    const bad = await benchCli(['--external', big, '--runtime', NEW, '--output-cap', '12k', '--out', tmp('wasm-matrix-x-')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--output-cap: "12k" is not a whole number of bytes');
  }, 600_000);

  it('never hands the guest a host folder through a link in its folder: the cell fails, naming the link', async () => {
    const linked = tmp('wasm-matrix-sightglass-link-');
    mkdirSync(join(linked, 'b'));
    copyFileSync(join(root, 'good', 'benchmark.wasm'), join(linked, 'b', 'benchmark.wasm'));
    symlinkSync('/etc', join(linked, 'b', 'etc'));
    const out = tmp('wasm-matrix-sightglass-link-out-');
    const r = await benchCli(['--external', linked, '--runtime', OLD, '--processes', '2', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const [cell] = readReport(join(out, 'report.json')).cells;
    expect(cell).toMatchObject({ case: 'b', status: 'mismatch' });
    expect(cell!.reason).toContain(`${join(linked, 'b', 'etc')} is a symbolic link to /etc, outside`);
  });

  it('keeps what a benchmark printed when its worker dies mid-run (crash), in report.json and junit.xml', async () => {
    const crashing = tmp('wasm-matrix-sightglass-crash-');
    mkdirSync(join(crashing, 'dies'));
    clang('panic.c', join(crashing, 'dies', 'benchmark.wasm'));
    const out = tmp('wasm-matrix-sightglass-crash-out-');
    const r = await benchCli(['--external', crashing, '--runtime', NEW, '--processes', '2', '--out', out, '--json'], {
      env: { ...(process.env as Record<string, string>), WASM_MATRIX_TEST_KILL_ON_OUTPUT: 'right: 2' },
    });
    expect(r.code, r.stderr).toBe(1);
    const [cell] = readReport(join(out, 'report.json')).cells;
    expect(cell).toMatchObject({ case: 'dies', status: 'crash', guestOutput: { stdout: 'running 1 test\n' } });
    expect(cell!.guestOutput?.stderr).toContain('assertion `left == right` failed\n  left: 1\n right: 2\n');
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<system-err>thread 'main' panicked[^<]*right: 2/);
  });

  it('refuses an expected-output file that is not UTF-8, naming it (exit 2)', async () => {
    const bad = tmp('wasm-matrix-sightglass-bad-');
    mkdirSync(join(bad, 'b'));
    copyFileSync(join(root, 'good', 'benchmark.wasm'), join(bad, 'b', 'benchmark.wasm'));
    writeFileSync(join(bad, 'b', 'default.stdout.expected'), Buffer.from([0x66, 0xff, 0xfe, 0x0a]));
    const r = await benchCli(['--external', bad, '--runtime', OLD, '--out', tmp('wasm-matrix-sightglass-bad-out-')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(bad, 'b', 'default.stdout.expected'));
    expect(r.stderr).toContain('not UTF-8');
  });
});

describe('run --external: wasi-testsuite layout, specification fields and an expectation list', () => {
  const dir = tmp('wasm-matrix-wasi-testsuite-');
  const out = tmp('wasm-matrix-wasi-testsuite-out-');
  const list = join(tmp('wasm-matrix-expect-'), 'skip.json');
  const spec = (name: string, value: unknown) => writeFileSync(join(dir, `${name}.json`), JSON.stringify(value));

  beforeAll(() => {
    const echo = clang('echo.c', join(built, 'echo.wasm'));
    const files = clang('files.c', join(built, 'files.wasm'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ name: 'WASI tests here' }));
    // Every field of the specification: args, env, exit_code, stdout, stderr, and dirs in both spellings.
    copyFileSync(echo, join(dir, 'fields.wasm'));
    spec('fields', { args: ['one', 'two words'], env: { GREETING: 'hi', EXIT: '3' }, exit_code: 3, stdout: 'arg:one\narg:two words\nenv:hi\nhome:unset\n', stderr: 'to stderr\n' });
    copyFileSync(files, join(dir, 'dirs.wasm'));
    spec('dirs', { dirs: ['data'], stdout: 'file:hello\n' });
    copyFileSync(files, join(dir, 'dir.wasm'));
    spec('dir', { dir: ['data'], stdout: 'file:hello\n', wasi_functions: ['path_open', 'fd_read'] });
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'in.txt'), 'hello');
    // Leftovers of an earlier run, which the executor removes first (the program exits 6 if it sees one).
    writeFileSync(join(dir, 'data', 'old.cleanup'), 'stale');
    writeFileSync(join(dir, 'stale.cleanup'), 'stale');
    // A WAT test case, as the older specification lists them.
    writeFileSync(join(dir, 'empty.wat'), '(module (memory (export "memory") 1) (func (export "_start")))');
    // A known failure (exits 4) and a listed one that passes now.
    copyFileSync(echo, join(dir, 'known.wasm'));
    spec('known', { env: { EXIT: '4' } });
    copyFileSync(echo, join(dir, 'mended.wasm'));
    writeFileSync(list, JSON.stringify({ 'WASI tests here': { known: 'exit code 4: an upstream bug', mended: 'used to fail on old runtimes' }, 'Other suite': { elsewhere: 'not this folder' } }));
  });

  it('removes stale *.cleanup files, honours every spec field, and reports known failures and fixed entries', async () => {
    const r = await run(['--external', dir, '--expect', list, '--runtime', NEW, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('removed 2 stale *.cleanup files');
    expect(existsSync(join(dir, 'data', 'old.cleanup'))).toBe(false);
    expect(existsSync(join(dir, 'stale.cleanup'))).toBe(false);
    const report = readReport(join(out, 'report.json'));
    const status = Object.fromEntries(report.cells.map((c) => [c.case, c.status]));
    expect(status).toEqual({ dir: 'pass', dirs: 'pass', empty: 'pass', fields: 'pass', known: 'known-failure', mended: 'fixed' });
    const known = cellOf(report.cells, 'known', NEW)!;
    expect(known.reason).toContain('exit code 4: an upstream bug');
    expect(known.reason).toContain('exit code differs');
    expect(known.listed).toEqual({ file: list, reason: 'exit code 4: an upstream bug' });
    // What the failing program printed stays with its cell.
    expect(known.actual?.stderr).toBe('to stderr\n');
    expect(cellOf(report.cells, 'mended', NEW)!.reason).toContain('remove the entry');
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<skipped message="known failure \([^"]*skip\.json\): exit code 4: an upstream bug/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('known failure (listed)');
  });

  it('keeps a trapping program’s panic message in report.json, report.md, report.html and junit.xml', async () => {
    const trapDir = tmp('wasm-matrix-panic-');
    clang('panic.c', join(trapDir, 'panic.wasm'));
    const trapOut = tmp('wasm-matrix-panic-out-');
    const r = await run(['--external', trapDir, '--runtime', NEW, '--out', trapOut]);
    expect(r.code).toBe(1);
    const cell = readReport(join(trapOut, 'report.json')).cells[0]!;
    expect(cell).toMatchObject({ status: 'trap', actual: { trap: 'unreachable' }, guestOutput: { stdout: 'running 1 test\n' } });
    expect(cell.guestOutput?.stderr).toContain('assertion `left == right` failed');
    for (const file of ['report.md', 'report.html', 'junit.xml']) expect(readFileSync(join(trapOut, file), 'utf8'), file).toContain('assertion `left == right` failed');
    expect(readFileSync(join(trapOut, 'junit.xml'), 'utf8')).toMatch(/<system-err>thread 'main' panicked[^<]*right: 2/);
  });

  it('keeps 64 MiB of output unless --output-cap, which it checks and takes only with --external', async () => {
    const big = tmp('wasm-matrix-run-big-');
    clang('big-output.c', join(big, 'prints.wasm'), ['-DNO_HOOKS']);
    writeFileSync(join(big, 'prints.json'), JSON.stringify({ stdout: `${'o'.repeat(63)}\n`.repeat((3 << 19) / 64) }));
    let r = await run(['--external', big, '--runtime', NEW, '--out', tmp('wasm-matrix-run-big-out-')]);
    expect(r.code, r.stderr).toBe(0);
    const capped = tmp('wasm-matrix-run-big-capped-');
    r = await run(['--external', big, '--runtime', NEW, '--output-cap', String(1 << 20), '--out', capped]);
    expect(r.code).toBe(1);
    const [cell] = readReport(join(capped, 'report.json')).cells;
    expect(cell).toMatchObject({ status: 'trap', actual: { trap: 'unreachable', stdoutTruncated: true } });
    expect(cell!.reason).toBe("unexpected trap unreachable, after the guest's stdout reached the capture cap (a write past it fails in the guest)");
    r = await run(['--runtime', NEW, '--output-cap', '100', '--out', tmp('wasm-matrix-x-')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--output-cap applies to --external DIR only');
    r = await run(['--external', big, '--output-cap', String(2 ** 31), '--out', tmp('wasm-matrix-x-')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a whole number of bytes from 1 to 1073741824');
  });

  it('says a sightglass benchmark given to run --external is run by bench --external', async () => {
    const sg = tmp('wasm-matrix-run-sightglass-');
    clang('sightglass.c', join(sg, 'benchmark.wasm'));
    const out = tmp('wasm-matrix-run-sightglass-out-');
    const r = await run(['--external', sg, '--runtime', NEW, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const [cell] = readReport(join(out, 'report.json')).cells;
    expect(cell!.status).toBe('unsupported');
    expect(cell!.reason).toContain('`bench`.`start`');
    expect(cell!.reason).toContain('wasm-matrix bench --external DIR');
  });

  it('keeps the panic message of a program whose worker dies mid-call (crash), on every report', async () => {
    const crashDir = tmp('wasm-matrix-crash-');
    clang('panic.c', join(crashDir, 'panic.wasm'));
    const crashOut = tmp('wasm-matrix-crash-out-');
    // The addon's test seam: the worker SIGKILLs itself once the guest's write of "right: 2" reached the spill file.
    const r = await run(['--external', crashDir, '--runtime', OLD, '--runtime', NEW, '--out', crashOut], { WASM_MATRIX_TEST_KILL_ON_OUTPUT: 'right: 2' });
    expect(r.code).toBe(1);
    const cells = readReport(join(crashOut, 'report.json')).cells;
    expect(cells.map((c) => c.runtime).sort()).toEqual([OLD, NEW]);
    for (const cell of cells) {
      expect(cell.status, cell.runtime).toBe('crash');
      expect(cell.reason ?? '').toContain('SIGKILL');
      expect(cell.guestOutput).toEqual({ stdout: 'running 1 test\n', stderr: "thread 'main' panicked at src/main.rs:4:5:\nassertion `left == right` failed\n  left: 1\n right: 2\n" });
    }
    for (const file of ['report.md', 'report.html', 'junit.xml']) expect(readFileSync(join(crashOut, file), 'utf8'), file).toContain('assertion `left == right` failed');
    expect(readFileSync(join(crashOut, 'junit.xml'), 'utf8')).toMatch(/<system-err>thread 'main' panicked[^<]*right: 2/);
  });

  it('refuses a list that is not JSON, names another suite only, or names a program that does not exist (exit 2, naming the file)', async () => {
    const bad = join(tmp('wasm-matrix-expect-bad-'), 'bad.json');
    writeFileSync(bad, '{ "known": ');
    let r = await run(['--external', dir, '--expect', bad, '--runtime', NEW, '--out', tmp('wasm-matrix-x-')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: not valid JSON`);
    writeFileSync(bad, JSON.stringify({ known: 'a reason', ghost: 'no such program' }));
    r = await run(['--external', dir, '--expect', bad, '--runtime', NEW, '--out', tmp('wasm-matrix-x-')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toContain('"ghost", not a program of');
    writeFileSync(bad, JSON.stringify({ 'Other suite': { x: 'y' } }));
    r = await run(['--external', dir, '--expect', bad, '--runtime', NEW, '--out', tmp('wasm-matrix-x-')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is suite "WASI tests here"');
  });
});
