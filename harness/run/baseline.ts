// Comparing a run with an earlier report: what newly fails, what got fixed.
import { type Cell, cellKey } from '../model/cell.js';
import { isFailure } from '../model/verdict.js';
import { readReport } from '../report/writer.js';

/** Cells that newly fail, and cells fixed, against an earlier report. */
export function baselineDiff(path: string, cells: Cell[]): { file: string; newlyFailing: string[]; fixed: string[] } {
  const before = new Map(readReport(path).cells.map((c) => [cellKey(c), c]));
  const newlyFailing: string[] = [];
  const fixed: string[] = [];
  for (const cell of cells) {
    const old = before.get(cellKey(cell));
    if (!old) continue;
    if (isFailure(cell) && !isFailure(old)) newlyFailing.push(cellKey(cell));
    if (!isFailure(cell) && isFailure(old)) fixed.push(cellKey(cell));
  }
  return { file: path, newlyFailing, fixed };
}
