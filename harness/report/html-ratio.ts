// Ratio plots of a bench report (inline SVG, drawn here, no script): each
// comparison table (flavor against flavor on each runtime, runtime against
// runtime per flavor, and now against the baseline) as one plot with a row per
// case: the ratio as a point, its 99% interval as a whisker, a line at 1.0 on a
// log scale, significant rows marked (filled point, bold label, `*`),
// regressions and improvements against the baseline in their own colours.
// Ratios of instruction counts are exact: a point without a whisker.
import type { BenchData } from '../bench/schema.js';
import { esc, LABEL_FONT_PX, px, textWidth } from './html-util.js';

/** One row of a ratio plot. */
export interface RatioRow {
  label: string;
  ratio: number;
  /** The interval; absent for an exact ratio (instruction counts). */
  low?: number;
  high?: number;
  significant: boolean;
  /** Against a baseline: its verdict, drawn in its own colour. */
  verdict?: 'regression' | 'improvement' | 'same';
  title: string;
}

const ROW_H = 20;
const PLOT_W = 360;
const TOP = 22;
const COLORS = { plain: '#0969da', regression: '#cf222e', improvement: '#1a7f37', one: '#57606a' };

/** The log-scale domain of a plot: every point and whisker, and 1. */
function domain(rows: RatioRow[]): [number, number] {
  const values = rows.flatMap((r) => [r.ratio, r.low ?? r.ratio, r.high ?? r.ratio]).filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.min(1, ...values) / 1.15;
  const hi = Math.max(1, ...values) * 1.15;
  return [lo, hi];
}

const TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

/** One ratio plot; `caption` names the comparison. */
export function ratioPlot(caption: string, rows: RatioRow[], id: string): string {
  if (!rows.length) return '';
  const left = Math.min(360, Math.max(...rows.map((r) => textWidth(r.label))) + 24);
  const [lo, hi] = domain(rows);
  const x = (v: number) => left + ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * PLOT_W;
  const height = TOP + rows.length * ROW_H + 8;
  const width = left + PLOT_W + 90;
  const parts: string[] = [];
  for (const t of TICKS.filter((t) => t >= lo && t <= hi)) {
    parts.push(`<line x1="${px(x(t))}" y1="${TOP - 4}" x2="${px(x(t))}" y2="${px(height - 6)}" stroke="#d0d7de" stroke-dasharray="2 3"/>`, `<text x="${px(x(t))}" y="${TOP - 8}" text-anchor="middle" fill="#57606a">${t}</text>`);
  }
  parts.push(`<line class="one" x1="${px(x(1))}" y1="${TOP - 4}" x2="${px(x(1))}" y2="${px(height - 6)}" stroke="${COLORS.one}" stroke-width="1.5"/>`);
  rows.forEach((r, i) => {
    const y = TOP + i * ROW_H + ROW_H / 2;
    const color = r.verdict === 'regression' ? COLORS.regression : r.verdict === 'improvement' ? COLORS.improvement : COLORS.plain;
    const row: string[] = [];
    row.push(`<text x="${px(left - 10)}" y="${px(y + 4)}" text-anchor="end"${r.significant ? ' font-weight="bold"' : ''}>${esc(r.label)}${r.significant ? ' *' : ''}</text>`);
    if (r.low !== undefined && r.high !== undefined) {
      const [a, b] = [x(Math.max(r.low, lo)), x(Math.min(r.high, hi))];
      row.push(
        `<line class="whisker" x1="${px(a)}" y1="${px(y)}" x2="${px(b)}" y2="${px(y)}" stroke="${color}" stroke-width="2"/>`,
        `<line x1="${px(a)}" y1="${px(y - 4)}" x2="${px(a)}" y2="${px(y + 4)}" stroke="${color}"/>`,
        `<line x1="${px(b)}" y1="${px(y - 4)}" x2="${px(b)}" y2="${px(y + 4)}" stroke="${color}"/>`,
      );
    }
    row.push(`<circle class="point" cx="${px(x(r.ratio))}" cy="${px(y)}" r="4.5" fill="${r.significant ? color : '#ffffff'}" stroke="${color}" stroke-width="2"/>`);
    // An exact ratio (counts) with four decimals: a 0.01% change is real there.
    const shown = r.low === undefined ? r.ratio.toFixed(4) : r.ratio.toPrecision(3);
    row.push(`<text x="${px(left + PLOT_W + 10)}" y="${px(y + 4)}" fill="${color}">${esc(shown)}</text>`);
    parts.push(
      `<g class="ratio-row" data-ratio-row="${esc(r.label)}" data-significant="${r.significant}"${r.verdict ? ` data-verdict="${r.verdict}"` : ''}><title>${esc(r.title)}</title>${row.join('')}</g>`,
    );
  });
  return (
    `<figure class="ratio" id="${esc(id)}"><figcaption>${esc(caption)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-size="${LABEL_FONT_PX}" role="img" aria-label="${esc(caption)}">${parts.join('')}</svg></figure>`
  );
}

