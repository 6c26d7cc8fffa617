// Expected vs actual as rows of display strings, so every rendering shows a
// difference as two values side by side and never as a bare "failed".
import type { Cell } from '../model/cell.js';
import { lastLines, type Observed } from '../model/observation.js';
import { STATUS_STYLE, shownStatus } from './status.js';

/** One field of expected vs actual, side by side. */
export interface FieldRow {
  field: string;
  expected?: string;
  actual?: string;
  /** Whether this row is (part of) the difference. */
  differs: boolean;
}

// A field the oracle did not mention differs only when it is about how the
// call ended: an unexpected trap matters, unmentioned stderr does not.
const OUTCOME_FIELDS = new Set(['trap', 'guest error', 'timeout', 'host error', 'life-cycle export']);

/** Strings are quoted with JSON escapes so newlines, spaces and control bytes stay visible. */
const quoted = (s: string | undefined): string | undefined => (s === undefined ? undefined : JSON.stringify(s));

function outputRows(e: Observed | undefined, a: Observed | undefined): [string, string | undefined, string | undefined] | undefined {
  const eo = e?.output;
  const ao = a?.output;
  if (!eo && !ao) return undefined;
  // UTF-8 when every side that has output decodes, unless the text hides a byte difference.
  const bothText = [eo, ao].every((o) => !o || o.utf8 !== undefined);
  const textHidesBytes = eo?.utf8 === ao?.utf8 && eo?.hex !== ao?.hex;
  if (bothText && !textHidesBytes) return ['output (utf8)', quoted(eo?.utf8), quoted(ao?.utf8)];
  const hex = (h: string | undefined) => (h === undefined ? undefined : h === '' ? '(empty)' : h.toLowerCase());
  return ['output (hex)', hex(eo?.hex), hex(ao?.hex)];
}

/** The fields of expected and actual that either side has, with whether they differ. */
export function compareRows(expected: Observed | undefined, actual: Observed | undefined): FieldRow[] {
  const e = expected;
  const a = actual;
  const values = (o: Observed | undefined) => (o?.values ? `[${o.values.join(', ')}]` : undefined);
  const num = (n: number | undefined) => (n === undefined ? undefined : String(n));
  const yes = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'no');
  const candidates: Array<[string, string | undefined, string | undefined] | undefined> = [
    ['values', values(e), values(a)],
    outputRows(e, a),
    ['exit code', num(e?.exitCode), num(a?.exitCode)],
    ['stdout', quoted(e?.stdout), quoted(a?.stdout)],
    ['stderr', quoted(e?.stderr), quoted(a?.stderr)],
    ['trap', e?.trap, a?.trap],
    ['guest error', quoted(e?.guestError), quoted(a?.guestError)],
    ['timeout', yes(e?.timeout), yes(a?.timeout)],
    ['host error', quoted(e?.error), quoted(a?.error)],
    ['stdout cut at the capture cap', yes(e?.stdoutTruncated), yes(a?.stdoutTruncated)],
    ['stderr cut at the capture cap', yes(e?.stderrTruncated), yes(a?.stderrTruncated)],
    ['host calls', e?.hostCalls?.join('; '), a?.hostCalls?.join('; ')],
    ['life-cycle export', e?.lifecycleExport, a?.lifecycleExport],
  ];
  const rows: FieldRow[] = [];
  for (const c of candidates) {
    if (!c) continue;
    const [field, ev, av] = c;
    if (ev === undefined && av === undefined) continue;
    const differs = ev !== av && (ev !== undefined || OUTCOME_FIELDS.has(field));
    rows.push({ field, expected: ev, actual: av, differs });
  }
  return rows;
}

/**
 * Control characters (other than tab and newlines), lone surrogates and the
 * non-characters U+FFFE/U+FFFF as visible `\uXXXX`: renderings never carry
 * bytes that terminals, Markdown or HTML would hide or reject.
 */
