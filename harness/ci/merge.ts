// Joining partial reports (one per CI shard) into one report with the same
// outputs as `run`: report.json, report.md, junit.xml, report.html.
//
// Refused (UsageError, exit 2): reports of another schema version, or of
// different schema versions among the inputs; reports that are not `run`
// reports; the same cell in two reports (overlapping shards, or one shard
// given twice); the same runtime id with two Wasmtime versions.
// Kept but flagged (the merged report is incomplete, exit 1): an input that
// was interrupted, and shards missing from a set (1/4, 2/4, 4/4 without 3/4).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { verdictOf } from '../model/verdict.js';
import { type Cell, caseKey, cellKey } from '../model/cell.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../report/schema.js';
import { readCellLog, reportFromLog } from '../report/cell-log.js';
import { ReportWriter, REPORT_FILES, readReport, type ReportHead } from '../report/writer.js';
import { baselineDiff } from '../run/baseline.js';
import { newestRuntime } from '../run/plan.js';
import { rejudgeCompareOnly } from './rejudge.js';

/** What `ci merge` joins and where it writes. */
export interface MergeOptions {
  inputs: string[];
  outDir: string;
  baselinePath?: string;
}

/** The merged report, its exit code (model/verdict.ts), and what merging found. */
export interface MergeResult {
  report: Report;
  exitCode: 0 | 1 | 2 | 130;
  inputs: string[];
  /** Compare-only cells whose verdict changed once all cells were together. */
  rejudged: number;
  missingShards: string[];
}

/**
 * A report folder's report: report.json, or the cell log alone when the run
 * was killed before it wrote report.json (a run removes stale report files
 * when it starts, so a report.json present is this log's).
 */
function reportIn(dir: string): string | undefined {
  const json = join(dir, REPORT_FILES.json);
  if (existsSync(json)) return json;
  const log = join(dir, REPORT_FILES.log);
  return existsSync(log) ? log : undefined;
}

const isCellLog = (path: string): boolean => path.endsWith('.jsonl');

/** A report.json, or the report a cell log stands for (a truncated last line is named on stderr). */
function loadReport(path: string): Report {
  if (!isCellLog(path)) return readReport(path);
  const log = readCellLog(path);
  if (log.truncated) process.stderr.write(`wasm-matrix: ${log.truncated.message}\n`);
  return reportFromLog(log);
}

/** report.json files (or cell logs) named by the arguments: a file, a folder holding one, or a folder of such folders. */
export function findReports(args: string[]): string[] {
  const found: string[] = [];
  for (const arg of args) {
    const path = resolve(arg);
    if (!existsSync(path)) throw new UsageError(`${path}: no such file or folder`);
    if (statSync(path).isFile()) {
      found.push(path);
      continue;
    }
    const direct = reportIn(path);
    if (direct) {
      found.push(direct);
      continue;
    }
    // One level down: `download-artifact` puts each shard's files in its own folder.
    const nested = readdirSync(path, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => reportIn(join(path, d.name)))
      .filter((p): p is string => p !== undefined)
      .sort();
    if (nested.length === 0) throw new UsageError(`${path}: no ${REPORT_FILES.json} or ${REPORT_FILES.log} in it or in its subfolders`);
    found.push(...nested);
  }
  const unique = [...new Set(found)];
  if (unique.length !== found.length) throw new UsageError(`the same report is named twice: ${found.filter((f, i) => found.indexOf(f) !== i).join(', ')}`);
  return unique;
}

/** Refuses inputs whose schema versions differ (or are not this tool's), naming each file's version. */
function checkVersions(paths: string[]): void {
  const versions = paths.map((path) => {
    // A cell log carries the report version in its header; readCellLog checks it.
    if (isCellLog(path)) return REPORT_SCHEMA_VERSION;
    try {
      const raw = JSON.parse(readFileSync(path, 'utf8')) as { schemaVersion?: unknown } | null;
      return raw && typeof raw === 'object' ? raw.schemaVersion : undefined;
    } catch {
      return undefined; // readReport names the problem
    }
  });
  const distinct = [...new Set(versions.map((v) => JSON.stringify(v)))];
  if (distinct.length > 1) {
    throw new UsageError(`cannot merge reports of different schema versions: ${paths.map((p, i) => `${p} has ${JSON.stringify(versions[i])}`).join(', ')}`);
  }
  if (versions[0] !== undefined && versions[0] !== REPORT_SCHEMA_VERSION) {
    throw new UsageError(`cannot merge reports of schema version ${JSON.stringify(versions[0])}; this wasm-matrix reads ${REPORT_SCHEMA_VERSION} (${paths[0]})`);
  }
}

