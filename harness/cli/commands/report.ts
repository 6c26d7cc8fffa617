// `report --from DIR`: report.json and its renderings made from a cell log.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { rebuildFromLog } from '../../report/rebuild.js';
import { printJson } from '../output.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('write report.json, report.md, junit.xml and report.html from a cell log (cells.jsonl), e.g. of a run that was killed')
    .requiredOption('--from <dir>', 'a report folder holding cells.jsonl, or the cells.jsonl file')
    .option('--out <dir>', 'where to write the four files (default: the folder of the cell log)')
    .option('--json', 'print a JSON summary to stdout')
    .action((opts: { from?: string; out?: string; json?: boolean }) => {
      if (!opts.from) throw new UsageError('--from is required');
      const { report, paths, exitCode, log } = rebuildFromLog(opts.from, opts.out !== undefined ? resolve(opts.out) : undefined);
      const counts: Record<string, number> = {};
      for (const cell of report.cells) counts[cell.status] = (counts[cell.status] ?? 0) + 1;
      if (opts.json) {
        printJson({ exitCode, log: log.path, out: paths.json, cells: report.cells.length, counts, complete: report.complete, ...(report.interrupted ? { incomplete: report.interrupted } : {}), ...(log.truncated ? { truncatedLine: log.truncated.line } : {}) });
      } else {
        process.stdout.write(`${report.cells.length} cells from ${log.path}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}\n`);
        if (!report.complete) process.stdout.write(`INCOMPLETE: ${report.interrupted}\n`);
        process.stdout.write(`reports in ${resolve(paths.json, '..')}\n`);
      }
      process.exitCode = exitCode;
    });
}
