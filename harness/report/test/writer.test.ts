import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { Cell } from '../../model/cell.js';
import type { Report } from '../schema.js';
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

describe('ReportWriter', () => {
  it('leaves a valid report.json of the finished cells after every addCell', () => {
    const dir = freshDir();
    const writer = new ReportWriter(dir, syntheticHead());
    const json = join(dir, 'report.json');
    expect(readReport(json).cells).toEqual([]);
    const cells = syntheticCells();
    cells.forEach((cell, i) => {
      writer.addCell(cell);
      const onDisk = readReport(json);
      expect(onDisk.complete).toBe(false);
      expect(onDisk.cells).toHaveLength(i + 1);
      expect(onDisk.cells[i]).toEqual(Cell.parse(cell));
    });
    // Only report.json: renderings come at the end, and no temp file is left over.
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('writes all four files on finish, complete with finishedAt', () => {
    const dir = freshDir();
    const writer = new ReportWriter(dir, syntheticHead());
    for (const cell of syntheticCells()) writer.addCell(cell);
    const baseline = { file: 'old/report.json', newlyFailing: [], fixed: [] };
    const report = writer.finish({ baseline });
    expect(readdirSync(dir).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    const onDisk = readReport(join(dir, 'report.json'));
    expect(onDisk).toEqual(report);
    expect(onDisk.complete).toBe(true);
    expect(Date.parse(onDisk.finishedAt ?? '')).not.toBeNaN();
    expect(onDisk.baseline).toEqual(baseline);
    expect(keys(onDisk.cells)).toEqual(keys(syntheticCells()));
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
    // Cells still finishing while the run winds down are kept too.
    writer.addCell(syntheticCells()[10]!);
    expect(readReport(join(dir, 'report.json'))).toMatchObject({ interrupted: 'SIGINT', cells: { length: 11 } });
  });

  it('refuses a cell that breaks the schema without touching the file', () => {
    const dir = freshDir();
    const writer = new ReportWriter(dir, syntheticHead());
    writer.addCell(syntheticCells()[0]!);
    const bad = { ...syntheticCells()[1]!, status: 'exploded' } as unknown as Parameters<ReportWriter['addCell']>[0];
    expect(() => writer.addCell(bad)).toThrow();
    expect(readReport(join(dir, 'report.json')).cells).toHaveLength(1);
  });

  it('keeps up with thousands of cells', () => {
    const dir = freshDir();
    const writer = new ReportWriter(dir, syntheticHead());
    const template = syntheticCells();
    const started = performance.now();
    for (let i = 0; i < 2000; i++) writer.addCell({ ...template[i % template.length]!, case: `case-${i}` });
    const ms = performance.now() - started;
    expect(readReport(join(dir, 'report.json')).cells).toHaveLength(2000);
    expect(ms).toBeLessThan(20_000);
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
