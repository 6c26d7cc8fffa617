// Preloaded into every process of a benchmarked run (NODE_OPTIONS=--import):
// at exit, writes this process's /proc/self/io and peak memory to
// $WASM_MATRIX_IO_PROBE_DIR/<pid>.json, so benchmarks/scaling.mjs can add up
// the bytes the run wrote (worker processes included) and its peak memory.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.WASM_MATRIX_IO_PROBE_DIR;
if (dir) {
  process.on('exit', () => {
    try {
      const io = Object.fromEntries(readFileSync('/proc/self/io', 'utf8').trim().split('\n').map((l) => { const [k, v] = l.split(':'); return [k.trim(), Number(v)]; }));
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
      writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ pid: process.pid, argv: process.argv.slice(1), io, peakRssKiB: hwm ? Number(hwm[1]) : undefined }));
    } catch {
      // /proc is Linux-only; the benchmark says so when nothing was written.
    }
  });
}
