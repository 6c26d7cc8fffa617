// The status heat map of one suite: cases down, (flavor, runtime) across,
// one <rect> per cell with its key, status and a tooltip.
import type { Column, SuiteGrid } from './matrix.js';
import { statusText } from './observed.js';
import { cellKey } from '../model/cell.js';
import { SHOWN_STATUSES, STATUS_STYLE, isProblem, outcome, shownStatus } from './status.js';
import { LABEL_FONT_PX, esc, fitLabel, px, textWidth } from './html-util.js';

const CELL_H = 18;
const MIN_CELL_W = 20;
const GAP = 2;
const FLAVOR_GAP = 10;
const MAX_CASE_CHARS = 40;

interface FlavorGroup {
  flavor: string;
  columns: Column[];
  x: number;
  width: number;
}

/** Columns come sorted by flavor, so each flavor's runtimes are contiguous. */
function flavorGroups(columns: Column[], left: number): FlavorGroup[] {
  const groups: FlavorGroup[] = [];
  for (const col of columns) {
    const last = groups[groups.length - 1];
    if (last && last.flavor === col.flavor) last.columns.push(col);
    else groups.push({ flavor: col.flavor, columns: [col], x: 0, width: 0 });
  }
  let x = left;
  for (const g of groups) {
    g.x = x;
    g.width = Math.max(g.columns.length * (MIN_CELL_W + GAP), textWidth(g.flavor) + 8);
    x += g.width + FLAVOR_GAP;
  }
  return groups;
}

/**
 * @param anchors cell key -> id of its entry in the differences table, so a
 *   click on a failing cell jumps to expected vs actual.
 */
export function heatmapSvg(grid: SuiteGrid, anchors: ReadonlyMap<string, string>): string {
  // Loops, not Math.max(...list): a spread of a very long list overflows the stack.
  let longestCase = 4;
  for (const c of grid.cases) if (c.length > longestCase) longestCase = c.length;
  const caseChars = Math.min(MAX_CASE_CHARS, longestCase);
  const left = textWidth('x'.repeat(caseChars)) + 12;
  let runtimeLabelH = 0;
  for (const c of grid.columns) runtimeLabelH = Math.max(runtimeLabelH, textWidth(c.runtime));
  runtimeLabelH += 8;
  const top = 20 + runtimeLabelH;
  const groups = flavorGroups(grid.columns, left);
  const last = groups[groups.length - 1];
  const width = last ? last.x + last.width + 4 : left;
  const height = top + grid.cases.length * (CELL_H + GAP) + 4;

  const parts: string[] = [];
  for (const g of groups) {
    const cellW = g.width / g.columns.length;
    parts.push(`<text class="flavor" x="${px(g.x + g.width / 2)}" y="14" text-anchor="middle">${esc(g.flavor)}</text>`);
    g.columns.forEach((col, i) => {
      const cx = g.x + i * cellW + cellW / 2 + 4;
      const y = top - 6;
      parts.push(`<text class="runtime" x="${px(cx)}" y="${px(y)}" transform="rotate(-90 ${px(cx)} ${px(y)})">${esc(col.runtime)}</text>`);
      grid.cases.forEach((name, row) => {
        const cell = grid.at(name, col);
        if (!cell) return;
        const key = cellKey(cell);
        const shown = shownStatus(cell);
        const tip = `${key}: ${statusText(cell)}${cell.reason ? ` — ${cell.reason}` : ''}`;
        const rect =
          `<rect x="${px(g.x + i * cellW)}" y="${px(top + row * (CELL_H + GAP))}" width="${px(cellW - GAP)}" height="${CELL_H}"` +
          ` fill="${STATUS_STYLE[shown].color}" data-cell="${esc(key)}" data-status="${cell.status}"` +
          ` data-outcome="${outcome(cell)}"><title>${esc(tip)}</title></rect>`;
        const anchor = isProblem(cell) ? anchors.get(key) : undefined;
        parts.push(anchor ? `<a href="#${esc(anchor)}">${rect}</a>` : rect);
      });
    });
  }
  grid.cases.forEach((name, row) => {
    const y = top + row * (CELL_H + GAP) + CELL_H / 2 + 4;
    parts.push(`<text class="case" x="${px(left - 8)}" y="${px(y)}" text-anchor="end"><title>${esc(name)}</title>${esc(fitLabel(name, caseChars))}</text>`);
  });
  return (
    `<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}"` +
    ` viewBox="0 0 ${px(width)} ${px(height)}" font-size="${LABEL_FONT_PX}" role="img"` +
    ` aria-label="${esc(`status of every cell of suite ${grid.suite}`)}">${parts.join('')}</svg>`
  );
}

/** The colour key, as HTML so it wraps on narrow screens. */
export function heatmapLegend(): string {
  const items = SHOWN_STATUSES.map(
    (s) => `<li><span class="swatch" style="background:${STATUS_STYLE[s].color}"></span>${esc(STATUS_STYLE[s].label)}</li>`,
  );
  return `<ul class="legend">${items.join('')}<li><span class="swatch none"></span>no cell</li></ul>`;
}
