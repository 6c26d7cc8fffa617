// Expanding suites x cases x flavors x runtimes into the cells of a run, in a
// stable order (so shards and reruns agree on what each cell is).
import { type BuildOutcome, failureSummary } from '../build/build.js';
import { type CaseSpec, caseForFlavor, type FlavorId, type Suite } from '../config/suite.js';
import type { Runtime } from '../config/runtimes.js';
import { caseKeyOfCellKey, cellKey } from '../model/cell.js';
import { compareVersions } from '../runtimes/api-ranges.js';

/** The runtime id of the csharp-native reference cells (desktop Mono, not Wasmtime). */
export const NATIVE_RUNTIME = 'native';

/** One cell of a run before it runs. */
export interface PlannedCell {
  key: string;
  suite: Suite;
  testCase: CaseSpec;
  flavor: FlavorId;
  /** A runtime id, or `native` for the csharp-native reference. */
  runtime: string;
  /** Set when the cell cannot run; it is reported as `skipped` with this reason. */
  skip?: string;
  /** Set (with `skip`) when the artifact failed to build with its toolchain present: the summary of the failure. */
  buildFailure?: string;
  /** Set when the cell cannot run on any runtime by its kind; reported as `unsupported`. */
  unsupported?: string;
  build?: BuildOutcome;
}

/**
 * The newest usable runtime (the reference cells' runtime), by Wasmtime version;
 * a runtime that could not be used at all (`error`, e.g. not built) is passed over.
 */
export function newestRuntime(runtimes: Array<{ id: string; wasmtime?: string; wasmtimeVersion?: string; error?: string }>): string | undefined {
  const fromId = (id: string) => {
    const m = /^wasmtime-(\d+)(?:\.(\d+)\.(\d+))?$/.exec(id);
    return m ? `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}` : '0.0.0';
  };
  const version = (r: (typeof runtimes)[number]) => r.wasmtime ?? r.wasmtimeVersion ?? fromId(r.id);
  return [...runtimes].filter((r) => !r.error).sort((a, b) => compareVersions(version(b), version(a)))[0]?.id;
}

/** Every cell of a run, in a stable order, with why a cell cannot run. */
export function planCells(
  suites: Suite[],
  builds: Map<string, BuildOutcome>,
  flavorTargets: Map<FlavorId, 'wasm' | 'native'>,
  runtimes: { id: string; unusable?: string }[],
): PlannedCell[] {
  const cells: PlannedCell[] = [];
  for (const suite of suites) {
    for (const testCase of suite.cases) {
      for (const [flavor, target] of flavorTargets) {
        const build = builds.get(`${suite.name}/${flavor}`);
        if (!build) continue; // the suite has no sources for this flavor
        const cellRuntimes = target === 'native' ? [{ id: NATIVE_RUNTIME }] : runtimes;
        for (const runtime of cellRuntimes) {
          const cell: PlannedCell = {
            key: cellKey({ suite: suite.name, case: testCase.name, flavor, runtime: runtime.id }),
            suite,
            testCase: caseForFlavor(testCase, flavor),
            flavor,
            runtime: runtime.id,
            build,
          };
          if (testCase.flavors && !testCase.flavors.includes(flavor)) cell.skip = `case not implemented by the ${flavor} guest`;
          else if (build.status === 'skipped') cell.skip = build.reason;
          else if (build.status === 'failed') {
            cell.buildFailure = failureSummary(build);
            cell.skip = `build failed: ${cell.buildFailure}`;
          }
          else if ('unusable' in runtime && runtime.unusable) cell.skip = runtime.unusable;
          cells.push(cell);
        }
      }
    }
  }
  return cells;
}


/**
 * Shard `index` (1-based) of `count`. Whole cases go to one shard (every
 * flavor and runtime of a case together), in turn, so each shard holds the
 * reference cell its compare-only cases are judged against.
 */
export function shardCells<T extends string | { key: string }>(cells: T[], shard?: { index: number; count: number }): T[] {
  if (!shard) return cells;
  const order = new Map<string, number>();
  return cells.filter((cell) => {
    const key = typeof cell === 'string' ? cell : cell.key;
    const caseKey = caseKeyOfCellKey(key);
    if (!order.has(caseKey)) order.set(caseKey, order.size);
    return order.get(caseKey)! % shard.count === shard.index - 1;
  });
}
