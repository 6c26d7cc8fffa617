// Owns a report folder. report.json is rewritten atomically after every cell,
// so a run that is interrupted or killed leaves a valid report of the cells
// that finished; the renderings are written at the end (or on interruption).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from '../util/atomic-write.js';
import { ensureDir } from '../util/ensure-dir.js';
import { formatZodIssues } from '../config/load.js';
import { UsageError } from '../errors.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { Cell, REPORT_SCHEMA_VERSION, Report } from './schema.js';

export type ReportHead = Omit<Report, 'cells'>;

export const REPORT_FILES = {
  json: 'report.json',
  markdown: 'report.md',
  junit: 'junit.xml',
  html: 'report.html',
} as const;

const HeadSchema = Report.omit({ cells: true });

export class ReportWriter {
  readonly dir: string;
  private head: ReportHead;
  private readonly cells: Cell[] = [];
  // Each cell is validated, serialised and UTF-8 encoded once into a growing
  // buffer, so a rewrite costs one write of bytes already made, nothing more.
  private cellBytes = Buffer.alloc(64 * 1024);
  private cellBytesUsed = 0;
  private headJson = '';
  private finished = false;

  constructor(dir: string, initial: ReportHead) {
    this.dir = dir;
    // complete stays false until finish(), whatever the caller passed.
    this.head = HeadSchema.parse({ ...initial, complete: false });
    ensureDir(dir, 'report folder');
    this.setHead(this.head);
  }

  get paths(): { json: string; markdown: string; junit: string; html: string } {
    const d = this.dir;
    return { json: join(d, REPORT_FILES.json), markdown: join(d, REPORT_FILES.markdown), junit: join(d, REPORT_FILES.junit), html: join(d, REPORT_FILES.html) };
  }

  /** A snapshot of the report as it stands. */
  get report(): Report {
    return { ...this.head, cells: [...this.cells] };
  }

  /** Records a finished cell; it is in report.json on disk when this returns. */
  addCell(cell: Cell): void {
    if (this.finished) throw new Error(`report ${this.paths.json} is finished; cannot add ${cell.suite}/${cell.case}`);
    const parsed = Cell.parse(cell);
    this.cells.push(parsed);
    this.appendCellBytes(Buffer.from(`${this.cells.length > 1 ? ',\n' : ''}    ${JSON.stringify(parsed)}`));
    this.writeJson();
  }

  /** Marks the run complete and writes report.json and all renderings. */
  finish(extra: Partial<Omit<ReportHead, 'schemaVersion' | 'tool' | 'complete'>> = {}): Report {
    const head = HeadSchema.parse({ ...this.head, ...extra, complete: true, finishedAt: extra.finishedAt ?? new Date().toISOString() });
    this.setHead(head);
    this.finished = true;
    const report = this.report;
    this.writeRenderings(report);
    return report;
  }

  /**
   * For a SIGINT handler: synchronous, and never throws for a rendering that
   * fails, so report.json of the finished cells is always left behind.
   */
  markInterrupted(reason: string, signal?: 'SIGINT' | 'SIGTERM'): void {
    if (this.finished) return;
    this.setHead({ ...this.head, complete: false, interrupted: reason, ...(signal ? { interruptedBy: signal } : {}) });
    this.writeRenderings(this.report, true);
  }

  private setHead(head: ReportHead): void {
    this.head = head;
    // Cells go last so the file is the head's JSON with the cell lines spliced in.
    this.headJson = JSON.stringify(head, null, 2).replace(/\n}$/, '');
    this.writeJson();
  }

  private appendCellBytes(bytes: Buffer): void {
    const needed = this.cellBytesUsed + bytes.length;
    if (needed > this.cellBytes.length) {
      const grown = Buffer.alloc(Math.max(needed, this.cellBytes.length * 2));
      this.cellBytes.copy(grown, 0, 0, this.cellBytesUsed);
      this.cellBytes = grown;
    }
    bytes.copy(this.cellBytes, this.cellBytesUsed);
    this.cellBytesUsed = needed;
  }

  private writeJson(): void {
    const cells = this.cellBytes.subarray(0, this.cellBytesUsed);
    if (!cells.length) writeAtomically(this.paths.json, `${this.headJson},\n  "cells": []\n}\n`);
    else writeAtomically(this.paths.json, `${this.headJson},\n  "cells": [\n`, cells, '\n  ]\n}\n');
  }

  private writeRenderings(report: Report, keepGoing = false): void {
    const renderings: Array<[string, (r: Report) => string]> = [
      [this.paths.markdown, renderMarkdown],
      [this.paths.junit, renderJunit],
      [this.paths.html, renderHtml],
    ];
    for (const [path, render] of renderings) {
      try {
        writeAtomically(path, render(report));
      } catch (e) {
        if (!keepGoing) throw e;
        process.stderr.write(`wasm-matrix: could not write ${path}: ${(e as Error).message}\n`);
      }
    }
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
