#!/usr/bin/env node
// How long Chromium takes to open a large report.html (not a test): writes
// a generated report of about N cells (default 50,000: 100 suites x 42
// cases x 4 flavors x 3 runtimes = 50,400, every 37th cell a mismatch and
// every 23rd an unexpected trap in 60 of the suites, one flavor skipped), or
// takes an existing report.html, then opens it in Debian's Chromium through
// playwright-core several times and prints the navigation timings.
//
//   node benchmarks/open-report-html.mjs [--cells N] [--mismatch-every 37] [--trap-every 23] [--runs 5]
//   node benchmarks/open-report-html.mjs --file report.html [--runs 5]
//
// Needs `npm run build:ts` (it renders with dist/harness/report).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(arg('--runs', '5'));
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  process.stderr.write(`open-report-html: ${CHROMIUM} is missing (apt-get install -y chromium)\n`);
  process.exit(2);
}

function generate(target, mismatchEvery, trapEvery) {
  const flavors = ['mono-interp', 'nativeaot-llvm', 'clang-wasi-O2', 'wat'];
  const runtimes = ['wasmtime-24', 'wasmtime-36', 'wasmtime-48'];
  const cases = 42;
  const suites = Math.max(1, Math.ceil(target / (cases * flavors.length * runtimes.length)));
  const quiet = Math.floor(suites * 0.4);
  const timings = { loadMs: 1.5, instantiateMs: 0.5, initMs: 0.25, callMs: 0.75, moduleCacheHit: true };
  const cells = [];
  let n = 0;
  for (let s = 0; s < suites; s++) {
    for (let c = 0; c < cases; c++) {
      for (const flavor of flavors) {
        for (const runtime of runtimes) {
          n++;
          const base = { suite: `suite-${String(s).padStart(3, '0')}`, case: `case-${String(c).padStart(4, '0')}`, flavor, runtime, status: 'pass', oracle: 'expectation', timings };
          const failing = s < suites - quiet;
          if (flavor === 'mono-interp') cells.push({ ...base, status: 'skipped', reason: 'no .NET 8 SDK', timings: undefined });
          else if (failing && n % mismatchEvery === 0) cells.push({ ...base, status: 'mismatch', reason: 'output differs', expected: { output: { utf8: 'ok', hex: '6f6b' } }, actual: { output: { utf8: `no ${n}`, hex: Buffer.from(`no ${n}`).toString('hex') } } });
          else if (failing && n % trapEvery === 0) cells.push({ ...base, status: 'trap', expectedTrap: false, reason: 'unexpected trap unreachable', actual: { trap: 'unreachable' } });
          else cells.push(base);
        }
      }
    }
  }
  return {
    schemaVersion: 1,
    tool: 'wasm-matrix',
    kind: 'run',
    startedAt: '2025-11-21T02:00:00.000Z',
    finishedAt: '2025-11-21T03:00:00.000Z',
    complete: true,
    host: { platform: 'linux', arch: 'x64', node: process.version, cpus: 2 },
    runtimes: runtimes.map((id, i) => ({ id, wasmtimeVersion: ['24.0.13', '36.0.14', '48.0.8'][i] })),
    flavors: flavors.map((id) => ({ id, available: id !== 'mono-interp', versions: {} })),
    artifacts: [],
    cells,
  };
}

let file = arg('--file');
let tmp;
let cells;
let failingCells;
if (!file) {
  const { writeReportFiles } = await import(pathToFileURL(join(root, 'dist', 'harness', 'report', 'writer.js')).href);
  const report = generate(Number(arg('--cells', '50000')), Number(arg('--mismatch-every', '37')), Number(arg('--trap-every', '23')));
  cells = report.cells.length;
  failingCells = report.cells.filter((c) => c.status === 'mismatch' || c.status === 'trap').length;
  tmp = mkdtempSync(join(tmpdir(), 'wasm-matrix-open-html-'));
  const started = performance.now();
  file = writeReportFiles(tmp, report).html;
  process.stderr.write(`rendered ${cells} cells in ${((performance.now() - started) / 1000).toFixed(1)} s (all four files)\n`);
}
const htmlBytes = statSync(file).size;
const url = pathToFileURL(resolve(file)).href;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const rows = [];
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const started = performance.now();
    await page.goto(url, { waitUntil: 'load' });
    // One frame after load: the page has been laid out and painted.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined))));
    const wallMs = performance.now() - started;
    const nav = await page.evaluate(() => {
      const t = performance.getEntriesByType('navigation')[0];
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return { domContentLoaded: t.domContentLoadedEventEnd, load: t.loadEventEnd, fcp: paint?.startTime };
    });
    rows.push({ wallMs, ...nav, errors: errors.length });
    await page.close();
  }
} finally {
  await browser.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(`${cells ? `${cells} cells (${failingCells} failing), ` : ""}report.html ${(htmlBytes / 1e6).toFixed(2)} MB\n`);
for (const [i, r] of rows.entries()) process.stdout.write(`run ${i + 1}: goto+frame ${r.wallMs.toFixed(0)} ms, DOMContentLoaded ${r.domContentLoaded.toFixed(0)} ms, load ${r.load.toFixed(0)} ms, first contentful paint ${r.fcp?.toFixed(0) ?? '?'} ms, console errors ${r.errors}\n`);
process.stdout.write(`median: goto+frame ${median(rows.map((r) => r.wallMs)).toFixed(0)} ms, load ${median(rows.map((r) => r.load)).toFixed(0)} ms\n`);
