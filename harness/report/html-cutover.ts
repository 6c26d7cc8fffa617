// The cut-over rehearsal in report.html: the verdict, the call accounting,
// the cache fill, serving latency by window and cold starts, from a cut-over
// report's section (validated with the report by report/schema.ts).
import type { CutoverSection } from '../cutover/schema.js';
import { esc } from './html-util.js';

const ms = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(v < 10 ? 2 : 1)} ms`);

/** The cut-over section of report.html. */
export function cutoverSection(c: CutoverSection): string {
  const s = c.stream;
  const reasons = c.reasons.length ? `<ul>${c.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '';
  const latency = c.latency
    .map((w) => `<tr><td>${esc(w.window)}</td><td>${esc(w.runtime)}</td><td>${w.calls}</td><td>${ms(w.p50Ms)}</td><td>${ms(w.p99Ms)}</td><td>${ms(w.maxMs)}</td></tr>`)
    .join('');
  const cold = c.coldStart.items
    .map((i) => `<tr><td>${esc(`${i.suite}/${i.flavor}`)}</td><td>${ms(i.compiled.totalMs)}</td><td>${ms(i.cached.totalMs)}</td><td>${i.speedup.toFixed(0)}×</td></tr>`)
    .join('');
  return `<section id="cutover">
<h2>Cut-over rehearsal: ${esc(c.from.id)} → ${esc(c.to.id)}: ${c.verdict === 'go' ? 'GO' : 'NO-GO'}</h2>
${reasons}
<p>Calls issued ${s.issued}, served ${s.served}, failed ${s.failed}, lost ${s.lost}. Golden cases ${c.golden.cases}, mismatches ${c.mismatches.length}.
Cache fill on ${esc(c.fill.runtime)}: ${c.fill.entries} entries in ${ms(c.fill.wallMs)}.</p>
<table><thead><tr><th>window</th><th>runtime</th><th>calls</th><th>p50</th><th>p99</th><th>max</th></tr></thead><tbody>${latency}</tbody></table>
<table><thead><tr><th>artifact</th><th>cold start compiled</th><th>from cache</th><th>speed-up</th></tr></thead><tbody>${cold}</tbody></table>
</section>`;
}
