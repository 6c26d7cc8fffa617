// Placeholder replaced when the csharp-native runner lands.
import type { RawResult } from '../compare/observe.js';
import type { PlannedCell } from './plan.js';

export async function runNativeCells(cells: PlannedCell[], done: (cell: PlannedCell, raw: RawResult) => void): Promise<void> {
  for (const cell of cells) done(cell, { status: 'error', phase: 'load', message: 'native runner not wired yet' });
}