const group = <T>(items: T[], keyOf: (t: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(keyOf(item), [...(out.get(keyOf(item)) ?? []), item]);
  return out;
};

/** Every ratio plot of a bench report: time ratios with intervals, then instruction-count ratios, then the baseline. */
export function ratioPlots(bench: BenchData): string {
  const figures: string[] = [];
  let n = 0;
  const timed = bench.comparisons.filter((c) => c.phase === 'perCall' && c.interval);
  for (const [title, list] of group(timed, (c) => (c.kind === 'flavor' ? `${c.candidate} against ${c.reference}` : `flavor ${c.on}: runtime against runtime`))) {
    const rows = list.map((c) => {
      const i = c.interval!;
      const label = c.kind === 'flavor' ? `${c.suite}/${c.case} · ${c.on}` : `${c.suite}/${c.case} · ${c.candidate} / ${c.reference}`;
      return { label, ratio: i.ratio, low: i.low, high: i.high, significant: i.significant, title: `${label}: time per call ${i.ratio.toPrecision(3)}x (${Math.round(i.confidence * 100)}% CI ${i.low.toPrecision(3)} to ${i.high.toPrecision(3)})${i.significant ? ', significant' : ''}` };
    });
    figures.push(ratioPlot(`${title}: time per call, candidate / reference, 99% interval`, rows, `ratio-${n++}`));
  }
  const counted = (bench.instructionComparisons ?? []).filter((c) => c.phase === 'perCall' && c.ratio !== undefined);
  for (const [title, list] of group(counted, (c) => (c.kind === 'flavor' ? `${c.candidate} against ${c.reference}` : `flavor ${c.on}: runtime against runtime`))) {
    const rows = list.map((c) => {
      const label = c.kind === 'flavor' ? `${c.suite}/${c.case} · ${c.on}` : `${c.suite}/${c.case} · ${c.candidate} / ${c.reference}`;
      return { label, ratio: c.ratio!, significant: c.ratio !== 1, title: `${label}: instructions per call ${c.ratio!.toFixed(4)}x (exact counts)` };
    });
    figures.push(ratioPlot(`${title}: instructions per call, candidate / reference (exact)`, rows, `ratio-${n++}`));
  }
  const base = bench.baseline;
  if (base) {
    const rows: RatioRow[] = base.rows
      .filter((r) => r.interval)
      .map((r) => ({
        label: r.key,
        ratio: r.interval!.ratio,
        low: r.interval!.low,
        high: r.interval!.high,
        significant: r.interval!.significant,
        verdict: r.verdict === 'not-compared' ? 'same' : r.verdict,
        title: `${r.key}: now / baseline ${r.interval!.ratio.toPrecision(3)} (99% CI ${r.interval!.low.toPrecision(3)} to ${r.interval!.high.toPrecision(3)}): ${r.verdict}`,
      }));
    figures.push(ratioPlot(`Against the baseline ${base.file}: time per call, now / baseline (regression beyond ${base.thresholdPct}%)`, rows, `ratio-${n++}`));
    const gate = base.instructions;
    if (gate) {
      const countRows: RatioRow[] = gate.rows.flatMap((r) => {
        const p = r.phases.find((x) => x.phase === 'perCall');
        if (!p) return [];
        const verdict = p.verdict === 'not-gated' ? 'same' : p.verdict;
        return [{ label: r.key, ratio: p.ratio, significant: p.verdict === 'regression' || p.verdict === 'improvement', verdict, title: `${r.key}: instructions per call now / baseline ${p.ratio.toFixed(4)}: ${r.verdict}` }];
      });
      figures.push(ratioPlot(`Against the baseline: instructions per call, now / baseline (regression beyond ${gate.thresholdPct}%)`, countRows, `ratio-${n++}`));
    }
  }
  const drawn = figures.filter(Boolean);
  if (!drawn.length) return '';
  return (
    `<section id="ratios"><h2>Ratios</h2><p class="note">Each row: the ratio as a point, its 99% interval as a whisker (none for exact instruction counts), the line at 1.0; ` +
    `significant rows (interval excludes 1) are bold with a filled point and <b>*</b>; against a baseline, <span style="color:${COLORS.regression}">regressions</span> and ` +
    `<span style="color:${COLORS.improvement}">improvements</span> have their own colours. Log scale.</p>${drawn.join('')}</section>`
  );
}
