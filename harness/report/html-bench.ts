// Bar charts of median time per call, per case, by flavor and runtime, from
// a bench report's section (bench/schema.ts, validated with the report).
import type { BenchCell as AnyBenchCell, BenchData } from '../bench/schema.js';
import { caseKey, cellKey } from '../model/cell.js';
import { LABEL_FONT_PX, esc, px, textWidth } from './html-util.js';

/** A bench cell with times (status ok). */
type BenchCell = AnyBenchCell & { perCall: NonNullable<AnyBenchCell['perCall']> };

const BAR_H = 16;
const BAR_GAP = 4;
const FLAVOR_GAP = 8;
const PLOT_W = 420;
const VALUE_W = 80;
const RUNTIME_COLORS = ['#0969da', '#bf8700', '#8250df', '#1a7f37', '#cf222e', '#57606a'];

/** A duration in ns with its unit, three significant digits. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(ns < 10 ? 2 : 0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toPrecision(3)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toPrecision(3)} ms`;
  return `${(ns / 1_000_000_000).toPrecision(3)} s`;
}

function caseChart(title: string, cells: BenchCell[], runtimeColor: (r: string) => string): string {
  const labels = cells.map((c) => `${c.flavor} · ${c.runtime}`);
  const left = Math.max(...labels.map(textWidth)) + 12;
  const max = Math.max(...cells.map((c) => c.perCall.medianNs), 1e-9);
  const parts: string[] = [];
  let y = 4;
  cells.forEach((c, i) => {
    const prev = cells[i - 1];
    if (prev && prev.flavor !== c.flavor) y += FLAVOR_GAP;
    const w = Math.max(1, (c.perCall.medianNs / max) * PLOT_W);
    const value = formatNs(c.perCall.medianNs);
    const key = cellKey(c);
    const t = c.perCall.typical;
    const typical = t ? `; typical ${formatNs(t.ns)} (${Math.round(t.confidence * 100)}% CI ${formatNs(t.low)} to ${formatNs(t.high)})` : '';
    parts.push(
      `<text x="${px(left - 8)}" y="${px(y + BAR_H - 4)}" text-anchor="end">${esc(labels[i] ?? '')}</text>`,
      `<rect x="${px(left)}" y="${px(y)}" width="${px(w)}" height="${BAR_H}" fill="${runtimeColor(c.runtime)}" data-bench="${esc(key)}">` +
        `<title>${esc(`${key}: median ${value} per call${typical}`)}</title></rect>`,
      `<text x="${px(left + w + 6)}" y="${px(y + BAR_H - 4)}">${esc(value)}</text>`,
    );
    y += BAR_H + BAR_GAP;
  });
  const width = left + PLOT_W + VALUE_W;
  const height = y + 4;
  parts.push(`<line x1="${px(left)}" y1="0" x2="${px(left)}" y2="${px(height)}" stroke="#57606a"/>`);
  return (
    `<figure class="bench"><figcaption>${esc(title)}: median time per call</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}"` +
    ` font-size="${LABEL_FONT_PX}" role="img" aria-label="${esc(`median time per call of ${title}`)}">${parts.join('')}</svg></figure>`
  );
}

/**
 * The benchmark section, or '' when no cell was timed. Bars follow the
 * report's flavor and runtime order.
 */
export function benchSection(bench: BenchData, flavorOrder: readonly string[], runtimeOrder: readonly string[]): string {
  const cells = bench.cells.filter((c): c is BenchCell => c.perCall !== undefined);
  if (!cells.length) return '';
  const rank = (list: readonly string[], id: string) => {
    const i = list.indexOf(id);
    return i < 0 ? list.length : i;
  };
  const runtimes = [...new Set([...runtimeOrder, ...cells.map((c) => c.runtime)])];
  const runtimeColor = (r: string) => RUNTIME_COLORS[rank(runtimes, r) % RUNTIME_COLORS.length] ?? '#57606a';

  const byCase = new Map<string, BenchCell[]>();
  for (const c of cells) {
    const title = caseKey(c);
    const list = byCase.get(title);
    if (list) list.push(c);
    else byCase.set(title, [c]);
  }
  const charts = [...byCase].map(([title, list]) =>
    caseChart(
      title,
      list.sort((a, b) => rank(flavorOrder, a.flavor) - rank(flavorOrder, b.flavor) || a.flavor.localeCompare(b.flavor) || rank(runtimes, a.runtime) - rank(runtimes, b.runtime)),
      runtimeColor,
    ),
  );
  const skipped = bench.cells.length - cells.length;
  const note = skipped ? `<p class="note">${skipped} bench entries without a median per call are not drawn.</p>` : '';
  const legend = runtimes
    .filter((r) => cells.some((c) => c.runtime === r))
    .map((r) => `<li><span class="swatch" style="background:${runtimeColor(r)}"></span>${esc(r)}</li>`)
    .join('');
  return `<section id="bench"><h2>Benchmarks</h2><ul class="legend">${legend}</ul>${note}<div class="charts">${charts.join('')}</div></section>`;
}
