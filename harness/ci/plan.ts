// The CI matrix: which cells each shard of `run --shard I/N` covers, as JSON
// for CI systems. The cells are expanded exactly as a run expands them
// (run/plan.ts planCells, then shardCells), without building anything: a
// cell exists for every (suite, case, flavor, runtime) whose suite has sources
// for the flavor, whatever the build then gives.
import { applies, type BuildOutcome } from '../build/build.js';
import type { Runtime } from '../config/runtimes.js';
import type { FlavorId, Suite } from '../config/suite.js';
import { UsageError } from '../errors.js';
import { planCells, shardCells } from '../run/plan.js';
import type { Flavor } from '../toolchains/flavor.js';
import { externalCellKeys } from './external.js';

/** The selection a plan covers. */
export interface PlanSelection {
  suites: Suite[];
  flavors: Flavor[];
  runtimes: Runtime[];
  /** `run --external DIR` in place of suites and flavors. */
  externalDir?: string;
}

/** One shard of a plan: its index and how many cells it runs. */
export interface PlannedShard {
  index: number;
  count: number;
  /** `I/N`, as `run --shard` takes it. */
  shard: string;
  /** Arguments for `wasm-matrix run` that run exactly this shard. */
  args: string[];
  cells: string[];
}

/** The CI matrix: runtimes x flavors, in shards. */
export interface Plan {
  schemaVersion: 1;
  tool: 'wasm-matrix';
  kind: 'plan';
  selection: { suites: string[]; flavors: string[]; runtimes: string[]; external?: string };
  shardCount: number;
  totalCells: number;
  shards: PlannedShard[];
}

/** Every cell key of a run of this selection, in the run's order. */
export function plannedCellKeys(selection: PlanSelection): string[] {
  if (selection.externalDir !== undefined) return externalCellKeys(selection.externalDir, selection.runtimes);
  const builds = new Map<string, BuildOutcome>();
  for (const suite of selection.suites) {
    for (const flavor of selection.flavors) {
      if (applies(suite, flavor)) builds.set(`${suite.name}/${flavor.id}`, { status: 'skipped', suite: suite.name, flavor: flavor.id, reason: 'planned' });
    }
  }
  const targets = new Map<FlavorId, 'wasm' | 'native'>(selection.flavors.map((f) => [f.id, f.target] as const));
  return planCells(selection.suites, builds, targets, selection.runtimes.map((r) => ({ id: r.id }))).map((c) => c.key);
}

/** A `--shards` value; anything but a positive integer is a usage error. */
export function parseShardCount(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 256) throw new UsageError(`--shards: "${text}" is not a whole number from 1 to 256`);
  return Number(text);
}

/** `selectionArgs`: the run options that select the same cells (passed through to each shard's args). */
export function makePlan(selection: PlanSelection, shardCount: number, selectionArgs: string[]): Plan {
  const keys = plannedCellKeys(selection);
  const shards: PlannedShard[] = [];
  for (let index = 1; index <= shardCount; index++) {
    const shard = `${index}/${shardCount}`;
    shards.push({ index, count: shardCount, shard, args: [...selectionArgs, '--shard', shard], cells: shardCells(keys, { index, count: shardCount }) });
  }
  return {
    schemaVersion: 1,
    tool: 'wasm-matrix',
    kind: 'plan',
    selection: {
      suites: selection.externalDir !== undefined ? [] : selection.suites.map((s) => s.name),
      flavors: selection.externalDir !== undefined ? ['prebuilt'] : selection.flavors.map((f) => f.id),
      runtimes: selection.runtimes.map((r) => r.id),
      ...(selection.externalDir !== undefined ? { external: selection.externalDir } : {}),
    },
    shardCount,
    totalCells: keys.length,
    shards,
  };
}

/** One argument for a POSIX shell: as is when plainly safe, else single-quoted. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * A GitHub Actions strategy matrix: `strategy: { matrix: ${{ fromJSON(...) }} }`;
 * `args` is the shard's `run` arguments as one shell-quoted string.
 */
export function githubMatrix(plan: Plan): { include: { shard: string; index: number; count: number; cells: number; name: string; args: string }[] } {
  return {
    include: plan.shards.map((s) => ({ shard: s.shard, index: s.index, count: s.count, cells: s.cells.length, name: `shard ${s.shard}`, args: s.args.map(shellQuote).join(' ') })),
  };
}
