// cells.jsonl: the append-only record of a run, beside its report files.
//
// One JSON object per line. Line 1 is the header (format, log version, the
// report head as the run started); then one line per finished cell, in the
// order cells finished; a compare-only cell whose reference cell has not
// finished yet is first recorded as `provisional` and superseded by its final
// `cell` line (the last line per cell key wins, at the place of the first);
// the log ends with an `end` line (the run finished) or an `interrupted` line
// (SIGINT/SIGTERM, an incomplete merge). A run killed with SIGKILL simply has
// neither, and may end in a half-written line.
//
// Why a log: report.json used to be rewritten whole after every cell, so the
// bytes a run wrote grew with the square of its cells. Appending a line per
// cell costs the size of that cell; report.json and the renderings are made
// once from these records (ReportWriter, `report --from`, `merge`).
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { formatZodIssues } from '../config/load.js';
import { UsageError } from '../errors.js';
import { BenchData } from '../bench/schema.js';
import { CutoverSection } from '../cutover/schema.js';
import { Cell, cellKey } from '../model/cell.js';
import { BaselineDiff, REPORT_SCHEMA_VERSION, Report, type ReportHead } from './schema.js';

export const CELL_LOG_FILE = 'cells.jsonl';
export const CELL_LOG_FORMAT = 'wasm-matrix-cell-log';
/** Version of the line format below; bumped on any change that old readers would misread. */
export const CELL_LOG_VERSION = 1;

/** Validates a head as the report it starts (the report schema is per kind, so it is checked with no cells). */
export function parseHead(head: ReportHead): ReportHead {
  const { cells: _cells, ...parsed } = Report.parse({ ...head, cells: [] });
  return parsed as ReportHead;
}

/** A head as parseHead checks it, with zod's issues rather than a throw. */
const HeadSchema = z.unknown().transform((value, ctx) => {
  const result = Report.safeParse(typeof value === 'object' && value !== null ? { ...value, cells: [] } : value);
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  const { cells: _cells, ...head } = result.data;
  return head as ReportHead;
});

export const CellLogHeader = z
  .object({
    format: z.literal(CELL_LOG_FORMAT),
    version: z.literal(CELL_LOG_VERSION),
    head: HeadSchema,
  })
  .strict();

/** What `finish` adds to the head: when it ended, the baseline diff, bench or cut-over results. */
export const EndFields = z
  .object({
    finishedAt: z.string().optional(),
    baseline: BaselineDiff.optional(),
    bench: BenchData.optional(),
    cutover: CutoverSection.optional(),
  })
  .strict();
export type EndFields = z.infer<typeof EndFields>;

/** A signal that stops a run. */
const InterruptSignal = z.enum(['SIGINT', 'SIGTERM']);

export const CellLogRecord = z.union([
  z.object({ cell: Cell }).strict(),
  z.object({ provisional: Cell }).strict(),
  z.object({ end: EndFields }).strict(),
  /** The run stopped early; `interruptedBy` names the signal that stopped it (the process exits 130). */
  z.object({ interrupted: z.string(), interruptedBy: InterruptSignal.optional() }).strict(),
]);
export type CellLogRecord = z.infer<typeof CellLogRecord>;

/** fsync after this many lines or this long since the last fsync, whichever comes first. */
const SYNC_EVERY_LINES = 256;
const SYNC_EVERY_MS = 1000;

/**
 * Appends records to a cell log. Every line is written with one write(2) as
 * it comes, so a process killed at any point leaves every line it finished
 * (the page cache outlives the process); fsync in batches bounds what a
 * machine crash can take.
 */
export class CellLogWriter {
  private fd: number | undefined;
  private unsynced = 0;
  private lastSync = Date.now();
  /** Bytes appended so far (the scaling benchmark and tests read it). */
  bytesWritten = 0;

  constructor(
    readonly path: string,
    head: ReportHead,
  ) {
    this.fd = openSync(path, 'w');
    this.line({ format: CELL_LOG_FORMAT, version: CELL_LOG_VERSION, head });
    this.sync();
  }

  append(record: CellLogRecord): void {
    this.line(record);
    if (++this.unsynced >= SYNC_EVERY_LINES || Date.now() - this.lastSync >= SYNC_EVERY_MS) this.sync();
  }

  /** Flushes to disk; the log stays open. */
  sync(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    this.unsynced = 0;
    this.lastSync = Date.now();
  }

  close(): void {
    if (this.fd === undefined) return;
    this.sync();
    closeSync(this.fd);
    this.fd = undefined;
  }

