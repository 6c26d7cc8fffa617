// `bench-overhead`: the per-call cost of the harness itself, per runtime.
import type { Command } from 'commander';
import { loadRuntimes, runtimeById } from '../../config/runtimes.js';
import { measureOverhead } from '../../bench/overhead.js';
import { printJson, printTable } from '../output.js';

/** The `bench-overhead` command. */
export function registerBenchOverheadCommand(program: Command): void {
  program
    .command('bench-overhead')
    .description('measure the cost of a no-op export call across napi, against the same calls looped in Rust')
    .option('--runtime <id...>', 'only these runtimes')
    .option('--budget-ms <n>', 'tinybench time budget per runtime', '2000')
    .option('--json', 'print JSON')
    .action(async (opts: { runtime?: string[]; budgetMs: string; json?: boolean }) => {
      const all = loadRuntimes();
      const chosen = opts.runtime ? opts.runtime.map((id) => runtimeById(id)) : all;
      const results = await measureOverhead(chosen, Number(opts.budgetMs));
      if (opts.json) printJson({ overhead: results });
      else
        printTable(
          ['runtime', 'wasmtime', 'napi call (median)', 'Rust loop', 'overhead', 'samples'],
          results.map((r) => [r.runtime, r.wasmtimeVersion, `${r.napiPerCallNs.toFixed(0)} ns`, `${r.rustPerCallNs.toFixed(1)} ns`, `${r.overheadNs.toFixed(0)} ns`, String(r.samples)]),
        );
    });
}
