#!/usr/bin/env node
// Scaling benchmark (not a test): copies one suite N times into a temporary
// suites folder (WASM_MATRIX_SUITES_DIR), builds the copies (untimed, so the
// timed run has warm caches), then times `wasm-matrix run` over all copies
// and prints per size: cells, wall time, bytes written (the sum over the run's
// processes of /proc/<pid>/io write_bytes, collected by io-probe.mjs), peak
// memory of the main process, output sizes, and the per-cell figures.
//
//   node benchmarks/scaling.mjs [--suite core] [--factors 1,4,16,64]
//        [--flavor wat --flavor clang-wasi-O0 ...] [--runtime wasmtime-48 ...] [--json]
//
// Needs `npm run build` first (it runs dist/harness/cli/main.js).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'harness', 'cli', 'main.js');
const probe = join(root, 'benchmarks', 'io-probe.mjs');

function parseArgs(argv) {
  const opts = { suite: 'core', factors: [1, 4, 16, 64], flavors: [], runtimes: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--suite') opts.suite = next();
    else if (a === '--factors') opts.factors = next().split(',').map((f) => (/^\d+$/.test(f) && Number(f) > 0 ? Number(f) : usage(`--factors: "${f}" is not a positive whole number`)));
    else if (a === '--flavor') opts.flavors.push(next());
    else if (a === '--runtime') opts.runtimes.push(next());
    else if (a === '--json') opts.json = true;
    else usage(`unknown argument ${a}`);
  }
  if (!opts.flavors.length) opts.flavors = ['wat', 'clang-wasi-O0', 'clang-wasi-O2'];
  return opts;
}

function usage(message) {
  process.stderr.write(`scaling: ${message}\nusage: node benchmarks/scaling.mjs [--suite S] [--factors 1,4,16,64] [--flavor F]... [--runtime R]... [--json]\n`);
  process.exit(2);
}

/** A suites folder holding `factor` copies of the suite (named S-x001 ...) and the SDKs. */
function replicate(suite, factor) {
  const src = join(root, 'suites', suite);
  if (!existsSync(join(src, 'suite.json'))) usage(`suites/${suite}/suite.json does not exist`);
  const dir = mkdtempSync(join(tmpdir(), `wasm-matrix-scaling-${factor}x-`));
  for (const entry of readdirSync(join(root, 'suites'), { withFileTypes: true })) {
    // The SDK folders (no suite.json) are shared, not copied.
    if (entry.isDirectory() && !existsSync(join(root, 'suites', entry.name, 'suite.json'))) symlinkSync(join(root, 'suites', entry.name), join(dir, entry.name));
  }
  const spec = JSON.parse(readFileSync(join(src, 'suite.json'), 'utf8'));
  for (let i = 1; i <= factor; i++) {
    const name = `${suite}-x${String(i).padStart(3, '0')}`;
    cpSync(src, join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'suite.json'), JSON.stringify({ ...spec, name }, null, 2));
  }
  return dir;
}

const selection = (opts) => [...opts.flavors.flatMap((f) => ['--flavor', f]), ...opts.runtimes.flatMap((r) => ['--runtime', r])];

function measure(opts, factor) {
  const suites = replicate(opts.suite, factor);
  const out = mkdtempSync(join(tmpdir(), `wasm-matrix-scaling-out-${factor}x-`));
  const probes = mkdtempSync(join(tmpdir(), `wasm-matrix-scaling-io-${factor}x-`));
  const env = { ...process.env, WASM_MATRIX_SUITES_DIR: suites };
  try {
    const build = spawnSync('node', [cli, 'build', ...selection(opts), '--json'], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (build.status !== 0 && build.status !== 1) throw new Error(`build exited ${build.status}: ${build.stderr}`);
    const started = process.hrtime.bigint();
    const run = spawnSync('node', [cli, 'run', ...selection(opts), '--out', out, '--json'], {
      env: { ...env, WASM_MATRIX_IO_PROBE_DIR: probes, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${probe}`.trim() },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    if (run.status !== 0 && run.status !== 1) throw new Error(`run exited ${run.status}: ${run.stderr}`);
    const summary = JSON.parse(run.stdout);
    const records = readdirSync(probes).map((f) => JSON.parse(readFileSync(join(probes, f), 'utf8')));
    if (!records.length) throw new Error('no /proc/self/io records: this benchmark needs Linux');
    const main = records.find((r) => r.argv.includes('run') && r.argv.some((a) => a.endsWith('main.js')));
    const writeBytes = records.reduce((n, r) => n + r.io.write_bytes - (r.io.cancelled_write_bytes ?? 0), 0);
    const sizes = Object.fromEntries(['cells.jsonl', 'report.json', 'report.md', 'junit.xml', 'report.html'].map((f) => [f, existsSync(join(out, f)) ? statSync(join(out, f)).size : 0]));
    const outputs = sizes['report.json'] + sizes['report.md'] + sizes['junit.xml'] + sizes['report.html'];
    return {
      factor,
      cells: summary.cells,
      exitCode: run.status,
      wallS,
      writeBytes,
      mainWriteBytes: main ? main.io.write_bytes : undefined,
      peakRssMiB: main?.peakRssKiB !== undefined ? main.peakRssKiB / 1024 : undefined,
      processes: records.length,
      sizes,
      outputs,
      perCellMs: (wallS * 1000) / summary.cells,
      bytesPerCell: writeBytes / summary.cells,
      writtenOverOutputs: writeBytes / outputs,
    };
  } finally {
    for (const d of [suites, out, probes]) rmSync(d, { recursive: true, force: true });
  }
}

const opts = parseArgs(process.argv.slice(2));
if (!existsSync(cli)) usage(`${cli} is missing: run npm run build first`);
const rows = [];
for (const factor of opts.factors) {
  process.stderr.write(`scaling: ${opts.suite} x${factor} ...\n`);
  rows.push(measure(opts, factor));
}
if (opts.json) process.stdout.write(`${JSON.stringify({ suite: opts.suite, flavors: opts.flavors, runtimes: opts.runtimes, rows }, null, 2)}\n`);
else {
  const mb = (n) => (n / 1e6).toFixed(2);
  process.stdout.write(`suite ${opts.suite}; flavors ${opts.flavors.join(', ')}; runtimes ${opts.runtimes.join(', ') || 'all'}\n\n`);
  process.stdout.write('| copies | cells | wall | ms / cell | bytes written | bytes / cell | written / outputs | peak RSS (main) | cells.jsonl | report.json | report.md | junit.xml | report.html |\n');
  process.stdout.write('|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n');
  for (const r of rows) {
    const s = r.sizes;
    process.stdout.write(
      `| ${r.factor}x | ${r.cells} | ${r.wallS.toFixed(1)} s | ${r.perCellMs.toFixed(2)} | ${mb(r.writeBytes)} MB | ${Math.round(r.bytesPerCell)} | ${r.writtenOverOutputs.toFixed(2)} | ${r.peakRssMiB?.toFixed(0) ?? '?'} MiB | ${mb(s['cells.jsonl'])} MB | ${mb(s['report.json'])} MB | ${mb(s['report.md'])} MB | ${mb(s['junit.xml'])} MB | ${mb(s['report.html'])} MB |\n`,
    );
  }
}
