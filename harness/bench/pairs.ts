// Which bench cells are compared with which: the one pairing rule behind the
// time tables (compare.ts) and the instruction-count tables (instructions.ts).
import { caseKey, cellKey } from '../model/cell.js';
import type { BenchCell } from './schema.js';

/** What the comparison tables need of a flavor. */
export interface FlavorInfo {
  id: string;
  /** Source language family: flavors of one family are built from the same source. */
  language: string;
  target: 'wasm' | 'native';
}

/** How a compared pair is labelled in a table row. */
export interface PairLabel {
  kind: 'flavor' | 'runtime';
  suite: string;
  case: string;
  /** The runtime of a flavor pair, the flavor of a runtime pair. */
  on: string;
  /** Source language family, for flavor pairs. */
  family?: string;
  reference: string;
  candidate: string;
}

/** Two cells of one benchmark to compare, and their label. */
export interface CellPair {
  label: PairLabel;
  reference: BenchCell;
  candidate: BenchCell;
}

/**
 * Every pair of flavors built from the same source family on each runtime
 * (earlier flavor in `flavors` is the reference: mono-interp before
 * nativeaot-llvm, clang-wasi-O0 before clang-wasi-O2), and every pair of
 * runtimes per flavor (the older runtime is the reference). Pairs with a
 * missing cell are left out.
 */
export function comparedPairs(cells: BenchCell[], flavors: FlavorInfo[], runtimeOrder: string[]): CellPair[] {
  const byKey = new Map(cells.map((c) => [cellKey(c), c]));
  const benchmarks = [...new Map(cells.map((c) => [caseKey(c), { suite: c.suite, case: c.case }])).values()];
  const present = new Set(cells.map((c) => c.flavor));
  const wasmFlavors = flavors.filter((f) => f.target === 'wasm' && present.has(f.id));
  const runtimes = runtimeOrder.filter((r) => cells.some((c) => c.runtime === r));
  const out: CellPair[] = [];
  const push = (label: PairLabel, flavorPair: [string, string], runtimePair: [string, string]) => {
    const benchmark = { suite: label.suite, case: label.case };
    const reference = byKey.get(cellKey({ ...benchmark, flavor: flavorPair[0], runtime: runtimePair[0] }));
    const candidate = byKey.get(cellKey({ ...benchmark, flavor: flavorPair[1], runtime: runtimePair[1] }));
    if (reference && candidate) out.push({ label, reference, candidate });
  };
  for (const family of [...new Set(wasmFlavors.map((f) => f.language))]) {
    const members = wasmFlavors.filter((f) => f.language === family);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const [ref, cand] = [members[i]!.id, members[j]!.id];
        for (const b of benchmarks) {
          for (const runtime of runtimes) {
            push({ kind: 'flavor', suite: b.suite, case: b.case, on: runtime, family, reference: ref, candidate: cand }, [ref, cand], [runtime, runtime]);
          }
        }
      }
    }
  }
  for (const flavor of wasmFlavors) {
    for (let i = 0; i < runtimes.length; i++) {
      for (let j = i + 1; j < runtimes.length; j++) {
        for (const b of benchmarks) {
          push({ kind: 'runtime', suite: b.suite, case: b.case, on: flavor.id, reference: runtimes[i]!, candidate: runtimes[j]! }, [flavor.id, flavor.id], [runtimes[i]!, runtimes[j]!]);
        }
      }
    }
  }
  return out;
}
