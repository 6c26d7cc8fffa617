// The nightly CI commands: plan (the shard matrix as JSON), merge (partial
// reports into one), pack / unpack (built artifacts between jobs).
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ensureDir } from '../../util/ensure-dir.js';
import type { Command } from 'commander';
import { githubMatrix, makePlan, parseShardCount } from '../../ci/plan.js';
import { mergeReports } from '../../ci/merge.js';
import { DEFAULT_UNPACK_LIMITS, packArtifacts, unpackArtifacts } from '../../ci/pack.js';
import { UsageError } from '../../errors.js';
import { detectAll } from '../../toolchains/registry.js';
import { EXIT_FAILED } from '../exit.js';
import { printJson } from '../output.js';
import { readReport } from '../../report/writer.js';
import { defaultReportDir } from './run.js';
import { addSelectionOptions, resolveSelection, type SelectionOptions } from './selection.js';

interface PlanOptions extends SelectionOptions {
  shards?: string;
  format?: string;
  external?: string;
}

/** The run options that reproduce a selection, for each shard's `args`. */
function selectionArgs(opts: PlanOptions): string[] {
  const args: string[] = [];
  if (opts.external !== undefined) args.push('--external', opts.external);
  for (const s of opts.suite ?? []) args.push('--suite', s);
  for (const f of opts.flavor ?? []) args.push('--flavor', f);
  for (const r of opts.runtime ?? []) args.push('--runtime', r);
  if (opts.configuration && opts.configuration !== 'Release') args.push('--configuration', opts.configuration);
  if (opts.reflection === false) args.push('--no-reflection');
  for (const d of opts.define ?? []) args.push('--define', d);
  if (opts.project) args.push('--project', opts.project);
  return args;
}

