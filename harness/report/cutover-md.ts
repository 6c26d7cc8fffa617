// report.md's cut-over section: the go/no-go verdict and its figures. Made
// only from report.cutover (schema in cutover/schema.ts); all text escaped.
import type { CutoverSection } from '../cutover/schema.js';
import { mdCode, mdText } from './md-text.js';
import { clip } from './observed.js';

const MAX_ROWS = 100;

const f1 = (n: number | undefined): string => (n === undefined ? '—' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const bytes = (n: number): string => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const table = (header: string[], rows: string[][]): string[] => [row(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(row)];

/** report.md's cut-over section, from a cut-over report's section. */
export function renderCutoverMarkdown(c: CutoverSection): string[] {
  const go = c.verdict === 'go';
  const s = c.stream;
  const lines = [
    `## 🚦 Cut-over rehearsal ${mdCode(c.from.id)} (Wasmtime ${mdText(c.from.wasmtimeVersion)}) → ${mdCode(c.to.id)} (Wasmtime ${mdText(c.to.wasmtimeVersion)}): ${go ? '✅ **GO**' : '❌ **NO-GO**'} (exit ${go ? 0 : 1})`,
    '',
  ];
  if (!go) {
    lines.push('**Why not:**', '');
    for (const reason of c.reasons) lines.push(`- ${mdText(reason)}`);
    lines.push('');
  }
  const refused = c.refusals.filter((r) => r.refused).length;
  const sw = s.switch;
  const facts: string[][] = [
    ['golden cases', `${c.golden.cases} compared on both runtimes (${plural(c.golden.excluded.length, 'candidate')} left out${c.golden.notBuilt.length ? `, ${plural(c.golden.notBuilt.length, 'suite/flavor pair')} not built` : ''})`],
    ['mismatches', String(c.mismatches.length)],
    ['calls across the switch', `${s.issued} issued · ${s.served} served · ${s.failed} failed · **${s.lost} lost** · ${s.duplicated} duplicated (${s.concurrency} in flight)`],
    ...s.byRuntime.map((r) => [`served by ${mdText(r.runtime)}`, `${r.served} ok, ${r.failed} failed`]),
    ...(sw
      ? [['switch', `at ${(sw.atMs / 1000).toFixed(2)} s with ${sw.inFlight} in flight on the old runtime, ${sw.drainedOnOld} answered there; first new answer ${f1(sw.firstNewAnswerMs)} ms after; longest gap without answers ${f1(sw.longestGapMs)} ms`]]
      : []),
    ['cache fill', `${c.fill.entries} entries for ${mdText(c.fill.runtime)} in **${f1(c.fill.wallMs)} ms** (precompile ${f1(c.fill.precompileMs)} ms; ${c.fill.counts.filled} filled, ${c.fill.counts.present} present, ${c.fill.counts.replaced} replaced, ${c.fill.counts.failed} failed; ${bytes(c.fill.bytes)})`],
    ['old runtime\'s cache', `${c.oldCache.entries} entries (${c.oldCache.counts.present} present, ${c.oldCache.counts.filled} made)`],
    ['old entries on the new engine', `${refused} of ${c.refusals.length} refused${c.refusals[0] ? `: ${mdCode(clip(c.refusals[0].message, 300), true)}` : ''}`],
    ...(c.corruption.drill ? [['corrupted copy of an entry', `${c.corruption.drill.refused ? 'refused' : '**loaded**'}: ${mdCode(clip(c.corruption.drill.message, 300), true)}`]] : []),
    ['corrupt entries found in the cache', corruptEntries(c)],
    ['cache folder', mdCode(c.cacheDir, true)],
  ];
  lines.push(...table(['', ''], facts));

  if (c.latency.length) {
    lines.push('', '### Serving latency (ms, issue to answer)', '');
    lines.push(
      ...table(
        ['window', 'runtime', 'calls', 'p50', 'p90', 'p99', 'max', 'in worker p50'],
        c.latency.map((w) => [w.window, mdText(w.runtime), String(w.calls), f1(w.p50Ms), f1(w.p90Ms), f1(w.p99Ms), f1(w.maxMs), f1(w.serviceP50Ms)]),
      ),
    );
  }
  if (c.coldStart.items.length) {
    lines.push('', `### Cold start per artifact on ${mdCode(c.to.id)} (ms, median of ${c.coldStart.rounds} fresh workers)`, '');
    lines.push(
      ...table(
        ['artifact', 'first call', 'compile', 'deserialize', 'compiled: to first answer', 'from cache: to first answer', 'speed-up'],
        c.coldStart.items.map((i) => [
          `${mdText(i.suite)}/${mdText(i.flavor)}`,
          mdCode(i.case, true),
          f1(i.compiled.loadMs),
          f1(i.cached.loadMs),
          f1(i.compiled.totalMs),
          f1(i.cached.totalMs),
          i.error ? `⚠️ ${mdText(i.error)}` : `${i.speedup.toFixed(1)}×`,
        ]),
      ),
    );
  }
  if (c.mismatches.length) {
    lines.push('', `### Mismatches (${c.mismatches.length})`, '');
    lines.push(
      ...table(
        ['case', 'why', `${mdText(c.from.id)}`, `${mdText(c.to.id)}`],
        c.mismatches.slice(0, MAX_ROWS).map((m) => [mdCode(m.key, true), mdText(m.reason), m.old ? mdCode(clip(JSON.stringify(m.old), 200), true) : '—', m.new ? mdCode(clip(JSON.stringify(m.new), 200), true) : '—']),
      ),
    );
    if (c.mismatches.length > MAX_ROWS) lines.push('', `… and ${c.mismatches.length - MAX_ROWS} more in report.json.`);
  }
  if (c.golden.excluded.length) {
    lines.push('', `<details><summary>${plural(c.golden.excluded.length, 'candidate')} left out of the golden set</summary>`, '');
    for (const e of c.golden.excluded.slice(0, MAX_ROWS)) lines.push(`- ${mdCode(e.key)}: ${mdText(e.reason)}`);
    lines.push('', '</details>');
  }
  if (c.golden.notBuilt.length) {
    lines.push('', `<details><summary>${plural(c.golden.notBuilt.length, 'suite/flavor pair')} not built</summary>`, '');
    for (const n of c.golden.notBuilt) lines.push(`- ${mdCode(`${n.suite}/${n.flavor}`)}: ${mdText(n.reason)}`);
    lines.push('', '</details>');
  }
  lines.push('');
  return lines;
}

/**
 * Corrupt entries met anywhere: replaced while filling (the fill's `replaced`
 * count) and found when checked before use. One line, so it can never say
 * "none" beside a fill that replaced one.
 */
function corruptEntries(c: { fill: { counts: { replaced: number }; items: { status: string; message?: string | undefined }[] }; corruption: { found: { recompiled: boolean }[] } }): string {
  const replaced = c.fill.counts.replaced;
  const found = c.corruption.found.length;
  if (replaced + found === 0) return 'none';
  const parts: string[] = [];
  if (replaced) {
    const why = c.fill.items.find((i) => i.status === 'replaced')?.message;
    parts.push(`${replaced} replaced during the fill${why ? ` (${mdText(clip(why, 200))})` : ''}`);
  }
  if (found) parts.push(`${found} found before use, ${c.corruption.found.filter((e) => e.recompiled).length} refused and recompiled`);
  return `${replaced + found}: ${parts.join('; ')}`;
}
