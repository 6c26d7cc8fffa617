// report.md: the CI step summary. GitHub-flavoured Markdown; every piece of
// text from the run is escaped, values are shown as code spans side by side.
import { benchMarkdown } from './bench-md.js';
import { differences, skipGroups, skipScope, suiteGrids, cellsByKey, type Difference } from './matrix.js';
import { clip, compareRows, oracleText, showControls, statusText } from './observed.js';
import { cellKey, type Report } from './schema.js';
import { renderCutoverMarkdown } from './cutover-md.js';
import { SHOWN_STATUSES, STATUS_STYLE, countShown, shownStatus, verdict } from './status.js';

// GitHub truncates step summaries at 1 MiB; past these the details live in report.html.
const MAX_DETAILED_DIFFERENCES = 200;
const MAX_VALUE_CHARS = 300;

/** Plain text in a paragraph or table cell: no Markdown or HTML meaning, one line. */
export function mdText(s: string): string {
  return showControls(s)
    .replace(/[\\`*_[\]|~#]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, '<br>');
}

/**
 * A value as a one-line code span. In a table cell pipes must be escaped (GFM
 * honours `\|` inside code spans there); elsewhere the backslash would show.
 */
export function mdCode(s: string, inTable = false): string {
  const oneLine = showControls(s).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  const flat = inTable ? oneLine.replace(/\|/g, '\\|') : oneLine;
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
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
    const rows = base.newlyFailing.map((key) => {
      const cell = byKey.get(key);
      const status = cell ? `${STATUS_STYLE[shownStatus(cell)].symbol} ${mdText(statusText(cell))}` : 'missing from this report';
      return [mdCode(key, true), status, mdText(cell?.reason ?? '')];
    });
    lines.push(...table(['cell', 'now', 'reason'], rows), '');
  }
  lines.push(`**Fixed: ${base.fixed.length}**`, '');
  for (const key of base.fixed) lines.push(`- ${mdCode(key)}`);
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

function resultTables(report: Report): string[] {
  const legend = SHOWN_STATUSES.map((s) => `${STATUS_STYLE[s].symbol} ${STATUS_STYLE[s].label}`).join(' · ');
  const lines = ['', '### Results', '', `${legend} · · no cell`];
  for (const grid of suiteGrids(report)) {
    const header = ['case', ...grid.columns.map((c) => `${mdText(c.flavor)}<br>${mdText(c.runtime)}`)];
    const rows = grid.cases.map((name) => [
      mdText(name),
      ...grid.columns.map((col) => {
        const cell = grid.at(name, col);
        return cell ? STATUS_STYLE[shownStatus(cell)].symbol : '·';
      }),
    ]);
    lines.push('', `#### Suite ${mdCode(grid.suite)}`, '', ...table(header, rows, ['---', ...grid.columns.map(() => ':-:')]));
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
  return lines;
}

function differencesSection(report: Report): string[] {
  const diffs = differences(report);
  const lines = ['', `### Differences (${diffs.length})`];
  if (!diffs.length) return [...lines, '', 'None.'];
  for (const d of diffs.slice(0, MAX_DETAILED_DIFFERENCES)) lines.push(...differenceBlock(d));
  if (diffs.length > MAX_DETAILED_DIFFERENCES) {
    lines.push('', `… and ${diffs.length - MAX_DETAILED_DIFFERENCES} more; see report.html or report.json.`);
  }
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

export function renderMarkdown(report: Report): string {
  return `${[
    ...(report.cutover !== undefined ? renderCutoverMarkdown(report.cutover) : []),
    ...headline(report),
    ...baselineSection(report),
    ...runtimesAndFlavors(report),
    ...resultTables(report),
    ...differencesSection(report),
    ...skippedSection(report),
    ...(report.bench !== undefined ? benchMarkdown(report) : []),
  ].join('\n')}\n`;
}
