// What writing the guest's output through to the spill files costs (issue 14):
// a WASI command that writes N lines, each flushed (one fd_write each), run by
// every pinned runtime's addon with its output in memory only and with the
// spill files the supervisor gives every instance. Not a test: a figure for
// the README. Usage: npm run build && node benchmarks/spill-cost.mjs [--lines N] [--runs K]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRuntimes } from '../dist/harness/config/runtimes.js';
import { loadAddon } from '../dist/harness/workers/addon.js';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '100000' }, runs: { type: 'string', default: '7' } } });
const lines = Number(values.lines);
const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-spill-cost-'));
writeFileSync(join(dir, 'lines.c'), `#include <stdio.h>\nint main(void) { for (int i = 0; i < ${lines}; i++) { printf("line %d\\n", i); fflush(stdout); } return 0; }\n`);
execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-o', join(dir, 'lines.wasm'), join(dir, 'lines.c')]);
const bytes = readFileSync(join(dir, 'lines.wasm'));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const runtime of loadRuntimes()) {
  let addon;
  try {
    addon = loadAddon(runtime);
  } catch (e) {
    console.log(`${runtime.id}: not built (${e.message})`);
    continue;
  }
  const engine = new addon.Engine({});
  const module = engine.compile(bytes);
  const once = (spill) => {
    const options = { args: ['lines'], outputCapBytes: 16 << 20, ...(spill ? { outputSpill: { stdout: join(dir, 'out'), stderr: join(dir, 'err') } } : {}) };
    const outcome = engine.instantiate(module, options).runCommand(600_000, null);
    if (outcome.status !== 'ok') throw new Error(`${runtime.id}: ${JSON.stringify(outcome)}`);
    return outcome.elapsedNs / 1e6;
  };
  const memory = [];
  const spilled = [];
  for (let i = 0; i < runs; i++) {
    memory.push(once(false));
    spilled.push(once(true));
  }
  const extraUs = ((median(spilled) - median(memory)) * 1000) / lines;
  console.log(`${runtime.id}: ${lines} writes, median of ${runs}: memory only ${median(memory).toFixed(1)} ms, written through ${median(spilled).toFixed(1)} ms, ${extraUs.toFixed(2)} µs more per write`);
}
