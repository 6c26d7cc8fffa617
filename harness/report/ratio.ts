// How a ratio of times reads in every rendering (report.md, the CLI, a
// regression's reason). Pure wording over bench/schema.ts values, so the
// renderers need nothing of the bench stage but its schema.
import type { RatioInterval } from '../bench/schema.js';

/** `1.32× (99% CI 1.20–1.45)`. */
export function formatInterval(r: { ratio: number; low: number; high: number; confidence: number }): string {
  const p = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
  return `${p(r.ratio)}× (${Math.round(r.confidence * 100)}% CI ${p(r.low)}–${p(r.high)})`;
}

/** How a ratio of times reads: `2.41× faster`, `1.08× slower`, or no significant difference. */
export function readRatio(r: Pick<RatioInterval, 'ratio' | 'significant'>): string {
  if (!r.significant) return 'no significant difference';
  return r.ratio < 1 ? `${(1 / r.ratio).toPrecision(3)}× faster` : `${r.ratio.toPrecision(3)}× slower`;
}
