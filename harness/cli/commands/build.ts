// `build`: build (or find in the cache) every artifact of the selection.
import type { Command } from 'commander';
import { buildSelection } from '../../build/build.js';
import { detectAll } from '../../toolchains/registry.js';
import { EXIT_FAILED } from '../exit.js';
import { printJson, printTable } from '../output.js';
import { addSelectionOptions, resolveSelection, type SelectionOptions } from './selection.js';

/** The `build` command. */
export function registerBuildCommand(program: Command): void {
  addSelectionOptions(program.command('build').description('build the artifacts of every (suite, flavor); cached by content hash'))
    .option('--json', 'print JSON')
    .option('--verbose', 'stream tool output')
    .action(async (opts: SelectionOptions & { json?: boolean; verbose?: boolean }) => {
      const { suites, flavors, buildOptions } = resolveSelection(opts);
      const detections = await detectAll(flavors);
      const rows = [];
      let failed = false;
      const builds = await buildSelection(suites, flavors, buildOptions, detections, {
        onStart: (suite, flavor) => {
          if (!opts.json) process.stderr.write(`build ${suite.name} ${flavor.id}\n`);
        },
        log: () => (opts.verbose && !opts.json ? (line: string) => process.stderr.write(`  ${line}\n`) : undefined),
      });
      for (const { suite, flavor, outcome } of builds) {
        if (outcome.status === 'built') {
          const a = outcome.artifact;
          rows.push({ suite: suite.name, flavor: flavor.id, status: 'built', hash: a.hash, sizeBytes: a.sizeBytes, kind: a.kind, cacheHit: a.cacheHit, path: a.path, ...(outcome.note ? { note: outcome.note } : {}) });
        } else if (outcome.status === 'skipped') {
          rows.push({ suite: suite.name, flavor: flavor.id, status: 'skipped', reason: outcome.reason });
        } else {
          failed = true;
          rows.push({ suite: suite.name, flavor: flavor.id, status: 'failed', diagnostics: outcome.diagnostics, log: outcome.log.slice(-40) });
        }
      }
      if (opts.json) printJson({ artifacts: rows });
      else {
        printTable(
          ['suite', 'flavor', 'status', 'hash', 'size', 'kind', 'cache'],
          rows.map((r) => [r.suite, r.flavor, r.status, 'hash' in r ? r.hash!.slice(0, 12) : '', 'sizeBytes' in r ? String(r.sizeBytes) : '', 'kind' in r ? String(r.kind) : '', 'cacheHit' in r ? (r.cacheHit ? 'hit' : 'built') : '']),
        );
        for (const r of rows) {
          if (r.status === 'skipped') process.stdout.write(`skipped ${r.suite}/${r.flavor}: ${r.reason}\n`);
          if (r.status === 'failed') {
            process.stdout.write(`FAILED ${r.suite}/${r.flavor}:\n`);
            for (const d of r.diagnostics ?? []) process.stdout.write(`  ${d.file ?? ''}${d.line ? `:${d.line}` : ''}${d.column ? `:${d.column}` : ''}: ${d.severity}${d.code ? ` ${d.code}` : ''}: ${d.message}\n`);
          }
        }
      }
      if (failed) process.exitCode = EXIT_FAILED;
    });
}
