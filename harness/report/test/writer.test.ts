import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { Cell } from '../../model/cell.js';
import { verdictOf } from '../../model/verdict.js';
import type { Report } from '../schema.js';
import { readCellLog, reportFromLog } from '../cell-log.js';
import { ReportWriter, readReport } from '../writer.js';
import { keys, syntheticBenchReport, syntheticCells, syntheticHead, syntheticReport } from './fixtures.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-writer-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const linesOf = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');

describe('ReportWriter', () => {
  it('appends one cell-log line per finished cell and writes no report file before the end', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'report.json'), '{"stale": "from an earlier run"}');
    const writer = new ReportWriter(dir, syntheticHead());
    const log = join(dir, 'cells.jsonl');
    // A stale report of an earlier run in the folder is gone: it would pass for this run's.
    expect(readdirSync(dir)).toEqual(['cells.jsonl']);
    const cells = syntheticCells();
    cells.forEach((cell, i) => {
      writer.addCell(cell);
      const lines = linesOf(log);
      expect(lines).toHaveLength(i + 2);
      expect(JSON.parse(lines[i + 1]!)).toEqual({ cell: Cell.parse(cell) });
    });
    expect(readdirSync(dir)).toEqual(['cells.jsonl']);
    expect(readCellLog(log)).toMatchObject({ cells: { length: cells.length }, provisional: 0 });
    expect(readCellLog(log).end).toBeUndefined();
  });

  it('writes all four files once on finish, complete with finishedAt, and the log ends with an end record', () => {
    const dir = freshDir();
    const writer = new ReportWriter(dir, syntheticHead());
    for (const cell of syntheticCells()) writer.addCell(cell);
    const baseline = { file: 'old/report.json', newlyFailing: [], fixed: [] };
    const report = writer.finish({ baseline });
    expect(readdirSync(dir).sort()).toEqual(['cells.jsonl', 'junit.xml', 'report.html', 'report.json', 'report.md']);
    const onDisk = readReport(join(dir, 'report.json'));
    expect(onDisk).toEqual(report);
    expect(onDisk.complete).toBe(true);
    expect(Date.parse(onDisk.finishedAt ?? '')).not.toBeNaN();
    expect(onDisk.baseline).toEqual(baseline);
    expect(keys(onDisk.cells)).toEqual(keys(syntheticCells()));
    expect(JSON.parse(linesOf(join(dir, 'cells.jsonl')).at(-1)!)).toEqual({ end: { finishedAt: onDisk.finishedAt, baseline } });
    expect(XMLValidator.validate(readFileSync(join(dir, 'junit.xml'), 'utf8'))).toBe(true);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/^## ❌ wasm-matrix run/);
    expect(() => writer.addCell(syntheticCells()[0]!)).toThrow(/is finished/);
  });

  it('markInterrupted leaves report.json (complete=false, interrupted) and renderings of what is there', () => {
    const dir = freshDir();
    const writer = new ReportWriter(dir, syntheticHead());
    for (const cell of syntheticCells().slice(0, 10)) writer.addCell(cell);
    writer.markInterrupted('SIGINT');
    const onDisk = readReport(join(dir, 'report.json'));
    expect(onDisk).toMatchObject({ complete: false, interrupted: 'SIGINT' });
    expect(onDisk.cells).toHaveLength(10);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('**Incomplete report** (interrupted: SIGINT)');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('interrupted: SIGINT');
    expect(existsSync(join(dir, 'junit.xml'))).toBe(true);
    // Cells still finishing while the run winds down are kept too: in the log, which `report --from` reads.
    writer.addCell(syntheticCells()[10]!);
    const log = readCellLog(join(dir, 'cells.jsonl'));
    expect(log).toMatchObject({ interrupted: 'SIGINT', cells: { length: 11 } });
    expect(reportFromLog(log)).toMatchObject({ complete: false, interrupted: 'SIGINT', cells: { length: 11 } });
  });

  it('markInterrupted with a signal writes it on the interrupted line, and the report (and one rebuilt from the log) exits 130', () => {
    const dir = freshDir();
    const writer = new ReportWriter(dir, syntheticHead());
    for (const cell of syntheticCells().slice(0, 3)) writer.addCell(cell);
    writer.markInterrupted('SIGTERM after 3 of 9 cells', 'SIGTERM');
    const lines = linesOf(join(dir, 'cells.jsonl'));
    expect(JSON.parse(lines[lines.length - 1]!)).toEqual({ interrupted: 'SIGTERM after 3 of 9 cells', interruptedBy: 'SIGTERM' });
    const onDisk = readReport(join(dir, 'report.json'));
    expect(onDisk).toMatchObject({ complete: false, interrupted: 'SIGTERM after 3 of 9 cells', interruptedBy: 'SIGTERM' });
    expect(verdictOf(onDisk).exitCode).toBe(130);
    const rebuilt = reportFromLog(readCellLog(join(dir, 'cells.jsonl')));
    expect(rebuilt).toMatchObject({ complete: false, interruptedBy: 'SIGTERM', cells: { length: 3 } });
    expect(verdictOf(rebuilt).exitCode).toBe(130);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('(exit 130)');
  });

  it('a provisional cell is replaced in place by its final cell', () => {
    const dir = freshDir();
    const writer = new ReportWriter(dir, syntheticHead());
    const [a, b, c] = syntheticCells();
    writer.addProvisional({ ...a!, status: 'pass', oracle: 'none', reason: 'not compared yet' });
    writer.addCell(b!);
    expect(writer.report.interrupted).toMatch(/1 compare-only cell not compared/);
    writer.addCell({ ...a!, status: 'mismatch', reason: 'differs from the reference cell' });
    writer.addCell(c!);
    expect(() => writer.addCell(c!)).toThrow(/already in/);
    const report = writer.finish();
    expect(keys(report.cells)).toEqual(keys([a!, b!, c!]));
    expect(report.cells[0]).toMatchObject({ status: 'mismatch' });
    expect(reportFromLog(readCellLog(join(dir, 'cells.jsonl')))).toEqual(report);
  });

  it('refuses a cell that breaks the schema without touching the log', () => {
    const dir = freshDir();
    const writer = new ReportWriter(dir, syntheticHead());
    writer.addCell(syntheticCells()[0]!);
    const bad = { ...syntheticCells()[1]!, status: 'exploded' } as unknown as Parameters<ReportWriter['addCell']>[0];
    expect(() => writer.addCell(bad)).toThrow();
    expect(readCellLog(join(dir, 'cells.jsonl')).cells).toHaveLength(1);
  });

  it('writes bytes linear in the cells: the log once, the report files once', () => {
    const bytesFor = (n: number) => {
      const dir = freshDir();
      const writer = new ReportWriter(dir, syntheticHead());
      const template = syntheticCells();
      for (let i = 0; i < n; i++) writer.addCell({ ...template[i % template.length]!, case: `case-${String(i).padStart(6, '0')}` });
      writer.finish({ finishedAt: '2025-11-21T02:10:00.000Z' });
      const outputs = ['report.json', 'report.md', 'junit.xml', 'report.html'].reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
      return { log: writer.logBytes, logOnDisk: statSync(join(dir, 'cells.jsonl')).size, outputs };
    };
    const small = bytesFor(500);
    const large = bytesFor(4000);
    // Each line is written once: the bytes appended are the file's size.
    expect(large.logOnDisk).toBe(large.log);
    // Eight times the cells: about eight times the log (a quadratic writer made 64 times).
    expect(large.log / small.log).toBeGreaterThan(7);
    expect(large.log / small.log).toBeLessThan(9);
    // All bytes this writer wrote (log + final files) stay within 3x the final outputs.
    expect(large.log + large.outputs).toBeLessThan(3 * large.outputs);
  });
});