export function showControls(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Text cut to `max` characters with a note of how much was cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`;
}

/** Status label, with the trap kind when there is one. */
export function statusText(cell: Cell): string {
  const label = STATUS_STYLE[shownStatus(cell)].label;
  return cell.status === 'trap' && cell.actual?.trap ? `${label}: ${cell.actual.trap}` : label;
}

/** What a cell was judged against, in words. */
export function oracleText(cell: Cell): string | undefined {
  if (cell.oracle === 'expectation') return 'the case expectation';
  if (cell.oracle === 'reference') return `reference cell ${cell.referenceCell ?? '(unnamed)'}`;
  if (cell.oracle === 'none') return 'none (nothing to compare against)';
  return undefined;
}

/** Plain text for JUnit bodies and logs: each field with expected and actual under each other. */
export function describeDifference(cell: Cell, maxValue = 2000): string {
  const lines = [`${cell.suite}/${cell.case} on ${cell.flavor} × ${cell.runtime}: ${statusText(cell)}`];
  if (cell.reason) lines.push(`reason: ${cell.reason}`);
  const oracle = oracleText(cell);
  if (oracle) lines.push(`oracle: ${oracle}`);
  for (const row of compareRows(cell.expected, cell.actual)) {
    lines.push('', `${row.field}${row.differs ? ' (differs)' : ''}:`);
    lines.push(`  expected: ${clip(row.expected ?? '—', maxValue)}`);
    lines.push(`  actual:   ${clip(row.actual ?? '—', maxValue)}`);
  }
  return lines.join('\n');
}

/** Lines of guest output a failing cell shows in report.md and report.html. */
export const GUEST_TAIL_LINES = 12;

/** The end of one guest stream as the renderings show it, with how it was cut. */
export interface GuestTail {
  stream: 'stderr' | 'stdout';
  lines: string[];
  /** Said under the lines: earlier lines left out, or output cut at the capture cap. */
  note?: string;
}

/**
 * The last lines of what the guest wrote to stderr (and to stdout when the
 * cell does not already show it as a compared value), from the cell's kept
 * output or its judged answer: the panic message that explains a trap.
 */
export function guestTails(cell: Cell, n = GUEST_TAIL_LINES): GuestTail[] {
  const tails: GuestTail[] = [];
  for (const stream of ['stderr', 'stdout'] as const) {
    const kept = cell.guestOutput?.[stream];
    // A compared stdout is already a row of expected vs actual; stderr is always worth its tail.
    const text = kept ?? (stream === 'stderr' ? cell.actual?.stderr : undefined);
    if (!text) continue;
    const all = text.replace(/\r?\n$/, '').split(/\r?\n/).length;
    const lines = lastLines(text, n);
    const notes: string[] = [];
    if (all > lines.length) notes.push(`last ${lines.length} of ${all} lines`);
    const bytes = cell.guestOutput?.[`${stream}Bytes`];
    if (kept !== undefined && bytes !== undefined) notes.push(`the report keeps the last ${Buffer.byteLength(kept)} of ${bytes} bytes`);
    if ((kept !== undefined ? cell.guestOutput?.[`${stream}Truncated`] : cell.actual?.[`${stream}Truncated`]) === true) notes.push('the guest wrote past the capture cap; the rest was cut');
    tails.push({ stream, lines: lines.map(showControls), ...(notes.length ? { note: notes.join('; ') } : {}) });
  }
  return tails;
}

/** The whole kept guest output of a cell as plain text (junit.xml `system-out`/`system-err`). */
export function guestText(cell: Cell, stream: 'stdout' | 'stderr'): string | undefined {
  const text = cell.guestOutput?.[stream] ?? cell.actual?.[stream];
  if (!text) return undefined;
  const cut = cell.guestOutput?.[`${stream}Bytes`] !== undefined ? `[… earlier output cut; ${cell.guestOutput[`${stream}Bytes`]} bytes written]\n` : '';
  const capped = (cell.guestOutput?.[`${stream}Truncated`] ?? cell.actual?.[`${stream}Truncated`]) ? '\n[… cut at the capture cap]' : '';
  return showControls(`${cut}${text}${capped}`);
}
