// `cutover`: rehearse a Wasmtime upgrade. The old runtime serves golden calls
// while the new one fills its module cache; the answers are compared, old
// cache entries must be refused, then the stream switches with nothing lost.
// Exit 0 for go, 1 for no-go, 2 for bad usage.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { knownRuntimes, runtimeById } from '../../config/runtimes.js';
import { loadAllSuites, suiteByName } from '../../config/suite.js';
import { assertWritableCache, defaultCacheRoot } from '../../cutover/cache.js';
import { runCutover } from '../../cutover/rehearsal.js';
import { UsageError } from '../../errors.js';
import { projectRoot } from '../../paths.js';
import { allFlavors, flavorById } from '../../toolchains/registry.js';
import { printJson } from '../output.js';

interface CutoverOptions {
  from: string;
  to: string;
  suite?: string[];
  flavor?: string[];
  cache?: string;
  durationS: string;
  out?: string;
  json?: boolean;
}

/** Where `cutover` writes when --out is not given. */
export const defaultCutoverDir = () => resolve(projectRoot, 'reports', 'cutover');

/** A `--duration-s` value: seconds above 0 (at most a day); anything else is a usage error. */
export function parseDuration(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 24 * 3600) throw new UsageError(`--duration-s: "${text}" is not a number of seconds above 0`);
  return n;
}

/** The `cutover` command. */
export function registerCutoverCommand(program: Command): void {
  program
    .command('cutover')
    .description(
      'rehearse a Wasmtime upgrade: the old runtime serves golden calls while the new one fills the module cache; compare, check that old entries are refused, switch; go (exit 0) or no-go (exit 1)',
    )
    .requiredOption('--from <id>', 'the runtime serving now, e.g. wasmtime-36')
    .requiredOption('--to <id>', 'the runtime to cut over to, e.g. wasmtime-48')
    .option('--suite <name...>', 'only these suites (repeatable; dispatcher suites give the golden calls)')
    .option('--flavor <id...>', 'only these flavors (repeatable)')
    .option('--cache <dir>', 'the module cache folder', defaultCacheRoot())
    .option('--duration-s <n>', 'serving time: the old runtime serves at least 3/4 of it, the new one the last 1/4', '10')
    .option('--out <dir>', 'report folder', defaultCutoverDir())
    .option('--json', 'print the cut-over section as JSON to stdout')
    .addHelpText('after', '\nExample:\n  wasm-matrix cutover --from wasmtime-36 --to wasmtime-48 --suite core --flavor clang-wasi-O2 --flavor wat')
    .action(async (opts: CutoverOptions) => {
      const runtimes = knownRuntimes();
      if (opts.from === opts.to) {
        throw new UsageError(`--from and --to are both "${opts.from}": a cut-over needs two different runtimes; valid runtimes: ${runtimes.map((r) => r.id).join(', ')}`);
      }
      const from = runtimeById(opts.from, runtimes);
      const to = runtimeById(opts.to, runtimes);
      const allSuites = loadAllSuites();
      const suites = opts.suite ? opts.suite.map((s) => suiteByName(s, allSuites)) : allSuites;
      if (!suites.some((s) => s.kind === 'dispatcher')) {
        throw new UsageError(`no dispatcher suite among ${suites.map((s) => s.name).join(', ')}: golden calls come from dispatcher and export cases`);
      }
      const flavors = (opts.flavor ? opts.flavor.map(flavorById) : allFlavors).filter((f) => f.target === 'wasm');
      if (!flavors.length) throw new UsageError(`--flavor: ${opts.flavor?.join(', ')} builds no wasm; a cut-over needs wasm flavors`);
      const durationS = parseDuration(opts.durationS);
      const cacheRoot = resolve(opts.cache ?? defaultCacheRoot());
      assertWritableCache(cacheRoot);
      const outDir = resolve(opts.out ?? defaultCutoverDir());
      const { cutover, exitCode } = await runCutover({ from, to, suites, flavors, cacheRoot, outDir, durationS, quiet: !!opts.json });
      if (opts.json) {
        printJson({ exitCode, out: outDir, ...cutover });
      } else {
        const s = cutover.stream;
        const lines = [
          `${cutover.verdict === 'go' ? 'GO' : 'NO-GO'}: ${from.id} -> ${to.id}`,
          ...cutover.reasons.map((r) => `  - ${r}`),
          `golden cases: ${cutover.golden.cases}, mismatches: ${cutover.mismatches.length}`,
          `calls: ${s.issued} issued, ${s.served} served, ${s.failed} failed, ${s.lost} lost`,
          `cache fill (${to.id}): ${cutover.fill.entries} entries in ${cutover.fill.wallMs.toFixed(0)} ms`,
          ...cutover.coldStart.items.map(
            (i) => `cold start ${i.suite}/${i.flavor}: compiled ${i.compiled.totalMs.toFixed(2)} ms, from cache ${i.cached.totalMs.toFixed(2)} ms (${i.speedup.toFixed(1)}x)`,
          ),
          `reports in ${outDir}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      process.exitCode = exitCode;
    });
}
