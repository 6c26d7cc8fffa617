// The harness's own cost per call: a no-op export called through the addon
// from inside the worker (tinybench), against the same calls looped in Rust.
// The difference is what napi and the addon's call path add per call.
import { join } from 'node:path';
import type { Runtime } from '../config/runtimes.js';
import { projectRoot } from '../paths.js';
import { WorkerPool } from '../workers/pool.js';

/** The harness's own per-call cost on one runtime. */
export interface OverheadResult {
  runtime: string;
  wasmtimeVersion: string;
  /** Median of tinybench's per-call samples through napi, ns. */
  napiPerCallNs: number;
  /** Per call of the same export looped inside Rust, ns. */
  rustPerCallNs: number;
  overheadNs: number;
  samples: number;
}

/** The no-op module of the overhead measurement. */
export const noopModule = join(projectRoot, 'benchmarks', 'noop.wat');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Per-call cost of a no-op export through the timing paths, per runtime. */
export async function measureOverhead(runtimes: Runtime[], budgetMs = 2000): Promise<OverheadResult[]> {
  const pool = new WorkerPool(runtimes);
  const results: OverheadResult[] = [];
  try {
    // One runtime at a time: a timing must not share the two cores with another.
    for (const runtime of runtimes) {
      const worker = pool.worker(runtime.id);
      const info = await worker.describe();
      const answer = await worker.request({
        type: 'bench',
        module: { kind: 'file', path: noopModule },
        call: { style: 'export', name: 'noop', args: [] },
        budgetMs,
        rustLoopIterations: 2_000_000,
      });
      if (!answer.ok || answer.response.type !== 'bench' || answer.response.result.status !== 'ok') {
        throw new Error(`overhead benchmark on ${runtime.id} failed: ${JSON.stringify(answer)}`);
      }
      const r = answer.response.result;
      const napi = median(r.perCallNs);
      const rust = r.rustLoopPerCallNs ?? NaN;
      results.push({ runtime: runtime.id, wasmtimeVersion: info.wasmtimeVersion, napiPerCallNs: napi, rustPerCallNs: rust, overheadNs: napi - rust, samples: r.perCallNs.length });
    }
  } finally {
    await pool.close();
  }
  return results;
}
