// Turning raw results into judged cells as soon as their oracle is known:
// at once for cases with an expectation, and for compare-only cases when the
// reference cell (first usable flavor, in flavor order, on the newest
// runtime) has its result.
import type { CaseSpec, FlavorId } from '../config/suite.js';
import { judgeAgainstExpectation, judgeAgainstReference, judgeReference } from '../compare/judge.js';
import { observe, type RawResult } from '../compare/observe.js';
import { type Cell, caseKey as caseKeyOf } from '../model/cell.js';
import { buildFailed, cellOf as judgedCell, type Judgement, notRun } from '../model/judge.js';
import type { PlannedCell } from './plan.js';

/** A cell whose call finished (or that never ran), waiting to be judged. */
export interface Finished {
  planned: PlannedCell;
  raw?: RawResult;
  extra?: Partial<Cell>;
}

/** Judges cells as their oracle becomes known and emits them. */
export class Finalizer {
  private readonly raws = new Map<string, Finished>();
  private readonly waiting = new Map<string, Finished[]>();
  /** Per case: flavors whose newest-runtime cell can serve as reference, in order. */
  private readonly candidates = new Map<string, PlannedCell[]>();

  constructor(
    cells: PlannedCell[],
    private readonly newest: string | undefined,
    flavorOrder: FlavorId[],
    private readonly emit: (cell: Cell) => void,
    /**
     * Called for a compare-only cell that has to wait for its reference cell:
     * the cell judged on its own (oracle none), so a run killed before the
     * reference finishes still has it. The final cell follows through emit.
     */
    private readonly provisional?: (cell: Cell) => void,
  ) {
    for (const c of cells) {
      if (c.runtime !== newest || c.skip || c.unsupported) continue;
      const key = caseKey(c);
      const list = this.candidates.get(key) ?? [];
      list.push(c);
      this.candidates.set(key, list);
    }
    for (const list of this.candidates.values()) list.sort((a, b) => flavorOrder.indexOf(a.flavor) - flavorOrder.indexOf(b.flavor));
  }

  /** Records a finished call (or a skipped cell) and emits every cell it settles. */
  add(done: Finished): void {
    const { planned } = done;
    if (planned.skip !== undefined || planned.unsupported !== undefined || !done.raw) {
      const j =
        planned.buildFailure !== undefined
          ? buildFailed(planned.buildFailure)
          : planned.skip !== undefined
            ? notRun('skipped', planned.skip)
            : notRun('unsupported', planned.unsupported ?? 'not run');
      this.emit(toCell(planned, j, done.extra));
      return;
    }
    // Only a reference candidate's result is looked up later; keeping every
    // cell's output would hold the whole run's outputs in memory.
    if (planned.runtime === this.newest) this.raws.set(planned.key, done);
    if (planned.testCase.expect) {
      this.emit(toCell(planned, judgeAgainstExpectation(planned.testCase, done.raw), done.extra));
      return;
    }
    const key = caseKey(planned);
    const queue = this.waiting.get(key) ?? [];
    queue.push(done);
    this.waiting.set(key, queue);
    this.settle(key, planned.testCase);
    if (this.provisional && this.waiting.get(key)?.length) {
      const own = judgeReference(planned.testCase, done.raw);
      this.provisional(toCell(planned, { ...own, reason: `not compared yet: waiting for the reference cell${own.reason ? `; ${own.reason}` : ''}` }, done.extra));
    }
  }

  /** Cells still waiting for a reference that never came (an interrupted run). */
  pending(): number {
    let n = 0;
    for (const q of this.waiting.values()) n += q.length;
    return n;
  }

  private reference(key: string): Finished | null | undefined {
    for (const candidate of this.candidates.get(key) ?? []) {
      const done = this.raws.get(candidate.key);
      if (!done?.raw) return undefined; // not run yet: wait
      const s = done.raw.status;
      if (s !== 'crash' && s !== 'hang' && !(s === 'error' && (done.raw.phase === 'load' || done.raw.phase === 'instantiate'))) return done;
    }
    return null; // no usable reference at all
  }

  private settle(key: string, testCase: CaseSpec): void {
    const reference = this.reference(key);
    if (reference === undefined) return;
    const queue = this.waiting.get(key) ?? [];
    this.waiting.set(key, []);
    for (const done of queue) {
      const raw = done.raw!;
      let judgement: Judgement;
      if (!reference || reference.planned.key === done.planned.key) judgement = judgeReference(testCase, raw);
      else judgement = judgeAgainstReference(testCase, raw, observe(reference.raw!, testCase.call));
      const extra = { ...done.extra, ...(reference && reference.planned.key !== done.planned.key ? { referenceCell: reference.planned.key } : {}) };
      this.emit(toCell(done.planned, judgement, extra));
    }
  }
}

const caseKey = (c: PlannedCell): string => caseKeyOf({ suite: c.suite.name, case: c.testCase.name });

function toCell(planned: PlannedCell, j: Judgement, extra?: Partial<Cell>): Cell {
  const coordinates = { suite: planned.suite.name, case: planned.testCase.name, flavor: planned.flavor, runtime: planned.runtime };
  return judgedCell(coordinates, j, { ...extra, ...(planned.build?.status === 'built' ? { artifactHash: planned.build.artifact.hash } : {}) });
}
