// What every kind of run shares: the runtimes as their workers report them,
// the report head, cells written as they finish with progress, an interrupt
// that leaves a valid partial report, and the baseline comparison at the end.
import { cpus } from 'node:os';
import type { Runtime } from '../config/runtimes.js';
import { notBuiltReason } from '../runtimes/status.js';
import { REPORT_SCHEMA_VERSION, type Cell, type Report } from '../report/schema.js';
import { ReportWriter } from '../report/writer.js';
import { startProgress, type Progress } from '../util/progress.js';
import type { ExecResult } from '../workers/exec.js';
import type { WorkerPool } from '../workers/pool.js';
import { baselineDiff } from './baseline.js';

export type RuntimeRecord = Report['runtimes'][number];

/** Each runtime's identity from its own worker; an unusable one carries the error. */
export function describeRuntimes(pool: WorkerPool, runtimes: Runtime[]): Promise<RuntimeRecord[]> {
  return Promise.all(
    runtimes.map(async (r) => {
      // Not built (say, its toolchain is missing): say why without starting a worker.
      const notBuilt = notBuiltReason(r);
      if (notBuilt) return { id: r.id, wasmtimeVersion: r.wasmtime, error: notBuilt };
      try {
        const info = await pool.worker(r.id).describe();
        return { id: r.id, wasmtimeVersion: info.wasmtimeVersion, compatibilityHash: info.compatibilityHash };
      } catch (e) {
        return { id: r.id, wasmtimeVersion: r.wasmtime, error: (e as Error).message };
      }
    }),
  );
}

const ms = (ns: number) => ns / 1e6;

export function cellTimings(result: ExecResult): Cell['timings'] | undefined {
  if (!('timings' in result)) return undefined;
  const t = result.timings;
  return { loadMs: ms(t.loadNs), instantiateMs: ms(t.instantiateNs), initMs: ms(t.initNs), callMs: ms(t.callNs), moduleCacheHit: t.moduleCacheHit };
}

export interface SessionHead {
  startedAt: string;
  /** Inputs left out (broken suites); the run then exits 2. */
  inputErrors?: string[];
  shard?: { index: number; count: number };
  runtimes: RuntimeRecord[];
  flavors: Report['flavors'];
  artifacts: Report['artifacts'];
}

/** A run's report folder, its progress, and its SIGINT/SIGTERM handling. */
export class RunSession {
  readonly writer: ReportWriter;
  private readonly progress: Progress;
  private finished = 0;
  private readonly onSignal: (signal: NodeJS.Signals) => void;

  constructor(
    readonly outDir: string,
    head: SessionHead,
    private readonly total: number,
    pool: WorkerPool,
    quiet: boolean,
  ) {
    this.writer = new ReportWriter(outDir, {
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: 'wasm-matrix',
      kind: 'run',
      complete: false,
      host: { platform: process.platform, arch: process.arch, node: process.version, cpus: cpus().length },
      ...head,
      ...(head.shard ? { shard: head.shard } : {}),
    });
    this.progress = startProgress('run', total, { quiet });
    this.onSignal = (signal) => {
      this.writer.markInterrupted(`${signal} after ${this.finished} of ${this.total} cells`, signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
      this.progress.stop(`interrupted by ${signal}; ${this.writer.paths.json} holds the ${this.finished} finished cells`);
      void pool.close();
      process.exit(130);
    };
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** Writes a finished cell to report.json at once. */
  emit = (cell: Cell): void => {
    this.writer.addCell(cell);
    this.progress.update(++this.finished, `${cell.suite}/${cell.case} ${cell.flavor} ${cell.runtime}`);
  };

  /** Stops handling signals, compares with the baseline and writes every file. */
  finish(baselinePath?: string): Report {
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    const baseline = baselinePath ? baselineDiff(baselinePath, this.writer.report.cells) : undefined;
    const report = this.writer.finish(baseline ? { baseline } : {});
    this.progress.stop(`${report.cells.length} cells; reports in ${this.outDir}`);
    return report;
  }

  /** Runs the cells, always closing the pool, then finishes the report. */
  async complete(pool: WorkerPool, runCells: () => Promise<void>, baselinePath?: string): Promise<Report> {
    try {
      await runCells();
    } catch (e) {
      this.release();
      throw e;
    } finally {
      await pool.close();
    }
    return this.finish(baselinePath);
  }

  release(): void {
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
  }
}