/** Joins shard reports into one run report with every rendering (see the top of this file for what is refused). */
export async function mergeReports(options: MergeOptions): Promise<MergeResult> {
  if (options.inputs.length === 0) throw new UsageError('merge needs at least one report folder');
  const paths = findReports(options.inputs);
  checkVersions(paths);
  const reports = paths.map((path) => ({ path, report: loadReport(path) }));

  for (const { path, report } of reports) {
    if (report.kind !== 'run') throw new UsageError(`${path}: a ${report.kind} report; merge joins run reports`);
  }

  // Cells: every key once.
  const owner = new Map<string, string>();
  const cells: Cell[] = [];
  for (const { path, report } of reports) {
    for (const cell of report.cells) {
      const key = cellKey(cell);
      const first = owner.get(key);
      if (first !== undefined) {
        const same = JSON.stringify(cells.find((c) => cellKey(c) === key)) === JSON.stringify(cell);
        throw new UsageError(`cell ${key} is in both ${first} and ${path}${same ? '' : ' with different results'}; overlapping reports cannot be merged`);
      }
      owner.set(key, path);
      cells.push(cell);
    }
  }

  // Runtimes: one record per id; a version that differs between shards is a conflict.
  const runtimes = new Map<string, Report['runtimes'][number]>();
  const runtimeFrom = new Map<string, string>();
  for (const { path, report } of reports) {
    for (const r of report.runtimes) {
      const known = runtimes.get(r.id);
      if (known && !known.error && !r.error && (known.wasmtimeVersion !== r.wasmtimeVersion || (known.compatibilityHash && r.compatibilityHash && known.compatibilityHash !== r.compatibilityHash))) {
        throw new UsageError(`runtime ${r.id} is Wasmtime ${known.wasmtimeVersion} in ${runtimeFrom.get(r.id)} but ${r.wasmtimeVersion} in ${path}; reports of different runtime builds cannot be merged`);
      }
      if (!known || (known.error && !r.error)) {
        runtimes.set(r.id, r);
        runtimeFrom.set(r.id, path);
      }
    }
  }

  // Flavors: the run's order; a flavor available in any shard counts as available.
  const flavors = new Map<string, Report['flavors'][number]>();
  for (const { report } of reports) {
    for (const f of report.flavors) {
      const known = flavors.get(f.id);
      if (!known || (!known.available && f.available)) flavors.set(f.id, f);
    }
  }
  const artifacts = new Map<string, Report['artifacts'][number]>();
  for (const { report } of reports) for (const a of report.artifacts) if (!artifacts.has(`${a.suite}/${a.flavor}/${a.hash}`)) artifacts.set(`${a.suite}/${a.flavor}/${a.hash}`, a);

  // Completeness: interrupted inputs, and shard sets with holes.
  const problems: string[] = [];
  for (const { path, report } of reports) if (!report.complete) problems.push(`${path} is incomplete${report.interrupted ? ` (${report.interrupted})` : ''}`);
  const shardSets = new Map<number, Set<number>>();
  for (const { report } of reports) if (report.shard) shardSets.set(report.shard.count, (shardSets.get(report.shard.count) ?? new Set()).add(report.shard.index));
  const missingShards: string[] = [];
  for (const [count, seen] of shardSets) for (let i = 1; i <= count; i++) if (!seen.has(i)) missingShards.push(`${i}/${count}`);
  if (missingShards.length) problems.push(`missing shard${missingShards.length > 1 ? 's' : ''} ${missingShards.join(', ')}`);

  const flavorOrder = [...flavors.keys()];
  const rejudged = rejudgeCompareOnly(cells, newestRuntime([...runtimes.values()]), flavorOrder);
  const flavorRank = new Map(flavorOrder.map((f, i) => [f, i] as const));
  const rank = (flavor: string) => flavorRank.get(flavor) ?? -1;
  const caseOrder = new Map<string, number>();
  for (const c of rejudged.cells) if (!caseOrder.has(caseKey(c))) caseOrder.set(caseKey(c), caseOrder.size);
  const runtimeRank = new Map([...runtimes.keys()].map((r, i) => [r, i] as const));
  const runtimeIndex = (id: string) => runtimeRank.get(id) ?? -1;
  const sorted = [...rejudged.cells].sort(
    (a, b) =>
      a.suite.localeCompare(b.suite) ||
      caseOrder.get(caseKey(a))! - caseOrder.get(caseKey(b))! ||
      rank(a.flavor) - rank(b.flavor) ||
      runtimeIndex(a.runtime) - runtimeIndex(b.runtime) ||
      a.runtime.localeCompare(b.runtime),
  );

  // Inputs a shard left out (a broken suite) stay recorded, and keep exit 2.
  const inputErrors = [...new Set(reports.flatMap((r) => r.report.inputErrors ?? []))];
  const started = reports.map((r) => r.report.startedAt).sort();
  const finished = reports.map((r) => r.report.finishedAt).filter((f): f is string => !!f).sort();
  const baseline = options.baselinePath ? baselineDiff(options.baselinePath, sorted) : undefined;
  const head: ReportHead = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'wasm-matrix',
    kind: 'run',
    startedAt: started[0]!,
    ...(finished.length ? { finishedAt: finished[finished.length - 1] } : {}),
    complete: false,
    host: reports[0]!.report.host,
    runtimes: [...runtimes.values()],
    flavors: [...flavors.values()],
    artifacts: [...artifacts.values()],
    ...(baseline ? { baseline } : {}),
    ...(inputErrors.length ? { inputErrors } : {}),
  };
  const writer = new ReportWriter(resolve(options.outDir), head);
  for (const cell of sorted) writer.addCell(cell);
  let final: Report;
  if (problems.length) {
    // Written like an interrupted run: complete stays false, with the reason.
    writer.markInterrupted(problems.join('; '));
    final = writer.report;
  } else {
    final = writer.finish(head.finishedAt ? { finishedAt: head.finishedAt } : {});
  }
  // An incomplete merge is never "nothing wrong": the report says why, and the exit code is the report's own.
  return { report: final, exitCode: verdictOf(final).exitCode, inputs: paths, rejudged: rejudged.changed, missingShards };
}