describe('readCellLog', () => {
  function logOf(cells = 5): string {
    const dir = freshDir();
    const writer = new ReportWriter(dir, syntheticHead());
    for (const cell of syntheticCells().slice(0, cells)) writer.addCell(cell);
    return join(dir, 'cells.jsonl');
  }

  it('keeps the cells before a truncated last line and names that line', () => {
    const path = logOf(5);
    const text = readFileSync(path, 'utf8');
    // The process died in the middle of writing the sixth cell.
    const sixth = JSON.stringify({ cell: syntheticCells()[5] });
    writeFileSync(path, text + sixth.slice(0, 40));
    const log = readCellLog(path);
    expect(log.cells).toHaveLength(5);
    expect(log.truncated?.line).toBe(7);
    expect(log.truncated?.message).toContain(`${path}: line 7 is incomplete`);
    expect(log.truncated?.message).toContain('Kept the 5 cells before it');
    const report = reportFromLog(log);
    expect(report.complete).toBe(false);
    expect(report.interrupted).toContain('line 7 of cells.jsonl was incomplete and dropped');
  });

  it('refuses a broken line that is not the last, naming the line and the field', () => {
    const path = logOf(3);
    const lines = linesOf(path);
    lines[2] = JSON.stringify({ cell: { ...syntheticCells()[1], status: 'exploded' } });
    writeFileSync(path, `${lines.join('\n')}\n`);
    expect(() => readCellLog(path)).toThrow(UsageError);
    expect(() => readCellLog(path)).toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 3: cell\\.status: `));
    lines[2] = '{"cell": {"suite": "x"';
    writeFileSync(path, `${lines.join('\n')}\n`);
    expect(() => readCellLog(path)).toThrow(/: line 3: not JSON/);
  });

  it('refuses a cell log of another version with a clear error', () => {
    const path = logOf(2);
    const lines = linesOf(path);
    const header = JSON.parse(lines[0]!) as { version: number };
    writeFileSync(path, `${[JSON.stringify({ ...header, version: 2 }), ...lines.slice(1)].join('\n')}\n`);
    expect(() => readCellLog(path)).toThrow(UsageError);
    expect(() => readCellLog(path)).toThrow(`${path}: cell log version 2; this wasm-matrix reads version 1`);
    const head = JSON.parse(lines[0]!) as { head: object };
    writeFileSync(path, `${JSON.stringify({ ...header, head: { ...head.head, schemaVersion: 7 } })}\n`);
    expect(() => readCellLog(path)).toThrow(`${path}: line 1: head.schemaVersion 7; this wasm-matrix reads report schema version 1`);
  });

  it('refuses a file that is not a cell log, and the same cell twice', () => {
    const path = logOf(2);
    const notLog = join(freshDir(), 'cells.jsonl');
    writeFileSync(notLog, '{"cells": []}\n');
    expect(() => readCellLog(notLog)).toThrow(/line 1: format is undefined, not "wasm-matrix-cell-log"/);
    const lines = linesOf(path);
    writeFileSync(path, `${[...lines, lines[1]].join('\n')}\n`);
    expect(() => readCellLog(path)).toThrow(/line 4: cell .* is recorded twice/);
  });
});

describe('readReport', () => {
  function writeJson(value: unknown): string {
    const path = join(freshDir(), 'report.json');
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  }

  it('reads what renderers and the writer read, each kind with its own section', () => {
    const report = syntheticReport();
    expect(readReport(writeJson(report))).toEqual(report);
    const bench = syntheticBenchReport();
    expect(readReport(writeJson(bench))).toEqual(bench);
  });

  it('checks the bench section against its schema, naming the field', () => {
    const bench = syntheticBenchReport() as Extract<Report, { kind: 'bench' }>;
    const broken = { ...bench, bench: { ...bench.bench!, cells: [{ ...bench.bench!.cells[0]!, status: 'fast' }] } };
    expect(() => readReport(writeJson(broken))).toThrow(/: bench\.cells\.0\.status: /);
  });

  it('refuses another schemaVersion, naming the file and both versions', () => {
    const path = writeJson({ ...syntheticReport(), schemaVersion: 2, cells: 'a new shape' });
    expect(() => readReport(path)).toThrow(UsageError);
    expect(() => readReport(path)).toThrow(`report ${path} has schemaVersion 2; this wasm-matrix reads 1`);
  });

  it('names the file and the field that is broken', () => {
    const report = syntheticReport();
    const broken = { ...report, cells: report.cells.map((c, i) => (i === 1 ? { ...c, status: 'exploded' } : c)) };
    const path = writeJson(broken);
    expect(() => readReport(path)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cells\\.1\\.status: `));
    const noHost = writeJson({ ...report, host: undefined });
    expect(() => readReport(noHost)).toThrow(/: host: /);
  });

  it('says when the file is missing or not JSON', () => {
    expect(() => readReport('/nonexistent/report.json')).toThrow(/^\/nonexistent\/report\.json: cannot read/);
    expect(() => readReport(writeJson('{"cells": ['))).toThrow(/report\.json: not valid JSON/);
  });
});
