// `run`: the differential matrix into report files.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { OUTPUT_CAP_HELP, parseOutputCap } from '../output-cap.js';
import { projectRoot } from '../../paths.js';
import { runMatrix } from '../../run/matrix.js';
import { runExternal } from '../../ci/external.js';
import { UsageError } from '../../errors.js';
import { printJson } from '../output.js';
import { readReport } from '../../report/writer.js';
import { ensureDir } from '../../util/ensure-dir.js';
import { addSelectionOptions, parseShard, resolveSelection, type SelectionOptions } from './selection.js';

interface RunOptions extends SelectionOptions {
  out?: string;
  baseline?: string;
  shard?: string;
  json?: boolean;
  external?: string;
  expect?: string;
  outputCap?: string;
}

/** Where `run` writes when --out is not given. */
export const defaultReportDir = () => resolve(projectRoot, 'reports', 'latest');

/** The `run` command. */
export function registerRunCommand(program: Command): void {
  addSelectionOptions(
    program
      .command('run')
      .description('build what is missing and run every cell (suite x case x flavor x runtime); writes report.json, report.md, junit.xml, report.html'),
  )
    .option('--out <dir>', 'report folder', defaultReportDir())
    .option('--baseline <report.json>', 'an earlier report: newly failing cells first, then fixed ones')
    .option('--shard <I/N>', 'run only shard I of N (for CI fan-out)')
    .option('--json', 'print a JSON summary to stdout')
    .option('--external <dir>', 'run the prebuilt WASI command programs of DIR (X.wasm, optional X.json; the wasi-testsuite layout) instead of the suites')
    .option('--expect <file>', 'with --external: a skip/expectation list ({"<suite>": {"<test>": "<reason>"}}, as wasi-testsuite\'s runner takes): listed failures are known failures, listed passes are reported as fixed')
    .option('--output-cap <bytes>', OUTPUT_CAP_HELP)
    .action(async (opts: RunOptions) => {
      // The baseline and the report folder are checked before any cell runs:
      // a bad one is exit 2 with nothing run.
      if (opts.baseline) readReport(resolve(opts.baseline));
      ensureDir(resolve(opts.out ?? defaultReportDir()), '--out');
      const selection = resolveSelection(opts);
      const shard = parseShard(opts.shard);
      if (opts.external !== undefined && (opts.suite || opts.flavor)) throw new UsageError('--external runs the programs of a folder; it does not combine with --suite or --flavor');
      if (opts.expect !== undefined && opts.external === undefined) throw new UsageError('--expect FILE applies to --external DIR only');
      if (opts.outputCap !== undefined && opts.external === undefined) throw new UsageError('--output-cap applies to --external DIR only');
      const outputCap = parseOutputCap(opts.outputCap);
      const expect = {
        ...(opts.expect !== undefined ? { expectPath: resolve(opts.expect) } : {}),
        ...(outputCap !== undefined ? { outputCapBytes: outputCap } : {}),
      };
      const run = opts.external !== undefined ? (o: Parameters<typeof runMatrix>[0]) => runExternal({ ...o, dir: opts.external!, ...expect }) : runMatrix;
      const { report, exitCode } = await run({
        ...selection,
        outDir: resolve(opts.out ?? defaultReportDir()),
        ...(opts.baseline ? { baselinePath: resolve(opts.baseline) } : {}),
        ...(shard ? { shard } : {}),
        quiet: !!opts.json,
      });
      const counts: Record<string, number> = {};
      for (const cell of report.cells) counts[cell.status] = (counts[cell.status] ?? 0) + 1;
      if (opts.json) printJson({ exitCode, out: resolve(opts.out ?? defaultReportDir()), cells: report.cells.length, counts, baseline: report.baseline });
      else process.stdout.write(`${report.cells.length} cells: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}\nreports in ${resolve(opts.out ?? defaultReportDir())}\n`);
      process.exitCode = exitCode;
    });
}