/** The `ci` commands: plan, merge, pack, unpack. */
export function registerCiCommands(program: Command): void {
  addSelectionOptions(program.command('plan').description('print the CI matrix (shards of `run --shard I/N` and the cells each covers) as JSON'))
    .option('--shards <n>', 'number of shards', '1')
    .option('--format <format>', 'github: a {include: [...]} strategy matrix on one line; json: every shard with its cells', 'github')
    .option('--external <dir>', 'plan `run --external DIR` instead of the suites')
    .action((opts: PlanOptions) => {
      const count = parseShardCount(opts.shards);
      if (opts.format !== 'github' && opts.format !== 'json') throw new UsageError(`--format: "${opts.format}" is not github or json`);
      if (opts.external !== undefined && (opts.suite || opts.flavor)) throw new UsageError('--external runs the programs of a folder; it does not combine with --suite or --flavor');
      const selection = resolveSelection(opts);
      const plan = makePlan({ ...selection, ...(opts.external !== undefined ? { externalDir: resolve(opts.external) } : {}) }, count, selectionArgs(opts));
      if (opts.format === 'github') process.stdout.write(`${JSON.stringify(githubMatrix(plan))}\n`);
      else printJson(plan);
    });

  program
    .command('merge')
    .description('join partial reports (report.json files, folders holding one, or folders of such folders) into one report: report.json, report.md, junit.xml, report.html')
    .argument('<dir...>', 'partial report folders')
    .option('--out <dir>', 'report folder', defaultReportDir())
    .option('--baseline <report.json>', 'an earlier report: newly failing cells first, then fixed ones')
    .option('--json', 'print a JSON summary to stdout')
    .action(async (dirs: string[], opts: { out?: string; baseline?: string; json?: boolean }) => {
      const outDir = resolve(opts.out ?? defaultReportDir());
      if (opts.baseline) readReport(resolve(opts.baseline));
      ensureDir(outDir, '--out');
      const { report, exitCode, inputs, rejudged, missingShards } = await mergeReports({ inputs: dirs, outDir, ...(opts.baseline ? { baselinePath: resolve(opts.baseline) } : {}) });
      const counts: Record<string, number> = {};
      for (const cell of report.cells) counts[cell.status] = (counts[cell.status] ?? 0) + 1;
      if (opts.json) printJson({ exitCode, out: outDir, inputs, cells: report.cells.length, counts, rejudged, complete: report.complete, ...(report.interrupted ? { incomplete: report.interrupted } : {}), missingShards, baseline: report.baseline });
      else {
        process.stdout.write(`merged ${inputs.length} report${inputs.length === 1 ? '' : 's'}: ${report.cells.length} cells: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}\n`);
        if (rejudged) process.stdout.write(`${rejudged} compare-only cell${rejudged === 1 ? '' : 's'} judged again against the reference cell of the whole run\n`);
        if (!report.complete) process.stdout.write(`INCOMPLETE: ${report.interrupted}\n`);
        process.stdout.write(`reports in ${outDir}\n`);
      }
      process.exitCode = exitCode;
    });

  addSelectionOptions(
    program
      .command('pack')
      .description('build (or take from the cache) the artifacts of the selection and write them with a manifest of sha256 hashes into a .tar.gz')
      .argument('<file>', 'the tarball to write'),
  )
    .option('--json', 'print JSON')
    .action(async (file: string, opts: SelectionOptions & { json?: boolean }) => {
      // The tarball's folder is checked before anything is built.
      ensureDir(dirname(resolve(file)), 'pack');
      if (existsSync(file) && !statSync(file).isFile()) throw new UsageError(`pack: ${resolve(file)} exists and is not a file`);
      const { suites, flavors, buildOptions } = resolveSelection(opts);
      const detections = await detectAll(flavors);
      const log = opts.json ? undefined : (line: string) => process.stderr.write(`${line}\n`);
      const result = await packArtifacts({ file, suites, flavors, buildOptions, detections, ...(log ? { log } : {}) });
      const m = result.manifest;
      if (opts.json) printJson({ file: result.file, sha256: result.sha256, artifacts: m.artifacts.map(({ suite, flavor, hash, kind }) => ({ suite, flavor, hash, kind })), notPacked: m.notPacked });
      else process.stdout.write(`${result.file}: ${m.artifacts.length} artifacts, ${m.notPacked.length} not packed\nsha256 ${result.sha256}\n`);
      if (result.failed > 0) process.exitCode = EXIT_FAILED;
    });

  program
    .command('unpack')
    .description('verify every hash of a pack and install its artifacts into the artifact cache (run then finds them, also without the toolchain)')
    .argument('<file>', 'a tarball written by pack')
    .option('--sha256 <hex>', 'refuse the tarball unless its sha256 is this (from the packing job)')
    .option('--max-entry-bytes <n>', `refuse the tarball if one entry expands past this (default ${DEFAULT_UNPACK_LIMITS.maxEntryBytes}, or WASM_MATRIX_UNPACK_MAX_ENTRY_BYTES)`)
    .option('--max-total-bytes <n>', `refuse the tarball if its entries expand past this in all (default ${DEFAULT_UNPACK_LIMITS.maxTotalBytes}, or WASM_MATRIX_UNPACK_MAX_TOTAL_BYTES)`)
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { sha256?: string; json?: boolean; maxEntryBytes?: string; maxTotalBytes?: string }) => {
      const bytesFlag = (flag: string, text: string | undefined): number | undefined => {
        if (text === undefined) return undefined;
        if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new UsageError(`${flag}: "${text}" is not a whole number of bytes (at least 1)`);
        return Number(text);
      };
      const maxEntryBytes = bytesFlag('--max-entry-bytes', opts.maxEntryBytes);
      const maxTotalBytes = bytesFlag('--max-total-bytes', opts.maxTotalBytes);
      const limits = { ...(maxEntryBytes !== undefined ? { maxEntryBytes } : {}), ...(maxTotalBytes !== undefined ? { maxTotalBytes } : {}) };
      const result = await unpackArtifacts(file, { ...(opts.sha256 !== undefined ? { sha256: opts.sha256 } : {}), limits });
      if (opts.json) printJson(result);
      else {
        for (const a of result.installed) process.stdout.write(`installed ${a.suite}/${a.flavor} ${a.hash.slice(0, 12)}\n`);
        process.stdout.write(`${result.installed.length} artifacts from ${result.file} (sha256 ${result.sha256})\n`);
      }
    });
}
