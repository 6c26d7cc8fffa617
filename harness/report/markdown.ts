// report.md: the CI step summary. GitHub-flavoured Markdown; every piece of
// text from the run is escaped, values are shown as code spans side by side.
import { benchMarkdown } from './bench-md.js';
import { differences, skipGroups, skipScope, suiteGrids, cellsByKey, type Difference } from './matrix.js';
import { mdCode, mdText } from './md-text.js';
import { clip, compareRows, guestTails, oracleText, statusText } from './observed.js';
import { cellKey } from '../model/cell.js';
import type { Report } from './schema.js';
import { renderCutoverMarkdown } from './cutover-md.js';
import { SHOWN_STATUSES, STATUS_STYLE, countShown, shownStatus, verdict } from './status.js';
import { DETAIL_CELL_LIMIT, MD_DETAILED_DIFFERENCES, MD_LISTED_DIFFERENCES, aggregateBySuite, allColumns, columnId, detailedSuites, isLarge } from './scale.js';

// GitHub truncates step summaries at 1 MiB; past these the details live in report.html.
const MAX_DETAILED_DIFFERENCES = MD_DETAILED_DIFFERENCES;
const MAX_VALUE_CHARS = 300;

/** lines.push(...more) without a spread: a spread of a very long list overflows the stack. */
function append(lines: string[], more: readonly string[]): void {
  for (const line of more) lines.push(line);
}

const table = (header: string[], rows: string[][], align?: string[]): string[] => [
  `| ${header.join(' | ')} |`,
  `|${(align ?? header.map(() => '---')).join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

function headline(report: Report): string[] {
  const v = verdict(report);
  const icon = v.exitCode === 0 ? '✅' : v.exitCode === 130 ? '⚠️' : '❌';
  const counts = countShown(report.cells);
  const countText = SHOWN_STATUSES.filter((s) => counts.has(s))
    .map((s) => `${STATUS_STYLE[s].symbol} ${counts.get(s)} ${STATUS_STYLE[s].label}`)
    .join(' · ');
  const meta = [`started ${report.startedAt}`];
  if (report.finishedAt) meta.push(`finished ${report.finishedAt}`);
  if (report.shard) meta.push(`shard ${report.shard.index}/${report.shard.count}`);
  const h = report.host;
  meta.push(`host ${h.platform}/${h.arch}, node ${h.node}, ${h.cpus} CPUs`);
  const lines = [
    `## ${icon} wasm-matrix ${report.kind}: ${mdText(v.summary)} (exit ${v.exitCode})`,
    '',
    `**${report.cells.length} cells:** ${countText || 'none'}`,
    '',
    mdText(meta.join(' · ')),
  ];
  if (!report.complete) {
    const why = report.interrupted ? `interrupted: ${mdText(report.interrupted)}` : 'the run had not finished';
    lines.push('', `> ⚠️ **Incomplete report** (${why}); it holds the ${report.cells.length} cells that finished.`);
  }
  for (const e of report.inputErrors ?? []) lines.push('', `> ❌ **Left out, unusable input:** ${mdText(e)}`);
  const cut = report.cells.filter((c) => c.actual?.stdoutTruncated || c.actual?.stderrTruncated);
  if (cut.length) lines.push('', `> ✂️ **Output cut at the capture cap** in ${cut.length} cell${cut.length === 1 ? '' : 's'}: ${cut.slice(0, 10).map((c) => mdText(cellKey(c))).join(', ')}${cut.length > 10 ? ', ...' : ''}`);
  return lines;
}

function baselineSection(report: Report): string[] {
  const base = report.baseline;
  if (!base) return [];
  const byKey = cellsByKey(report);
  const lines = ['', `### Against the baseline ${mdCode(base.file)}`, ''];
  lines.push(`**Newly failing: ${base.newlyFailing.length}**`, '');
  if (base.newlyFailing.length) {
    const rows = base.newlyFailing.slice(0, MD_LISTED_DIFFERENCES).map((key) => {
      const cell = byKey.get(key);
      const status = cell ? `${STATUS_STYLE[shownStatus(cell)].symbol} ${mdText(statusText(cell))}` : 'missing from this report';
      return [mdCode(key, true), status, mdText(cell?.reason ?? '')];
    });
    append(lines, table(['cell', 'now', 'reason'], rows));
    lines.push('');
    if (base.newlyFailing.length > rows.length) lines.push(`… and ${base.newlyFailing.length - rows.length} more; report.json lists every one.`, '');
  }
  lines.push(`**Fixed: ${base.fixed.length}**`, '');
  for (const key of base.fixed.slice(0, MD_LISTED_DIFFERENCES)) lines.push(`- ${mdCode(key)}`);
  if (base.fixed.length > MD_LISTED_DIFFERENCES) lines.push(`- … and ${base.fixed.length - MD_LISTED_DIFFERENCES} more`);
  return lines;
}

