// Cold start per artifact: from nothing loaded to the first answer, once
// compiling the `.wasm` and once deserializing the cache entry. Each round is
// a fresh worker process (so nothing is in its module cache), warmed up on a
// tiny module first so one-time process costs land on neither side; the two
// sides alternate which goes first. Timings come from inside the worker.
import { statSync } from 'node:fs';
import { median } from 'simple-statistics';
import type { BuiltArtifact } from '../build/build.js';
import type { Runtime } from '../config/runtimes.js';
import { type ExecResult, execOn } from '../workers/exec.js';
import type { ExecRequest } from '../workers/protocol.js';
import { RuntimeWorker } from '../workers/runtime-worker.js';
import type { CacheEntry } from './cache.js';
import type { ColdStart, ColdTimes } from './schema.js';

/** An artifact to cold-start: its cache entry and request. */
export interface ColdItem {
  suite: string;
  flavor: string;
  caseName: string;
  artifact: BuiltArtifact;
  entry: CacheEntry;
  /** The case's request; its module is replaced on each side. */
  request: ExecRequest;
}

const WARM_UP: ExecRequest = {
  type: 'exec',
  module: { kind: 'bytes', bytes: new TextEncoder().encode('(module (func (export "f")))'), label: 'warm-up' },
  instance: { wasi: false },
  lifecycle: 'none',
  call: { style: 'export', name: 'f', args: [] },
};

function times(result: ExecResult): ColdTimes | string {
  if (!('timings' in result)) return `${result.status}: ${result.message}`;
  if (result.status === 'error') return `${result.phase ?? 'error'}: ${result.message ?? ''}`;
  const t = result.timings;
  if (t.moduleCacheHit) return 'the worker had the module cached already';
  const ms = (ns: number) => ns / 1e6;
  return {
    loadMs: ms(t.loadNs),
    instantiateMs: ms(t.instantiateNs),
    initMs: ms(t.initNs),
    firstCallMs: ms(t.callNs),
    totalMs: ms(t.loadNs + t.instantiateNs + t.initNs + t.callNs),
  };
}

const medianTimes = (samples: ColdTimes[]): ColdTimes => ({
  loadMs: median(samples.map((s) => s.loadMs)),
  instantiateMs: median(samples.map((s) => s.instantiateMs)),
  initMs: median(samples.map((s) => s.initMs)),
  firstCallMs: median(samples.map((s) => s.firstCallMs)),
  totalMs: median(samples.map((s) => s.totalMs)),
});

const ZERO: ColdTimes = { loadMs: 0, instantiateMs: 0, initMs: 0, firstCallMs: 0, totalMs: 0 };

/** Cold start of each artifact in fresh workers: compiled against loaded from the cache. */
export async function measureColdStarts(runtime: Runtime, items: ColdItem[], rounds: number): Promise<ColdStart[]> {
  const compiled = items.map((): ColdTimes[] => []);
  const cached = items.map((): ColdTimes[] => []);
  const errors = items.map((): string[] => []);
  for (let round = 0; round < rounds; round++) {
    const worker = new RuntimeWorker(runtime);
    try {
      await execOn(worker, WARM_UP);
      for (const [i, item] of items.entries()) {
        const sides = [
          { into: compiled[i]!, module: { kind: 'file' as const, path: item.artifact.path } },
          { into: cached[i]!, module: { kind: 'cwasm' as const, path: item.entry.path, record: item.entry.record } },
        ];
        if (round % 2 === 1) sides.reverse();
        for (const side of sides) {
          const t = times(await execOn(worker, { ...item.request, module: side.module }));
          if (typeof t === 'string') errors[i]!.push(t);
          else side.into.push(t);
        }
      }
    } finally {
      await worker.close();
    }
  }
  return items.map((item, i): ColdStart => {
    const c = compiled[i]!.length ? medianTimes(compiled[i]!) : ZERO;
    const k = cached[i]!.length ? medianTimes(cached[i]!) : ZERO;
    let wasmBytes: number | undefined;
    try {
      wasmBytes = statSync(item.artifact.path).size;
    } catch {
      wasmBytes = undefined;
    }
    return {
      suite: item.suite,
      flavor: item.flavor,
      artifactHash: item.artifact.hash,
      case: item.caseName,
      ...(wasmBytes !== undefined ? { wasmBytes } : {}),
      cwasmBytes: item.entry.bytes,
      compiled: c,
      cached: k,
      speedup: k.totalMs > 0 ? c.totalMs / k.totalMs : 0,
      ...(errors[i]!.length ? { error: errors[i]![0] } : {}),
    };
  });
}
