// report.html: one self-contained page (inline CSS, inline SVG, no script, a
// Content-Security-Policy that forbids every fetch) so it can be opened from
// a CI artifact anywhere, offline.
import { cutoverSection } from './html-cutover.js';
import { benchSection } from './html-bench.js';
import { heatmapLegend, heatmapSvg } from './html-heatmap.js';
import { esc } from './html-util.js';
import { cellsByKey, differences, skipGroups, skipScope, suiteGrids, type Difference } from './matrix.js';
import { clip, compareRows, guestTails, oracleText, statusText } from './observed.js';
import { cellKey, type Report } from './schema.js';
import { SHOWN_STATUSES, STATUS_STYLE, countShown, shownStatus, verdict } from './status.js';
import { DETAIL_CELL_LIMIT, HTML_DETAILED_DIFFERENCES, HTML_LISTED_DIFFERENCES, aggregateBySuite, allColumns, columnId, detailedSuites, isLarge } from './scale.js';

const MAX_VALUE_CHARS = 5000;

const CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bad: #d1242f; --good: #1a7f37; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 24px; max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
code, pre, svg text { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; font-size: 12px; }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.verdict { display: inline-block; padding: 4px 10px; border-radius: 6px; color: #fff; font-weight: 600; }
.verdict.ok { background: var(--good); } .verdict.fail { background: var(--bad); } .verdict.partial { background: #9a6700; }
.meta, .note { color: var(--muted); }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0; }
.legend li, .counts li { display: inline-flex; align-items: center; gap: 5px; }
.counts { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; border: 1px solid #0002; }
.swatch.none { background: #fff; }
.scroll { overflow-x: auto; }
svg text { fill: var(--fg); } svg text.flavor { font-weight: 600; } svg text.runtime { fill: var(--muted); }
rect[data-cell]:hover { stroke: #000; stroke-width: 2; }
tr.differs td { background: #fff0ee; }
tbody.diff:target td { outline: 2px solid #0969da; }
.warn { background: #fff8c5; border: 1px solid #d4a72c; padding: 8px 12px; border-radius: 6px; }
figure.bench { margin: 12px 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
table.aggregate td.agg { text-align: center; color: #fff; font-variant-numeric: tabular-nums; text-shadow: 0 0 2px #0008; }
table.aggregate td.agg.none { background: #fff; color: var(--muted); text-shadow: none; }
tr:target td { outline: 2px solid #0969da; }
`;

function summary(report: Report): string {
  const v = verdict(report);
  const cls = v.exitCode === 0 ? 'ok' : v.exitCode === 130 ? 'partial' : 'fail';
  const counts = countShown(report.cells);
  const chips = SHOWN_STATUSES.filter((s) => counts.has(s)).map(
    (s) => `<li><span class="swatch" style="background:${STATUS_STYLE[s].color}"></span>${counts.get(s)} ${esc(STATUS_STYLE[s].label)}</li>`,
  );
  const h = report.host;
  const meta = [`started ${report.startedAt}`];
  if (report.finishedAt) meta.push(`finished ${report.finishedAt}`);
  if (report.shard) meta.push(`shard ${report.shard.index}/${report.shard.count}`);
  meta.push(`host ${h.platform}/${h.arch}, node ${h.node}, ${h.cpus} CPUs`);
  const incomplete = report.complete
    ? ''
    : `<p class="warn">Incomplete report (${esc(report.interrupted ? `interrupted: ${report.interrupted}` : 'the run had not finished')}); it holds the ${report.cells.length} cells that finished.</p>`;
  const inputs = (report.inputErrors ?? []).map((e) => `<p class="warn">Left out, unusable input: ${esc(e)}</p>`).join('');
  const cut = report.cells.filter((c) => c.actual?.stdoutTruncated || c.actual?.stderrTruncated);
  const cutNote = cut.length ? `<p class="warn">Output cut at the capture cap in ${cut.length} cell${cut.length === 1 ? '' : 's'}: ${esc(cut.map((c) => cellKey(c)).join(', '))}</p>` : '';
  return (
    `<header><h1>wasm-matrix ${esc(report.kind)} report</h1>` +
    `<p><span class="verdict ${cls}">exit ${v.exitCode}: ${esc(v.summary)}</span></p>` +
    `<p>${report.cells.length} cells</p><ul class="counts">${chips.join('')}</ul>` +
    `<p class="meta">${esc(meta.join(' · '))}</p>${incomplete}${inputs}${cutNote}</header>`
  );
}

function baseline(report: Report): string {
  const base = report.baseline;
  if (!base) return '';
  const byKey = cellsByKey(report);
  const rows = base.newlyFailing.slice(0, HTML_LISTED_DIFFERENCES).map((key) => {
    const cell = byKey.get(key);
    const now = cell ? statusText(cell) : 'missing from this report';
    return `<tr><td><code>${esc(key)}</code></td><td>${esc(now)}</td><td>${esc(cell?.reason ?? '')}</td></tr>`;
  });
  const fixed = base.fixed.slice(0, HTML_LISTED_DIFFERENCES).map((key) => `<li><code>${esc(key)}</code></li>`);
  const more = (all: number, shown: number) => (all > shown ? `<p class="note">… and ${all - shown} more; report.json lists every one.</p>` : '');
  return (
    `<section id="baseline"><h2>Against the baseline <code>${esc(base.file)}</code></h2>` +
    `<h3>Newly failing: ${base.newlyFailing.length}</h3>` +
    (rows.length ? `<table><thead><tr><th>cell</th><th>now</th><th>reason</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '') +
    more(base.newlyFailing.length, rows.length) +
    `<h3>Fixed: ${base.fixed.length}</h3>${fixed.length ? `<ul>${fixed.join('')}</ul>` : ''}${more(base.fixed.length, fixed.length)}</section>`
  );
}

function setup(report: Report): string {
  const runtimes = report.runtimes.map(
    (r) =>
      `<tr><td><code>${esc(r.id)}</code></td><td>${esc(r.wasmtimeVersion)}</td><td><code>${esc(r.compatibilityHash?.slice(0, 16) ?? '')}</code></td><td>${esc(r.error ?? 'ok')}</td></tr>`,
  );
  const flavors = report.flavors.map((f) => {
    const versions = Object.entries(f.versions).map(([tool, version]) => `${tool} ${version}`).join(', ');
    return `<tr><td><code>${esc(f.id)}</code></td><td>${f.available ? 'yes' : 'no'}</td><td>${esc(f.available ? versions : (f.reason ?? 'unavailable'))}</td></tr>`;
  });
  return (
    `<section id="setup"><h2>Runtimes and flavors</h2>` +
    `<table><thead><tr><th>runtime</th><th>Wasmtime</th><th>compatibility hash</th><th>state</th></tr></thead><tbody>${runtimes.join('')}</tbody></table>` +
    `<table><thead><tr><th>flavor</th><th>available</th><th>toolchain versions, or why not</th></tr></thead><tbody>${flavors.join('')}</tbody></table>` +
    `${artifacts(report)}</section>`
  );
}

/** Each artifact's kind (core module or component) and its imports, as report.md lists them. */
function artifacts(report: Report): string {
  if (!report.artifacts.length) return '';
  const rows = report.artifacts.map((a) => {
    const imports = a.imports ? (a.imports.length ? a.imports.map((i) => `<code>${esc(i)}</code>`).join(' ') : 'none') : '—';
    return `<tr><td><code>${esc(`${a.suite}/${a.flavor}`)}</code></td><td>${esc(a.kind)}</td><td>${a.sizeBytes} B</td><td>${imports}</td></tr>`;
  });
  return `<h3 id="artifacts">Artifacts</h3><table><thead><tr><th>artifact</th><th>kind</th><th>size</th><th>imports</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Beyond DETAIL_CELL_LIMIT cells: one table cell per suite × flavor × runtime, coloured by its worst status. */
function aggregateTable(report: Report, grids: ReturnType<typeof suiteGrids>): string {
  const aggregates = aggregateBySuite(report.cells);
  const columns = allColumns(grids, report);
  const head = `<tr><th>suite</th><th>cells</th><th>failing</th>${columns.map((c) => `<th>${esc(c.flavor)}<br><span class="note">${esc(c.runtime)}</span></th>`).join('')}</tr>`;
  const rows = aggregates.map((a) => {
    const tds = columns.map((c) => {
      const e = a.entries.get(columnId(c));
      if (!e) return '<td class="agg none">·</td>';
      const tip = SHOWN_STATUSES.filter((st) => e.counts.has(st)).map((st) => `${e.counts.get(st)} ${STATUS_STYLE[st].label}`).join(', ');
      const text = e.problems ? `${e.problems}/${e.total}` : String(e.total);
      return `<td class="agg" style="background:${STATUS_STYLE[e.worst].color}" title="${esc(tip)}" data-agg="${esc(`${a.suite}/${c.flavor}/${c.runtime}`)}" data-problems="${e.problems}">${text}</td>`;
    });
    return `<tr><td><code>${esc(a.suite)}</code></td><td>${a.total}</td><td>${a.problems ? `<strong>${a.problems}</strong>` : 0}</td>${tds.join('')}</tr>`;
  });
  return (
    `<p class="note">${report.cells.length} cells are more than ${DETAIL_CELL_LIMIT}: each suite × flavor × runtime is one square, coloured by its worst status, with failing/total cells (or the number of cells when none fails); hover for the counts by status.</p>` +
    `<div class="scroll"><table class="aggregate"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

function heatmaps(report: Report, anchors: ReadonlyMap<string, string>): string {
  const grids = suiteGrids(report);
  let shown = grids;
  let intro = '';
  if (isLarge(report)) {
    const detail = detailedSuites(report, grids, aggregateBySuite(report.cells));
    shown = detail.shown;
    intro =
      aggregateTable(report, grids) +
      `<h3>Every cell of the ${shown.length} suite${shown.length === 1 ? '' : 's'} with failing cells</h3>` +
      (detail.omitted ? `<p class="note">${detail.omitted} more suites with failing cells are left out here (together more than ${DETAIL_CELL_LIMIT} cells); their failing cells are listed under Differences.</p>` : '');
  }
  const suites = shown.map(
    (grid) => `<h3>Suite <code>${esc(grid.suite)}</code></h3><div class="scroll">${heatmapSvg(grid, anchors)}</div>`,
  );
  return `<section id="matrix"><h2>Status by cell</h2>${heatmapLegend()}${intro}<p class="note">Hover a cell for details; click a failing one to see expected vs actual.</p>${suites.join('') || (intro ? '' : '<p>No cells.</p>')}</section>`;
}

function differenceRows(d: Difference, id: string): string {
  const { cell } = d;
  const fields = compareRows(cell.expected, cell.actual);
  const notes = [cell.reason, oracleText(cell) && `oracle: ${oracleText(cell)}`].filter((n): n is string => !!n);
  const head =
    `<td rowspan="${Math.max(1, fields.length)}"><code>${esc(d.key)}</code>${d.newlyFailing ? ' <strong>(newly failing)</strong>' : ''}` +
    `${notes.map((n) => `<div class="note">${esc(n)}</div>`).join('')}</td>` +
    `<td rowspan="${Math.max(1, fields.length)}"><span class="swatch" style="background:${STATUS_STYLE[shownStatus(cell)].color}"></span> ${esc(statusText(cell))}</td>`;
  const value = (v: string | undefined) => (v === undefined ? '—' : `<pre>${esc(clip(v, MAX_VALUE_CHARS))}</pre>`);
  const rows = fields.length
    ? fields.map(
        (f, i) =>
          `<tr${f.differs ? ' class="differs"' : ''}>${i === 0 ? head : ''}<td>${esc(f.field)}${f.differs ? ' ≠' : ''}</td><td>${value(f.expected)}</td><td>${value(f.actual)}</td></tr>`,
      )
    : [`<tr>${head}<td colspan="3" class="note">no values recorded</td></tr>`];
  for (const tail of guestTails(cell)) {
    rows.push(`<tr class="guest"><td colspan="5">${esc(tail.stream)} of the guest${tail.note ? ` <span class="note">(${esc(tail.note)})</span>` : ''}<pre>${esc(tail.lines.map((l) => clip(l, MAX_VALUE_CHARS)).join('\n'))}</pre></td></tr>`);
  }
  return `<tbody class="diff" id="${esc(id)}">${rows.join('')}</tbody>`;
}

/** A failing cell past the detailed ones: one row, its key, status and reason. */
function compactRow(d: Difference, id: string): string {
  const { cell } = d;
  return (
    `<tr id="${esc(id)}"><td><code>${esc(d.key)}</code>${d.newlyFailing ? ' <strong>(newly failing)</strong>' : ''}</td>` +
    `<td><span class="swatch" style="background:${STATUS_STYLE[shownStatus(cell)].color}"></span> ${esc(statusText(cell))}</td><td>${esc(clip(cell.reason ?? '', 300))}</td></tr>`
  );
}

function differencesTable(diffs: Difference[], anchors: ReadonlyMap<string, string>): string {
  if (!diffs.length) return `<section id="differences"><h2>Differences</h2><p>None.</p></section>`;
  const bodies = diffs.slice(0, HTML_DETAILED_DIFFERENCES).map((d) => differenceRows(d, anchors.get(d.key) ?? ''));
  const listed = diffs.slice(HTML_DETAILED_DIFFERENCES, HTML_DETAILED_DIFFERENCES + HTML_LISTED_DIFFERENCES);
  const rest = diffs.length - bodies.length - listed.length;
  return (
    `<section id="differences"><h2>Differences (${diffs.length})</h2>` +
    `<table><thead><tr><th>cell</th><th>status</th><th>field</th><th>expected</th><th>actual</th></tr></thead>${bodies.join('')}</table>` +
    (listed.length
      ? `<h3>${listed.length} more failing cells</h3><p class="note">Expected vs actual of these is in report.json and junit.xml.</p>` +
        `<table class="listed"><thead><tr><th>cell</th><th>status</th><th>reason</th></tr></thead><tbody>${listed.map((d) => compactRow(d, anchors.get(d.key) ?? '')).join('')}</tbody></table>`
      : '') +
    (rest > 0 ? `<p class="note">… and ${rest} more failing cells; junit.xml and report.json list every one.</p>` : '') +
    `</section>`
  );
}

function skipped(report: Report): string {
  const groups = skipGroups(report);
  if (!groups.length) return '';
  const rows = groups.map(
    (g) => `<tr><td>${esc(g.status)}</td><td>${esc(g.reason)}</td><td>${g.cells.length}</td><td>${esc(skipScope(g))}</td></tr>`,
  );
  return `<section id="skipped"><h2>Skipped and unsupported</h2><table><thead><tr><th>status</th><th>reason</th><th>cells</th><th>where</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** report.html: one self-contained file (no script, no requests) with the heat maps, differences and the kind's section. */
export function renderHtml(report: Report): string {
  const diffs = differences(report);
  // Only cells listed under Differences get an anchor to jump to.
  const anchors = new Map(diffs.slice(0, HTML_DETAILED_DIFFERENCES + HTML_LISTED_DIFFERENCES).map((d, i) => [d.key, `diff-${i + 1}`]));
  const v = verdict(report);
  const bench =
    report.kind !== 'bench' || report.bench === undefined
      ? ''
      : benchSection(
          report.bench,
          report.flavors.map((f) => f.id),
          report.runtimes.map((r) => r.id),
        );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`wasm-matrix ${report.kind}: exit ${v.exitCode}, ${v.summary}`)}</title>
<style>${CSS}</style>
</head>
<body>
${summary(report)}
${report.kind === 'cutover' && report.cutover !== undefined ? cutoverSection(report.cutover) : ''}
${baseline(report)}
${setup(report)}
${heatmaps(report, anchors)}
${differencesTable(diffs, anchors)}
${skipped(report)}
${bench}
<footer class="note"><p>Rendered from report.json (schema version ${report.schemaVersion}).</p></footer>
</body>
</html>
`;
}