  get open(): boolean {
    return this.fd !== undefined;
  }

  private line(value: unknown): void {
    if (this.fd === undefined) throw new Error(`cell log ${this.path} is closed`);
    const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.bytesWritten += bytes.length;
  }
}

/**
 * The cells of a log as a report holds them: in order of first appearance,
 * each key's last record winning. Adding is O(1), so replaying a log or a
 * live run is linear in its lines.
 */
export class CellTable {
  private readonly list: Cell[] = [];
  private readonly index = new Map<string, number>();
  private readonly provisionalKeys = new Set<string>();

  /** Returns false when the key already has a final cell (the caller decides whether that is an error). */
  add(cell: Cell, provisional: boolean): boolean {
    const key = cellKey(cell);
    const at = this.index.get(key);
    if (at !== undefined) {
      if (!this.provisionalKeys.has(key)) return false;
      this.list[at] = cell;
    } else {
      this.index.set(key, this.list.length);
      this.list.push(cell);
    }
    if (provisional) this.provisionalKeys.add(key);
    else this.provisionalKeys.delete(key);
    return true;
  }

  get cells(): Cell[] {
    return this.list;
  }

  get provisionalCount(): number {
    return this.provisionalKeys.size;
  }
}

export interface ParsedCellLog {
  path: string;
  head: ReportHead;
  cells: Cell[];
  end?: EndFields;
  interrupted?: string;
  /** The signal named by the `interrupted` record, if one stopped the run. */
  interruptedBy?: 'SIGINT' | 'SIGTERM';
  /** Compare-only cells still waiting for their reference when the log ended. */
  provisional: number;
  /** A last line the process did not finish writing (it died mid-write): its number and why it was dropped. */
  truncated?: { line: number; message: string };
}

const RECORD_KINDS = { cell: Cell, provisional: Cell, end: EndFields, interrupted: z.string() } as const;

/** One record, with errors that name the field inside it (a plain union would only say "invalid input"). */
function parseRecord(value: unknown): { success: true; data: CellLogRecord } | { success: false; error: string } {
  const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
  // The one record with a second key: `interrupted` may name its signal.
  if (keys.length === 2 && keys.includes('interrupted') && keys.includes('interruptedBy')) {
    const v = value as Record<string, unknown>;
    const reason = z.string().safeParse(v.interrupted);
    if (!reason.success) return { success: false, error: `interrupted: ${reason.error.issues[0]?.message}` };
    const signal = InterruptSignal.safeParse(v.interruptedBy);
    if (!signal.success) return { success: false, error: `interruptedBy: ${signal.error.issues[0]?.message}` };
    return { success: true, data: { interrupted: reason.data, interruptedBy: signal.data } };
  }
  const kind = keys.length === 1 ? (keys[0] as keyof typeof RECORD_KINDS) : undefined;
  if (!kind || !(kind in RECORD_KINDS)) return { success: false, error: `a record has exactly one of the keys ${Object.keys(RECORD_KINDS).join(', ')}; found ${JSON.stringify(keys)}` };
  const inner = RECORD_KINDS[kind].safeParse((value as Record<string, unknown>)[kind]);
  if (!inner.success) return { success: false, error: inner.error.issues.map((i) => `${[kind, ...i.path].join('.')}: ${i.message}`).join('; ') };
  return { success: true, data: { [kind]: inner.data } as CellLogRecord };
}

const versionText = (v: unknown) => JSON.stringify(v) ?? String(v);

/**
 * Reads and validates a cell log. Errors (UsageError, exit 2) name the file,
 * the line and the field. A broken *last* line is what a process killed
 * mid-write leaves: it is dropped and named in `truncated`, the earlier
 * cells are kept. A broken line anywhere else is an error.
 */
