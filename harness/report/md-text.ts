// Text and values in report.md, escaped once for every Markdown renderer
// (markdown.ts and its section renderers bench-md.ts and cutover-md.ts).
import { showControls } from './observed.js';

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
