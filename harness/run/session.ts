// What every kind of run shares (run, run --external, bench, cutover): the
// runtimes as their workers report them, the report head, cells appended to
// the cell log as they finish with progress, an interrupt that leaves a valid
// partial report, and the baseline comparison at the end.
import { cpus } from 'node:os';
import type { Runtime } from '../config/runtimes.js';
import type { Cell } from '../model/cell.js';
import { REPORT_SCHEMA_VERSION, type Report, type ReportHead, type ReportKind } from '../report/schema.js';
import { type ReportEnd, ReportWriter } from '../report/writer.js';
import type { Detection, Flavor } from '../toolchains/flavor.js';
import { notBuiltReason } from '../runtimes/status.js';
import { startProgress, type Progress } from '../util/progress.js';
import { importNames, type WasmSummary } from '../util/wasm-summary.js';
import type { ExecResult } from '../workers/exec.js';
import type { WorkerPool } from '../workers/pool.js';
import { baselineDiff } from './baseline.js';

/** A runtime as its worker described it (or why it could not be used). */
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

/** The report's flavor records: each flavor with its toolchain versions, or why it is unavailable. */
export function flavorRecords(flavors: Flavor[], detections: Map<string, Detection>): Report['flavors'] {
  return flavors.map((f) => {
    const d = detections.get(f.id)!;
    return { id: f.id, available: d.available, versions: d.versions, ...(d.available ? {} : { reason: d.missing.join('; ') }) };
  });
}

/** The report's record of a built artifact. */
export function artifactRecord(a: { suite: string; flavor: string; hash: string; sizeBytes: number; kind: Report['artifacts'][number]['kind']; cacheHit: boolean; imports?: WasmSummary['imports'] }): Report['artifacts'][number] {
  return { suite: a.suite, flavor: a.flavor, hash: a.hash, sizeBytes: a.sizeBytes, kind: a.kind, cacheHit: a.cacheHit, ...(a.imports ? { imports: importNames(a.imports) } : {}) };
}

const ms = (ns: number) => ns / 1e6;

/** A cell's timings from a worker's exec result, when it has them. */
export function cellTimings(result: ExecResult): Cell['timings'] | undefined {
  if (!('timings' in result)) return undefined;
  const t = result.timings;
  return { loadMs: ms(t.loadNs), instantiateMs: ms(t.instantiateNs), initMs: ms(t.initNs), callMs: ms(t.callNs), moduleCacheHit: t.moduleCacheHit };
}

/** What a session's report starts with. */
export interface SessionHead {
  kind?: ReportKind;
  startedAt: string;
  /** Inputs left out (broken suites); the run then exits 2. */
  inputErrors?: string[];
  shard?: { index: number; count: number };
  runtimes: RuntimeRecord[];
  flavors: Report['flavors'];
  artifacts: Report['artifacts'];
}

/** How a session ends on SIGINT/SIGTERM. */
export interface SessionOptions {
  /** Progress per finished cell over this many cells; none when omitted (bench counts processes itself). */
  progressTotal?: number;
  quiet: boolean;
  /** Runs first on a signal (finish what can be finished); returns the interruption note, or undefined for the default. */
  onInterrupt?: (signal: NodeJS.Signals) => string | undefined;
  /** Closes the session's workers on a signal (the process exits right after). */
  close: () => unknown;
}

/** A run's report folder, its progress, and its SIGINT/SIGTERM handling. */
export class RunSession {
  readonly writer: ReportWriter;
  private readonly progress: Progress | undefined;
  private finished = 0;
  private readonly onSignal: (signal: NodeJS.Signals) => void;

  constructor(
    readonly outDir: string,
    head: SessionHead,
    options: SessionOptions,
  ) {
    this.writer = new ReportWriter(outDir, {
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: 'wasm-matrix',
      kind: head.kind ?? 'run',
      complete: false,
      host: { platform: process.platform, arch: process.arch, node: process.version, cpus: cpus().length },
      startedAt: head.startedAt,
      runtimes: head.runtimes,
      flavors: head.flavors,
      artifacts: head.artifacts,
      ...(head.shard ? { shard: head.shard } : {}),
      ...(head.inputErrors?.length ? { inputErrors: head.inputErrors } : {}),
    } as ReportHead);
    const total = options.progressTotal;
    this.progress = total === undefined ? undefined : startProgress('run', total, { quiet: options.quiet });
    this.onSignal = (signal) => {
      const note = options.onInterrupt?.(signal) ?? `${signal} after ${this.finished}${total === undefined ? '' : ` of ${total}`} cells`;
      this.writer.markInterrupted(note, signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
      this.progress?.stop(`interrupted by ${signal}; ${this.writer.paths.json} holds the ${this.finished} finished cells (log: ${this.writer.paths.log})`);
      void options.close();
      process.exit(130);
    };
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** Appends a finished cell to the cell log at once. */
  emit = (cell: Cell): void => {
    this.writer.addCell(cell);
    this.progress?.update(++this.finished, `${cell.suite}/${cell.case} ${cell.flavor} ${cell.runtime}`);
  };

  /** Appends a cell still waiting for its reference cell (Finalizer's provisional hook). */
  emitProvisional = (cell: Cell): void => {
    this.writer.addProvisional(cell);
  };

  /** Stops handling signals, compares with the baseline and writes every file. */
  finish(baselinePath?: string, end: ReportEnd = {}): Report {
    this.release();
    const baseline = baselinePath ? baselineDiff(baselinePath, this.writer.report.cells) : undefined;
    const report = this.writer.finish({ ...end, ...(baseline ? { baseline } : {}) });
    this.progress?.stop(`${report.cells.length} cells; reports in ${this.outDir}`);
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

  /** Stops handling signals (the caller ends the session another way). */
  release(): void {
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
  }
}
