// `wasm-matrix report --from DIR`: the four report files made again from a
// cell log, e.g. after the run was killed with SIGKILL and never wrote them,
// or to re-render with a newer wasm-matrix. A log of a finished run gives
// exactly the files that run wrote.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { CELL_LOG_FILE, type ParsedCellLog, readCellLog, reportFromLog } from './cell-log.js';
import type { Report } from './schema.js';
import { verdict } from './status.js';
import { type ReportPaths, writeReportFiles } from './writer.js';

/** The cell log a `--from` argument names: the file itself, or DIR/cells.jsonl. */
export function cellLogPath(from: string): string {
  const path = resolve(from);
  if (!existsSync(path)) throw new UsageError(`${path}: no such file or folder`);
  if (statSync(path).isFile()) return path;
  const log = join(path, CELL_LOG_FILE);
  if (!existsSync(log)) throw new UsageError(`${path}: no ${CELL_LOG_FILE} in it (a run writes one into its --out folder)`);
  return log;
}

export interface RebuildResult {
  log: ParsedCellLog;
  report: Report;
  paths: ReportPaths;
  /** 0/1 as the run would have exited; 1 also for an incomplete log. */
  exitCode: 0 | 1 | 2;
}

/**
 * Reads the log (a truncated last line is dropped with a warning on stderr
 * naming it) and writes report.json, report.md, junit.xml and report.html
 * into `outDir` (default: the log's folder).
 */
export function rebuildFromLog(from: string, outDir?: string, warn: (line: string) => void = (l) => process.stderr.write(`wasm-matrix: ${l}\n`)): RebuildResult {
  const path = cellLogPath(from);
  const log = readCellLog(path);
  if (log.truncated) warn(log.truncated.message);
  const report = reportFromLog(log);
  const paths = writeReportFiles(resolve(outDir ?? dirname(path)), report);
  // The report's own verdict, except that a signal stopped the run, not this
  // process: a log of a run stopped by SIGINT/SIGTERM is an incomplete report (1).
  const code = verdict(report).exitCode;
  const exitCode = code === 130 ? 1 : code;
  return { log, report, paths, exitCode };
}