function runtimesAndFlavors(report: Report): string[] {
  const runtimes = report.runtimes.map((r) => [
    mdCode(r.id, true),
    mdText(r.wasmtimeVersion),
    r.compatibilityHash ? mdCode(r.compatibilityHash.slice(0, 12), true) : '',
    r.error ? `⚠️ ${mdText(r.error)}` : 'ok',
  ]);
  const flavors = report.flavors.map((f) => {
    const versions = Object.entries(f.versions)
      .map(([tool, version]) => `${tool} ${version}`)
      .join(', ');
    return [mdCode(f.id, true), f.available ? 'yes' : 'no', mdText(f.available ? versions : (f.reason ?? 'unavailable'))];
  });
  return [
    '',
    '### Runtimes',
    '',
    ...table(['runtime', 'Wasmtime', 'compatibility hash', 'state'], runtimes),
    '',
    '### Flavors',
    '',
    ...table(['flavor', 'available', 'toolchain versions, or why not'], flavors),
    ...artifactsSection(report),
  ];
}

/** Each artifact's kind (core module or component) and what it imports. */
function artifactsSection(report: Report): string[] {
  if (!report.artifacts.length) return [];
  const rows = report.artifacts.map((a) => [
    mdText(`${a.suite}/${a.flavor}`),
    mdText(a.kind),
    mdText(`${a.sizeBytes} B`),
    a.imports ? (a.imports.length ? a.imports.map((i) => mdCode(i, true)).join(' ') : 'none') : '—',
  ]);
  return ['', '### Artifacts', '', ...table(['artifact', 'kind', 'size', 'imports'], rows)];
}

/** Beyond DETAIL_CELL_LIMIT cells: per suite, each flavor × runtime as a count (symbol of its worst status, failing/total). */
function aggregateTable(report: Report, grids: ReturnType<typeof suiteGrids>): string[] {
  const aggregates = aggregateBySuite(report.cells);
  const columns = allColumns(grids, report);
  const header = ['suite', 'cells', 'failing', ...columns.map((c) => `${mdText(c.flavor)}<br>${mdText(c.runtime)}`)];
  const rows = aggregates.map((a) => [
    mdCode(a.suite, true),
    String(a.total),
    a.problems ? `**${a.problems}**` : '0',
    ...columns.map((c) => {
      const e = a.entries.get(columnId(c));
      if (!e) return '·';
      return e.problems ? `${STATUS_STYLE[e.worst].symbol} ${e.problems}/${e.total}` : `${STATUS_STYLE[e.worst].symbol} ${e.total}`;
    }),
  ]);
  return [
    '',
    `${report.cells.length} cells are more than ${DETAIL_CELL_LIMIT}: each suite × flavor × runtime shows the symbol of its worst status and failing/total cells (or the number of cells when none fails).`,
    '',
    ...table(header, rows, ['---', '--:', '--:', ...columns.map(() => ':-:')]),
  ];
}

function resultTables(report: Report): string[] {
  const legend = SHOWN_STATUSES.map((s) => `${STATUS_STYLE[s].symbol} ${STATUS_STYLE[s].label}`).join(' · ');
  const lines = ['', '### Results', '', `${legend} · · no cell`];
  const grids = suiteGrids(report);
  let shown = grids;
  if (isLarge(report)) {
    append(lines, aggregateTable(report, grids));
    const detail = detailedSuites(report, grids, aggregateBySuite(report.cells));
    shown = detail.shown;
    lines.push('', `Every cell of the ${shown.length} suite${shown.length === 1 ? '' : 's'} with failing cells${detail.omitted ? ` (${detail.omitted} more left out: together more than ${DETAIL_CELL_LIMIT} cells)` : ''}:`);
  }
  for (const grid of shown) {
    const header = ['case', ...grid.columns.map((c) => `${mdText(c.flavor)}<br>${mdText(c.runtime)}`)];
    const rows = grid.cases.map((name) => [
      mdText(name),
      ...grid.columns.map((col) => {
        const cell = grid.at(name, col);
        return cell ? STATUS_STYLE[shownStatus(cell)].symbol : '·';
      }),
    ]);
    lines.push('', `#### Suite ${mdCode(grid.suite)}`, '');
    append(lines, table(header, rows, ['---', ...grid.columns.map(() => ':-:')]));
  }
  return lines;
}

