// `cache fill|verify|prune`: the module cache of precompiled `.cwasm` files,
// `<cache>/<engine compatibility hash>/<artifact hash>.cwasm` beside its
// integrity record (see cutover/cache.ts).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadRuntimes, runtimeById } from '../../config/runtimes.js';
import { loadAllSuites, suiteByName } from '../../config/suite.js';
import { applyPrune, assertWritableCache, defaultCacheRoot, planPrune, scanCache } from '../../cutover/cache.js';
import { EngineHashes, engineLabel, suiteEngines } from '../../cutover/engines.js';
import { buildAll, fillCache, fillTargets } from '../../cutover/fill.js';
import { UsageError } from '../../errors.js';
import { allFlavors, flavorById } from '../../toolchains/registry.js';
import { RuntimeWorker } from '../../workers/runtime-worker.js';
import { printJson, printTable } from '../output.js';

interface CommonOptions {
  cache?: string;
  json?: boolean;
}

const cacheRootOf = (opts: CommonOptions): string => resolve(opts.cache ?? defaultCacheRoot());
const kib = (n: number | undefined) => (n === undefined ? '' : `${(n / 1024).toFixed(1)} KiB`);

/** The `cache` commands: fill, verify, prune. */
export function registerCacheCommands(program: Command): void {
  const cache = program
    .command('cache')
    .description('the module cache: <cache>/<engine compatibility hash>/<artifact hash>.cwasm beside its integrity record');

  cache
    .command('fill')
    .description('precompile every artifact of the chosen suites for one runtime (each engine configuration its cases use)')
    .requiredOption('--runtime <id>', 'the runtime whose engine precompiles')
    .option('--suite <name...>', 'only these suites (repeatable)')
    .option('--flavor <id...>', 'only these flavors (repeatable)')
    .option('--cache <dir>', 'the module cache folder', defaultCacheRoot())
    .option('--json', 'print JSON to stdout')
    .action(async (opts: CommonOptions & { runtime: string; suite?: string[]; flavor?: string[] }) => {
      const runtime = runtimeById(opts.runtime);
      const allSuites = loadAllSuites();
      const suites = opts.suite ? opts.suite.map((s) => suiteByName(s, allSuites)) : allSuites;
      const flavors = (opts.flavor ? opts.flavor.map(flavorById) : allFlavors).filter((f) => f.target === 'wasm');
      const root = cacheRootOf(opts);
      assertWritableCache(root);
      const { builds, artifacts } = await buildAll(suites, flavors);
      const worker = new RuntimeWorker(runtime);
      try {
        const { summary } = await fillCache({
          root,
          worker,
          targets: fillTargets(suites, artifacts),
          onItem: (item, done, total) => {
            if (!opts.json) process.stderr.write(`cache fill: ${done}/${total} ${item.suite}/${item.flavor} ${item.engine}: ${item.status}\n`);
          },
        });
        const notBuilt = builds.flatMap((b) => (b.status === 'built' ? [] : [{ suite: b.suite, flavor: b.flavor, why: b.status === 'skipped' ? b.reason : 'build failed' }]));
        if (opts.json) printJson({ cache: root, ...summary, notBuilt });
        else {
          printTable(
            ['artifact', 'engine', 'compatibility hash', 'status', 'ms', 'size'],
            summary.items.map((i) => [`${i.suite}/${i.flavor}`, i.engine, i.compatibilityHash ?? '', i.status + (i.message ? ` (${i.message})` : ''), i.ms.toFixed(1), kib(i.bytes)]),
          );
          for (const n of notBuilt) process.stdout.write(`not built: ${n.suite}/${n.flavor}: ${n.why}\n`);
          process.stdout.write(`${summary.entries} entries for ${runtime.id} in ${summary.wallMs.toFixed(0)} ms (${summary.counts.filled} filled, ${summary.counts.present} present, ${summary.counts.replaced} replaced, ${summary.counts.failed} failed) in ${root}\n`);
        }
        process.exitCode = summary.counts.failed ? 1 : 0;
      } finally {
        await worker.close();
      }
    });

  cache
    .command('verify')
    .description('check every entry against its integrity record (schema, location, sha256); exit 1 when any is corrupt')
    .option('--cache <dir>', 'the module cache folder', defaultCacheRoot())
    .option('--json', 'print JSON to stdout')
    .action((opts: CommonOptions) => {
      const scan = scanCache(cacheRootOf(opts));
      const bad = scan.engines.flatMap((e) => e.entries.filter((x) => !x.ok));
      const leftovers = scan.engines.flatMap((e) => e.leftovers);
      if (opts.json) printJson(scan);
      else if (!scan.exists) process.stdout.write(`no cache at ${scan.root}\n`);
      else {
        printTable(
          ['engine', 'Wasmtime', 'entries', 'valid', 'size', 'leftovers'],
          scan.engines.map((e) => [
            e.compatibilityHash,
            e.wasmtimeVersions.join(', '),
            String(e.entries.length),
            String(e.entries.filter((x) => x.ok).length),
            kib(e.entries.reduce((n, x) => n + (x.bytes ?? 0), 0)),
            String(e.leftovers.length),
          ]),
        );
        for (const b of bad) process.stdout.write(`corrupt: ${b.problem}\n`);
        for (const l of leftovers) process.stdout.write(`${l.live ? 'in use' : 'leftover'}: ${l.kind} ${l.path}\n`);
        for (const f of scan.foreign) process.stdout.write(`not a cache folder (left alone): ${f}\n`);
        process.stdout.write(bad.length ? `${bad.length} corrupt entries (cache prune removes them)\n` : `all ${scan.engines.reduce((n, e) => n + e.entries.length, 0)} entries valid\n`);
      }
      process.exitCode = bad.length ? 1 : 0;
    });

  cache
    .command('prune')
    .description('drop the entries of engines no longer pinned (each pinned runtime reports its engine hashes), corrupt entries and leftovers')
    .option('--cache <dir>', 'the module cache folder', defaultCacheRoot())
    .option('--dry-run', 'only say what would be removed')
    .option('--json', 'print JSON to stdout')
    .action(async (opts: CommonOptions & { dryRun?: boolean }) => {
      const root = cacheRootOf(opts);
      const scan = scanCache(root);
      if (scan.exists && !opts.dryRun) assertWritableCache(root);
      // Every engine hash a pinned runtime has, for each engine configuration the suites use.
      const keep = new Map<string, string>();
      const engines = suiteEngines(loadAllSuites());
      const unavailable: string[] = [];
      for (const runtime of loadRuntimes()) {
        const worker = new RuntimeWorker(runtime);
        try {
          const hashes = new EngineHashes(worker);
          for (const engine of engines) {
            const hash = await hashes.of(engine);
            if (!keep.has(hash)) keep.set(hash, `${runtime.id} (${engineLabel(engine)})`);
          }
        } catch (e) {
          unavailable.push(`${runtime.id}: ${(e as Error).message}`);
        } finally {
          await worker.close();
        }
      }
      if (unavailable.length) {
        // Without a runtime's hashes its entries would look unpinned: refuse rather than drop them.
        throw new UsageError(`cannot prune: not every pinned runtime could report its engine hashes (${unavailable.join('; ')}); build them with: npm run build`);
      }
      const planned = planPrune(scan, keep);
      const removed = opts.dryRun ? [] : await applyPrune(scan, planned);
      if (opts.json) printJson({ cache: root, dryRun: !!opts.dryRun, keep: Object.fromEntries(keep), planned, removed });
      else {
        for (const a of opts.dryRun ? planned : removed) process.stdout.write(`${opts.dryRun ? 'would remove' : 'removed'} ${a.path}: ${a.why}\n`);
        const kept = scan.engines.filter((e) => keep.has(e.compatibilityHash));
        for (const e of kept) process.stdout.write(`kept ${e.compatibilityHash} (${keep.get(e.compatibilityHash)}): ${e.entries.filter((x) => x.ok).length} entries\n`);
        process.stdout.write(`${opts.dryRun ? planned.length : removed.length} ${opts.dryRun ? 'to remove' : 'removed'} in ${root}\n`);
      }
    });
}
