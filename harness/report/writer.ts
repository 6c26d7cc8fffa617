// Owns a report folder. Cells are appended to the cell log (cells.jsonl, see
// cell-log.ts) as they finish, so an interrupted or killed run keeps every
// finished cell; report.json and the renderings are written once, at the end
// (finish), on interruption (markInterrupted), or when a log is turned into a
// report (writeReportFiles, used by `report --from` and `merge`). A run's
// bytes written are therefore the log plus the final files, linear in cells.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from '../util/atomic-write.js';
import { ensureDir } from '../util/ensure-dir.js';
import { formatZodIssues } from '../config/load.js';
import { UsageError } from '../errors.js';
import { Cell, cellKey } from '../model/cell.js';
import { CELL_LOG_FILE, CellLogWriter, CellTable, EndFields, parseHead, reportFromLog } from './cell-log.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { REPORT_SCHEMA_VERSION, Report, type ReportHead } from './schema.js';

/** A report without its cells (report/schema.ts). */
export type { ReportHead };

/** What `finish` may add to the head: the end time, the baseline and the kind's own section. */
export type ReportEnd = EndFields;

/** The four report files of a folder, and the cell log they are made from. */
export const REPORT_FILES = {
  json: 'report.json',
  markdown: 'report.md',
  junit: 'junit.xml',
  html: 'report.html',
  log: CELL_LOG_FILE,
} as const;

export interface ReportPaths {
  json: string;
  markdown: string;
  junit: string;
  html: string;
  log: string;
}

export const reportPaths = (dir: string): ReportPaths => ({
  json: join(dir, REPORT_FILES.json),
  markdown: join(dir, REPORT_FILES.markdown),
  junit: join(dir, REPORT_FILES.junit),
  html: join(dir, REPORT_FILES.html),
  log: join(dir, REPORT_FILES.log),
});

/**
 * report.json: the head pretty-printed, one cell per line. Serialised in
 * chunks so a 50,000-cell report is never one giant string.
 */
export function reportJsonChunks(report: Report): string[] {
  const { cells, ...head } = report;
  const headJson = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  if (!cells.length) return [`${headJson},\n  "cells": []\n}\n`];
  const chunks = [`${headJson},\n  "cells": [\n`];
  const BATCH = 1000;
  for (let i = 0; i < cells.length; i += BATCH) {
    const part = cells.slice(i, i + BATCH).map((c) => `    ${JSON.stringify(c)}`);
    chunks.push(`${i ? ',\n' : ''}${part.join(',\n')}`);
  }
  chunks.push('\n  ]\n}\n');
  return chunks;
}

/**
 * Writes report.json and the three renderings of `report`, each atomically.
 * With `keepGoing` (interruption) a rendering that fails is reported on
 * stderr and the others are still written.
 */
export function writeReportFiles(dir: string, report: Report, keepGoing = false): ReportPaths {
  mkdirSync(dir, { recursive: true });
  const paths = reportPaths(dir);
  const files: Array<[string, () => string | string[]]> = [
    [paths.json, () => reportJsonChunks(report)],
    [paths.markdown, () => renderMarkdown(report)],
    [paths.junit, () => renderJunit(report)],
    [paths.html, () => renderHtml(report)],
  ];
  for (const [path, render] of files) {
    try {
      const content = render();
      writeAtomically(path, ...(typeof content === 'string' ? [content] : content));
    } catch (e) {
      if (!keepGoing || path === paths.json) throw e;
      process.stderr.write(`wasm-matrix: could not write ${path}: ${(e as Error).message}\n`);
    }
  }
  return paths;
}

export class ReportWriter {
  readonly dir: string;
  readonly paths: ReportPaths;
  private readonly head: ReportHead;
  private readonly table = new CellTable();
  private readonly log: CellLogWriter;
  private end: EndFields | undefined;
  private interrupted: string | undefined;
  private interruptedBy: 'SIGINT' | 'SIGTERM' | undefined;

