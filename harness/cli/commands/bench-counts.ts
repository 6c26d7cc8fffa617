// What `bench --measure instructions|both` prints: instruction regressions and
// nondeterministic cells on stderr, and (without --json) a table of counts.
import type { BenchData } from '../../bench/schema.js';
import { formatCount } from '../../report/counts.js';
import { printTable } from '../output.js';

/** Prints the instruction side of a bench: regressions and nondeterminism on stderr, the counts table on stdout unless `json`. */
export function printCounts(bench: BenchData, json: boolean): void {
  const gate = bench.baseline?.instructions;
  const grown = gate?.rows.filter((r) => r.verdict === 'regression') ?? [];
  if (grown.length) {
    process.stderr.write(`wasm-matrix: ${grown.length} instruction regression${grown.length === 1 ? '' : 's'} against ${bench.baseline!.file} (threshold ${gate!.thresholdPct}%):\n`);
    for (const r of grown) {
      const phases = r.phases.filter((p) => p.verdict === 'regression');
      process.stderr.write(`  ${r.key}: ${phases.map((p) => `${p.phase} ${formatCount(p.baseline)} -> ${formatCount(p.now)} (${p.ratio.toFixed(4)}x)`).join(', ')}\n`);
    }
  }
  // The guest's own regions must be exact; host-side phases may vary a little (allocator, hash seeds): one line for those.
  const guest = new Set(['firstCall', 'perCall']);
  for (const n of bench.nondeterministic ?? []) {
    const phases = n.phases.filter((p) => guest.has(p));
    if (phases.length) process.stderr.write(`wasm-matrix: nondeterministic instruction counts: ${n.key} (${phases.join(', ')}): its two counting processes disagree\n`);
  }
  const hostOnly = (bench.nondeterministic ?? []).filter((n) => n.phases.some((p) => !guest.has(p)));
  if (hostOnly.length) process.stderr.write(`wasm-matrix: ${hostOnly.length} cell${hostOnly.length === 1 ? '' : 's'} counted host-side phases (compile, instantiate, ...) differently in their two processes: shown in report.md, not gated\n`);
  if (json || !bench.instructionMethod) return;
  const counted = bench.cells.filter((c) => c.instructions);
  if (!counted.length) return;
  process.stdout.write('\n');
  printTable(
    ['cell', 'status', 'instructions/call', 'calls', 'first call', 'compile', 'instantiate', 'exact'],
    counted.map((c) => {
      const p = c.instructions!.phases;
      return [
        c.key,
        c.status,
        p?.perCall ? formatCount(p.perCall.perCall) : (c.reason ?? '').split('\n')[0]!.slice(0, 60),
        p?.perCall ? String(p.perCall.calls) : '',
        p?.firstCall ? formatCount(p.firstCall.perCall) : '',
        p?.compile ? formatCount(p.compile.perCall) : '',
        p?.instantiate ? formatCount(p.instantiate.perCall) : '',
        p ? (c.instructions!.nondeterministic?.length ? `no: ${c.instructions!.nondeterministic.join(', ')}` : 'yes') : '',
      ];
    }),
  );
  process.stdout.write(`instructions counted by ${bench.instructionMethod.valgrind} (callgrind), ${bench.instructionMethod.processes} processes per cell, ${bench.instructionMethod.calls} steady-state calls each\n`);
}