export function readCellLog(path: string): ParsedCellLog {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: cannot read: ${(e as Error).message}`);
  }
  const lines = text.split('\n');
  // A complete log ends with a newline, leaving an empty last element.
  const finalIsPartial = lines[lines.length - 1] !== '';
  if (!finalIsPartial) lines.pop();
  if (lines.length === 0) throw new UsageError(`${path}: empty; a cell log starts with a header line`);

  let truncated: ParsedCellLog['truncated'];
  const parseLine = (i: number): unknown => {
    try {
      return JSON.parse(lines[i]!);
    } catch (e) {
      return { __broken: (e as Error).message };
    }
  };

  const first = parseLine(0);
  if (typeof first === 'object' && first !== null && '__broken' in first) throw new UsageError(`${path}: line 1: not JSON (${(first as { __broken: string }).__broken}); not a cell log`);
  const raw = first as { format?: unknown; version?: unknown; head?: { schemaVersion?: unknown } };
  if (raw?.format !== CELL_LOG_FORMAT) throw new UsageError(`${path}: line 1: format is ${versionText(raw?.format)}, not "${CELL_LOG_FORMAT}"; not a cell log`);
  // The versions are checked before the shape: another version fails on its version, not on whichever field changed.
  if (raw.version !== CELL_LOG_VERSION) throw new UsageError(`${path}: cell log version ${versionText(raw.version)}; this wasm-matrix reads version ${CELL_LOG_VERSION}`);
  const reportVersion = raw.head?.schemaVersion;
  if (reportVersion !== REPORT_SCHEMA_VERSION) throw new UsageError(`${path}: line 1: head.schemaVersion ${versionText(reportVersion)}; this wasm-matrix reads report schema version ${REPORT_SCHEMA_VERSION}`);
  const header = CellLogHeader.safeParse(first);
  if (!header.success) throw new UsageError(`${path}: line 1: ${formatZodIssues(header.error)}`);

  const table = new CellTable();
  let end: EndFields | undefined;
  let interrupted: string | undefined;
  let interruptedBy: 'SIGINT' | 'SIGTERM' | undefined;
  for (let i = 1; i < lines.length; i++) {
    const last = i === lines.length - 1;
    const value = parseLine(i);
    const broken = typeof value === 'object' && value !== null && '__broken' in value ? (value as { __broken: string }).__broken : undefined;
    const parsed = broken === undefined ? parseRecord(value) : undefined;
    if (broken !== undefined || !parsed!.success) {
      const why = broken !== undefined ? `not JSON (${broken})` : (parsed as { error: string }).error;
      // Only the very last line can be half-written by a dying process.
      if (last && (finalIsPartial || broken !== undefined)) {
        truncated = { line: i + 1, message: `${path}: line ${i + 1} is incomplete (${why}); the process writing it died mid-write. Kept the ${table.cells.length} cells before it.` };
        break;
      }
      throw new UsageError(`${path}: line ${i + 1}: ${why}`);
    }
    const record = parsed!.data;
    if (end !== undefined) throw new UsageError(`${path}: line ${i + 1}: a record after the end record`);
    if ('cell' in record || 'provisional' in record) {
      const cell = 'cell' in record ? record.cell : record.provisional;
      if (!table.add(cell, 'provisional' in record)) throw new UsageError(`${path}: line ${i + 1}: cell ${cellKey(cell)} is recorded twice`);
    } else if ('end' in record) {
      if ((record.end.bench && header.data.head.kind !== 'bench') || (record.end.cutover && header.data.head.kind !== 'cutover')) throw new UsageError(`${path}: line ${i + 1}: a ${header.data.head.kind} report has no ${record.end.bench ? 'bench' : 'cutover'} section`);
      end = record.end;
    }
    else {
      interrupted = record.interrupted;
      if (record.interruptedBy) interruptedBy = record.interruptedBy;
    }
  }
  return {
    path,
    head: header.data.head,
    cells: table.cells,
    provisional: table.provisionalCount,
    ...(end ? { end } : {}),
    ...(interrupted !== undefined ? { interrupted } : {}),
    ...(interruptedBy ? { interruptedBy } : {}),
    ...(truncated ? { truncated } : {}),
  };
}

/**
 * The report a log stands for. Complete only with an end record; a log
 * without one (SIGKILL) says so in `interrupted`.
 */
export function reportFromLog(log: ParsedCellLog): Report {
  const { head, cells } = log;
  // Head, end and cells were each validated; together they are a report of the head's kind.
  if (log.end && log.interrupted === undefined) return { ...head, ...log.end, complete: true, cells } as Report;
  const reasons: string[] = [];
  if (log.interrupted !== undefined) reasons.push(log.interrupted);
  else reasons.push(`the run stopped without finishing (killed?) after ${cells.length} cells`);
  if (log.truncated) reasons.push(`line ${log.truncated.line} of ${CELL_LOG_FILE} was incomplete and dropped`);
  if (log.provisional) reasons.push(`${log.provisional} compare-only cell${log.provisional === 1 ? '' : 's'} not compared: the reference had not finished`);
  const { finishedAt: _f, ...rest } = head;
  return { ...rest, ...(log.end ?? {}), complete: false, interrupted: reasons.join('; '), ...(log.interruptedBy ? { interruptedBy: log.interruptedBy } : {}), cells } as Report;
}
