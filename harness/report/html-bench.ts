// Bar charts of median time per call, per case, by flavor and runtime, from
// a bench report's section (bench/schema.ts, validated with the report).
import type { BenchCell as AnyBenchCell, BenchData } from '../bench/schema.js';
import { caseKey, cellKey } from '../model/cell.js';
import { LABEL_FONT_PX, esc, px, textWidth } from './html-util.js';
import { countMethod, formatCount } from './counts.js';
import { ratioPlots } from './html-ratio.js';

/** A bench cell with times (status ok). */
type BenchCell = AnyBenchCell & { perCall: NonNullable<AnyBenchCell['perCall']> };

const BAR_H = 16;
const BAR_GAP = 4;
const FLAVOR_GAP = 8;
const PLOT_W = 420;
const VALUE_W = 200;
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
  // The bar is the typical time per call (the unit of every ratio), the whisker its 99% interval; the median when there is no interval.
  const barNs = (c: BenchCell) => c.perCall.typical?.ns ?? c.perCall.medianNs;
  const max = Math.max(...cells.map((c) => c.perCall.typical?.high ?? barNs(c)), 1e-9);
  const parts: string[] = [];
  let y = 4;
  cells.forEach((c, i) => {
    const prev = cells[i - 1];
    if (prev && prev.flavor !== c.flavor) y += FLAVOR_GAP;
    const w = Math.max(1, (barNs(c) / max) * PLOT_W);
    const value = formatNs(barNs(c));
    const key = cellKey(c);
    const t = c.perCall.typical;
    const typical = t ? `; typical ${formatNs(t.ns)} (${Math.round(t.confidence * 100)}% CI ${formatNs(t.low)} to ${formatNs(t.high)})` : '';
    const count = c.instructions?.phases?.perCall;
    const countText = count ? ` · ${formatCount(count.perCall)} instr` : '';
    parts.push(
      `<text x="${px(left - 8)}" y="${px(y + BAR_H - 4)}" text-anchor="end">${esc(labels[i] ?? '')}</text>`,
      `<rect x="${px(left)}" y="${px(y)}" width="${px(w)}" height="${BAR_H}" fill="${runtimeColor(c.runtime)}" data-bench="${esc(key)}">` +
        `<title>${esc(`${key}: median ${formatNs(c.perCall.medianNs)} per call${typical}${countText}`)}</title></rect>`,
    );
    let end = left + w;
    if (t) {
      const [a, b] = [left + (t.low / max) * PLOT_W, left + (t.high / max) * PLOT_W];
      const mid = y + BAR_H / 2;
      parts.push(
        `<g class="whisker" data-whisker="${esc(key)}" stroke="#24292f"><line x1="${px(a)}" y1="${px(mid)}" x2="${px(b)}" y2="${px(mid)}"/>` +
          `<line x1="${px(a)}" y1="${px(mid - 4)}" x2="${px(a)}" y2="${px(mid + 4)}"/><line x1="${px(b)}" y1="${px(mid - 4)}" x2="${px(b)}" y2="${px(mid + 4)}"/></g>`,
      );
      end = Math.max(end, b);
    }
    parts.push(`<text x="${px(end + 6)}" y="${px(y + BAR_H - 4)}"${count ? ` data-count="${esc(key)}"` : ''}>${esc(value + countText)}</text>`);
    y += BAR_H + BAR_GAP;
  });
  const width = left + PLOT_W + VALUE_W;
  const height = y + 4;
  parts.push(`<line x1="${px(left)}" y1="0" x2="${px(left)}" y2="${px(height)}" stroke="#57606a"/>`);
  return (
    `<figure class="bench"><figcaption>${esc(title)}: typical time per call, 99% interval as whiskers</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}"` +
    ` font-size="${LABEL_FONT_PX}" role="img" aria-label="${esc(`median time per call of ${title}`)}">${parts.join('')}</svg></figure>`
  );
}

/**
 * The benchmark section, or '' when no cell was timed. Bars follow the
 * report's flavor and runtime order.
 */
export function benchSection(bench: BenchData, flavorOrder: readonly string[], runtimeOrder: readonly string[]): string {
  return timeSection(bench, flavorOrder, runtimeOrder) + countSection(bench) + ratioPlots(bench);
}

/** Instruction counts per cell and phase, with the method, when the bench counted them. */
function countSection(bench: BenchData): string {
  if (!bench.instructionMethod) return '';
  const counted = bench.cells.filter((c) => c.instructions);
  const phases = ['perCall', 'firstCall', 'compile', 'instantiate'] as const;
  const rows = counted.map((c) => {
    const p = c.instructions!.phases;
    const cellsHtml = phases.map((ph) => `<td class="num">${p?.[ph] ? esc(formatCount(p[ph]!.perCall)) : '—'}</td>`).join('');
    const exact = p ? (c.instructions!.nondeterministic?.length ? `no: ${c.instructions!.nondeterministic.join(', ')}` : 'yes') : (c.reason ?? '').split('\n')[0]!.slice(0, 160);
    return `<tr data-count="${esc(c.key)}"><td><code>${esc(c.key)}</code></td><td>${esc(c.status + (c.trap ? ` ${c.trap}` : ''))}</td>${cellsHtml}<td class="num">${p?.perCall ? p.perCall.calls : ''}</td><td>${esc(exact)}</td></tr>`;
  });
  return (
    `<section id="instructions"><h2>Instruction counts</h2><p class="note">${esc(countMethod(bench))}</p>` +
    `<table><thead><tr><th>cell</th><th>status</th><th>per call</th><th>first call</th><th>compile</th><th>instantiate</th><th>calls</th><th>exact</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

function timeSection(bench: BenchData, flavorOrder: readonly string[], runtimeOrder: readonly string[]): string {
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
