// A robustness probe (README, "Reliability and security"): mutated copies of a
// module, each loaded and called on every runtime's worker under a deadline.
// Any outcome is fine except `crash` or `hang`: those would mean a malformed
// module can take down or wedge the host. Run after `npm run build`:
//
//   node dist/harness/workers/probe-mutations.js MODULE.wasm [COUNT] [SEED] [EXPORT]
//
// Mutations (seeded, so a run repeats exactly): flip bits, overwrite a run of
// bytes, cut the tail, duplicate a slice. Each mutant is brought up as a
// reactor (`_initialize`) and its EXPORT (default `sleep_ms`, of the hostile
// test guest) is called with the i32 argument 1.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadRuntimes } from '../config/runtimes.js';
import { execOn } from './exec.js';
import { WorkerPool } from './pool.js';
import { seededRandom } from '../util/random.js';


/** One mutant of `bytes`; the 8-byte header is kept so most mutants reach the parser's deeper parts. */
export function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = Buffer.from(bytes);
  const at = () => 8 + Math.floor(random() * Math.max(1, out.length - 8));
  switch (Math.floor(random() * 4)) {
    case 0:
      for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) {
        const p = at();
        out[p] = out[p]! ^ (1 << Math.floor(random() * 8));
      }
      return out;
    case 1: {
      const start = at();
      for (let i = start; i < Math.min(out.length, start + 1 + Math.floor(random() * 16)); i++) out[i] = Math.floor(random() * 256);
      return out;
    }
    case 2:
      return out.subarray(0, at());
    default: {
      const start = at();
      const slice = out.subarray(start, Math.min(out.length, start + 1 + Math.floor(random() * 64)));
      return Buffer.concat([out.subarray(0, start), slice, out.subarray(start)]);
    }
  }
}

/** Runs `count` mutants of `path` on every runtime; returns the outcome counts. */
export async function probeMutations(path: string, count: number, seed: number, exportName = 'sleep_ms'): Promise<Record<string, number>> {
  const original = readFileSync(path);
  const random = seededRandom(seed);
  const runtimes = loadRuntimes();
  const pool = new WorkerPool(runtimes);
  const counts: Record<string, number> = {};
  try {
    for (let i = 0; i < count; i++) {
      const bytes = mutate(original, random);
      await Promise.all(
        runtimes.map(async (r) => {
          const result = await execOn(
            pool.worker(r.id),
            { type: 'exec', module: { kind: 'bytes', bytes, label: `mutant ${i}` }, lifecycle: 'reactor', call: { style: 'export', name: exportName, args: [{ type: 'i32', value: '1' }] }, timeoutMs: 2000 },
            30_000,
          );
          counts[result.status] = (counts[result.status] ?? 0) + 1;
          if (result.status === 'crash' || result.status === 'hang') process.stderr.write(`mutant ${i} on ${r.id}: ${result.status}: ${result.message}\n`);
        }),
      );
    }
  } finally {
    await pool.close();
  }
  return counts;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const [path, count = '500', seed = '1', exportName = 'sleep_ms'] = process.argv.slice(2);
  if (!path) {
    process.stderr.write('usage: probe-mutations MODULE.wasm [COUNT] [SEED]\n');
    process.exit(2);
  }
  const counts = await probeMutations(path, Number(count), Number(seed), exportName);
  const runs = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stdout.write(`${count} mutants x ${loadRuntimes().length} runtimes = ${runs} runs: ${JSON.stringify(counts)}\n`);
  process.exit(counts.crash || counts.hang ? 1 : 0);
}
