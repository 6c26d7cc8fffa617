// Escaping and text measuring shared by the HTML page and its inline SVG charts.
import { showControls } from './observed.js';

/** Escapes text for element content and quoted attribute values alike. */
export function esc(s: string): string {
  return showControls(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Chart labels use a monospace font so their width is known without a browser. */
export const LABEL_FONT_PX = 12;
/** Approximate width of one label character, to size SVG labels. */
export const CHAR_PX = 7.3;

/** Approximate pixel width of a label. */
export const textWidth = (s: string): number => s.length * CHAR_PX;

/** Shortens a label to fit; the full text goes in the element's <title>. */
export function fitLabel(s: string, maxChars: number): string {
  return s.length <= maxChars ? s : `${s.slice(0, maxChars - 1)}…`;
}

/** Numbers in SVG attributes: short, no exponent. */
export const px = (n: number): string => (Math.round(n * 10) / 10).toString();