function differenceBlock(d: Difference): string[] {
  const { cell } = d;
  const style = STATUS_STYLE[shownStatus(cell)];
  const tag = d.newlyFailing ? ' 🆕 newly failing' : '';
  const lines = ['', `${style.symbol} **${mdText(statusText(cell))}** ${mdCode(d.key)}${tag}`, ''];
  const notes: string[] = [];
  if (cell.reason) notes.push(mdText(cell.reason));
  const oracle = oracleText(cell);
  if (oracle) notes.push(`oracle: ${mdText(oracle)}`);
  if (notes.length) lines.push(notes.join(' · '), '');
  const rows = compareRows(cell.expected, cell.actual).map((r) => [
    r.differs ? `**${mdText(r.field)}** ≠` : mdText(r.field),
    r.expected === undefined ? '—' : mdCode(clip(r.expected, MAX_VALUE_CHARS), true),
    r.actual === undefined ? '—' : mdCode(clip(r.actual, MAX_VALUE_CHARS), true),
  ]);
  if (rows.length) lines.push(...table(['', 'expected', 'actual'], rows));
  for (const tail of guestTails(cell)) {
    // A fence longer than any backtick run inside, so guest text cannot close it.
    const fence = '`'.repeat(Math.max(3, ...tail.lines.map((l) => (l.match(/`+/g) ?? []).reduce((m, r) => Math.max(m, r.length + 1), 0))));
    lines.push('', `${tail.stream} of the guest${tail.note ? ` (${mdText(tail.note)})` : ''}:`, '', fence, ...tail.lines.map((l) => clip(l, MAX_VALUE_CHARS)), fence);
  }
  return lines;
}

function differencesSection(report: Report): string[] {
  const diffs = differences(report);
  const lines = ['', `### Differences (${diffs.length})`];
  if (!diffs.length) return [...lines, '', 'None.'];
  for (const d of diffs.slice(0, MAX_DETAILED_DIFFERENCES)) lines.push(...differenceBlock(d));
  const listed = diffs.slice(MAX_DETAILED_DIFFERENCES, MAX_DETAILED_DIFFERENCES + MD_LISTED_DIFFERENCES);
  if (listed.length) {
    lines.push('', `The next ${listed.length} failing cells (expected vs actual in report.html):`, '');
    for (const d of listed) lines.push(`- ${STATUS_STYLE[shownStatus(d.cell)].symbol} ${mdCode(d.key)}${d.newlyFailing ? ' 🆕' : ''}${d.cell.reason ? ` ${mdText(clip(d.cell.reason, 120))}` : ''}`);
  }
  const rest = diffs.length - MAX_DETAILED_DIFFERENCES - listed.length;
  if (rest > 0) lines.push('', `… and ${rest} more failing cells; report.html, junit.xml and report.json list every one.`);
  return lines;
}

function skippedSection(report: Report): string[] {
  const groups = skipGroups(report);
  if (!groups.length) return [];
  const total = groups.reduce((n, g) => n + g.cells.length, 0);
  const rows = groups.map((g) => [
    `${STATUS_STYLE[g.status].symbol} ${g.status}`,
    mdText(g.reason),
    String(g.cells.length),
    mdText(skipScope(g)),
  ]);
  return ['', `### Skipped and unsupported (${total})`, '', ...table(['status', 'reason', 'cells', 'where'], rows)];
}

/** report.md of a report: headline, baseline, tables, differences, skips, and the kind's own section. */
export function renderMarkdown(report: Report): string {
  return `${[
    ...(report.kind === 'cutover' && report.cutover !== undefined ? renderCutoverMarkdown(report.cutover) : []),
    ...headline(report),
    ...baselineSection(report),
    ...runtimesAndFlavors(report),
    ...resultTables(report),
    ...differencesSection(report),
    ...skippedSection(report),
    ...(report.kind === 'bench' && report.bench !== undefined ? benchMarkdown(report.bench) : []),
  ].join('\n')}\n`;
}
