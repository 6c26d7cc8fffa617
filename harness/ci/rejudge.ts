// Settling compare-only cases after a merge.
//
// A case without an expectation is judged against its reference cell: the
// first flavor (in the run's flavor order) whose cell on the newest runtime
// ran (run/finalize.ts). `run --shard` splits a case's cells over shards, so a
// shard judges with whatever reference it happens to hold (or none), and its
// verdicts on compare-only cases are provisional. Once all cells are in one
// place, merge judges those cases again with the same functions as one run
// (model/judge.ts) and the same choice of reference, from each cell's
// recorded `actual`. Cases with an expectation are final in their shard.
import { type Cell, caseKey, cellKey } from '../model/cell.js';
import { judge, type Judgement } from '../model/judge.js';
import { HOST_STATUSES } from '../model/status.js';

const VERDICT_FIELDS = ['status', 'reason', 'oracle', 'referenceCell', 'expectedTrap', 'expected', 'actual'] as const;

/** Cells whose status the oracle never touches (host failures, skips). */
const UNJUDGED = new Set<Cell['status']>(HOST_STATUSES);

function withJudgement(cell: Cell, j: Judgement, referenceCell?: string): Cell {
  const { status: _s, reason: _r, oracle: _o, referenceCell: _rc, expectedTrap: _e, expected: _x, actual: _a, ...kept } = cell;
  const next: Cell = { ...kept, status: j.status, oracle: j.oracle };
  if (j.reason) next.reason = j.reason;
  if (referenceCell) next.referenceCell = referenceCell;
  if (j.expectedTrap !== undefined) next.expectedTrap = j.expectedTrap;
  if (j.expected) next.expected = j.expected;
  if (j.actual) next.actual = j.actual;
  return next;
}

/**
 * Judges every compare-only case again over the merged cells. `newest` is the
 * newest runtime of the run; `flavorOrder` the run's flavor order.
 * Returns the cells in the same order, with the number that changed.
 */
export function rejudgeCompareOnly(cells: Cell[], newest: string | undefined, flavorOrder: string[]): { cells: Cell[]; changed: number } {
  const byCase = new Map<string, Cell[]>();
  for (const cell of cells) {
    const key = caseKey(cell);
    const group = byCase.get(key);
    if (group) group.push(cell);
    else byCase.set(key, [cell]);
  }
  const replaced = new Map<Cell, Cell>();
  const rank = (flavor: string) => {
    const i = flavorOrder.indexOf(flavor);
    return i < 0 ? flavorOrder.length : i;
  };
  for (const group of byCase.values()) {
    // A case with an expectation has oracle `expectation` on every judged cell. A
    // `mismatch` without an oracle comes from no judge (a bad external spec): leave it.
    if (group.some((c) => c.oracle === 'expectation' || (c.status === 'mismatch' && c.oracle !== 'reference'))) continue;
    const judged = group.filter((c) => !UNJUDGED.has(c.status) && c.actual);
    if (judged.length === 0) continue;
    const reference = judged.filter((c) => c.runtime === newest).sort((a, b) => rank(a.flavor) - rank(b.flavor))[0];
    for (const cell of judged) {
      // The recorded `actual` is the observation itself: judged again as it stands.
      const observation = { observed: cell.actual! };
      const next =
        !reference || reference === cell
          ? withJudgement(cell, judge(observation, { kind: 'none' }))
          : withJudgement(cell, judge(observation, { kind: 'reference', reference: reference.actual! }), cellKey(reference));
      replaced.set(cell, next);
    }
  }
  let changed = 0;
  const out = cells.map((c) => {
    const next = replaced.get(c);
    if (!next) return c;
    if (VERDICT_FIELDS.some((f) => JSON.stringify(next[f]) !== JSON.stringify(c[f]))) changed++;
    return next;
  });
  return { cells: out, changed };
}