  constructor(dir: string, initial: ReportHead) {
    this.dir = dir;
    this.paths = reportPaths(dir);
    // complete stays false until finish(), whatever the caller passed.
    this.head = parseHead({ ...initial, complete: false } as ReportHead);
    ensureDir(dir, 'report folder');
    // Report files of an earlier run in this folder would otherwise be taken
    // for this run's if it is killed before writing its own.
    for (const file of [this.paths.json, this.paths.markdown, this.paths.junit, this.paths.html]) rmSync(file, { force: true });
    this.log = new CellLogWriter(this.paths.log, this.head);
  }

  /** The report as it stands (cells are shared, not copied). */
  get report(): Report {
    return reportFromLog({ path: this.paths.log, head: this.head, cells: this.table.cells, provisional: this.table.provisionalCount, ...(this.end ? { end: this.end } : {}), ...(this.interrupted !== undefined ? { interrupted: this.interrupted } : {}), ...(this.interruptedBy ? { interruptedBy: this.interruptedBy } : {}) });
  }

  /** Bytes appended to the cell log so far. */
  get logBytes(): number {
    return this.log.bytesWritten;
  }

  /** Records a finished cell; its line is in the cell log when this returns. */
  addCell(cell: Cell): void {
    this.record(cell, false);
  }

  /**
   * Records a cell whose verdict may still change (a compare-only cell
   * waiting for its reference cell); a later addCell of the same key replaces it.
   */
  addProvisional(cell: Cell): void {
    this.record(cell, true);
  }

  /** Marks the run complete and writes report.json and all renderings, once. */
  finish(extra: ReportEnd = {}): Report {
    if (this.end) throw new Error(`report ${this.paths.json} is already finished`);
    if (extra.bench && this.head.kind !== 'bench') throw new Error(`a ${this.head.kind} report has no bench section`);
    if (extra.cutover && this.head.kind !== 'cutover') throw new Error(`a ${this.head.kind} report has no cutover section`);
    const end = EndFields.parse({ ...extra, finishedAt: extra.finishedAt ?? new Date().toISOString() });
    this.log.append({ end });
    this.log.close();
    this.end = end;
    const report = this.report;
    writeReportFiles(this.dir, report);
    return report;
  }

  /**
   * For a SIGINT handler: synchronous, and never throws for a rendering that
   * fails, so report.json of the finished cells is always left behind.
   */
  markInterrupted(reason: string, signal?: 'SIGINT' | 'SIGTERM'): void {
    if (this.end || this.interrupted !== undefined) return;
    this.interrupted = reason;
    if (signal) this.interruptedBy = signal;
    this.log.append(signal ? { interrupted: reason, interruptedBy: signal } : { interrupted: reason });
    this.log.sync();
    writeReportFiles(this.dir, this.report, true);
  }

  private record(cell: Cell, provisional: boolean): void {
    if (this.end) throw new Error(`report ${this.paths.json} is finished; cannot add ${cell.suite}/${cell.case}`);
    const parsed = Cell.parse(cell);
    if (!this.table.add(parsed, provisional)) throw new Error(`cell ${cellKey(parsed)} is already in ${this.paths.log}`);
    // After an interruption cells still finishing go to the log only;
    // `report --from` turns them into a report.
    this.log.append(provisional ? { provisional: parsed } : { cell: parsed });
  }
}

/** Reads and validates a report.json; errors name the file and the field. */
export function readReport(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: cannot read: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  // The version is checked first: a newer report fails on its version, not on
  // whichever field happened to change.
  const version = typeof raw === 'object' && raw !== null ? (raw as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version !== undefined && version !== REPORT_SCHEMA_VERSION) {
    throw new UsageError(`report ${path} has schemaVersion ${JSON.stringify(version)}; this wasm-matrix reads ${REPORT_SCHEMA_VERSION}`);
  }
  const result = Report.safeParse(raw);
  if (!result.success) throw new UsageError(`${path}: ${formatZodIssues(result.error)}`);
  return result.data;
}
