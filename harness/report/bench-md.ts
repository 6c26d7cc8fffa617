// The benchmark part of report.md: times per call, phases, the ratio tables
// (flavors from the same source, runtimes per flavor) and the baseline.
// Only called for a bench report with its bench section (validated with the
// report by report/schema.ts).
import type { BenchData, Comparison } from '../bench/schema.js';
import { formatNs } from './html-bench.js';
import { formatInterval, readRatio } from './ratio.js';
import { mdCode, mdText } from './md-text.js';
import { countsMarkdown, formatCount } from './counts.js';

const table = (header: string[], rows: string[][], align?: string[]): string[] => [
  `| ${header.join(' | ')} |`,
  `|${(align ?? header.map(() => '---')).join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

const bytes = (n: number | undefined): string =>
  n === undefined ? '' : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(0)} KiB` : `${n} B`;

const ci = (c: Comparison): string => {
  const r = c.interval!;
  const p = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
  return `${p(r.low)}–${p(r.high)}`;
};

const ratioText = (c: Comparison): string => {
  const r = c.interval!;
  return r.significant ? `**${r.ratio.toPrecision(3)}**` : r.ratio.toPrecision(3);
};

function comparisonTables(comparisons: Comparison[], kind: 'flavor' | 'runtime'): string[] {
  const lines: string[] = [];
  const rows = comparisons.filter((c) => c.kind === kind && c.phase === 'perCall');
  const groups = new Map<string, Comparison[]>();
  for (const c of rows) {
    const title = kind === 'flavor' ? `${c.candidate} against ${c.reference}` : `${c.on}`;
    const group = groups.get(title);
    if (group) group.push(c);
    else groups.set(title, [c]);
  }
  for (const [title, list] of groups) {
    const first = list[0]!;
    const heading =
      kind === 'flavor'
        ? `##### ${mdCode(first.candidate)} against ${mdCode(first.reference)} (${mdText(first.family ?? '')} source)`
        : `##### Flavor ${mdCode(title)}`;
    lines.push('', heading, '');
    const timed = list.filter((c) => c.interval);
    if (!timed.length) {
      const reasons = [...new Set(list.map((c) => c.missing ?? 'no ratio'))];
      lines.push(`No ratios: ${reasons.slice(0, 3).map(mdText).join('; ')}${reasons.length > 3 ? `; and ${reasons.length - 3} more` : ''}.`);
      continue;
    }
    const body = list.map((c) => [
      mdText(`${c.suite}/${c.case}`),
      mdCode(kind === 'flavor' ? c.on : `${c.candidate} / ${c.reference}`, true),
      c.interval ? ratioText(c) : '—',
      c.interval ? ci(c) : '',
      c.interval ? mdText(readRatio(c.interval)) : mdText(`not compared: ${c.missing ?? ''}`),
    ]);
    lines.push(...table(['benchmark', kind === 'flavor' ? 'runtime' : 'candidate / reference', 'time ratio', '99% CI', 'reading'], body, ['---', '---', '--:', '--:', '---']));
  }
  return lines;
}

/** The benchmark part of report.md, from a bench report's (already validated) bench section. */
export function benchMarkdown(b: BenchData): string[] {
  const m = b.method;
  const load = b.loadAverage ? ` Load average (1 min) ${b.loadAverage.start[0]?.toFixed(2)} at the start, ${b.loadAverage.end[0]?.toFixed(2)} at the end.` : '';
  const countedOnly = b.measure === 'instructions';
  const lines = [
    '',
    '### Benchmarks',
    '',
    mdText(
      countedOnly
        ? `Instruction counts only (--measure instructions), ${b.instructionMethod?.processes ?? 2} counting processes per cell in a shuffled order (seed ${b.schedule.seed}). Wall time ${(b.wallMs / 1000).toFixed(1)} s.${load}`
        : `${m.processes} fresh worker processes per cell, run one at a time in ${m.processes} rounds of a shuffled order (seed ${b.schedule.seed}); ` +
        `in each, tinybench times steady-state calls for ${m.budgetMs} ms and at least ${m.minIterations} samples. ` +
        `Intervals: ${Math.round(m.confidence * 100)}%, ${m.interval}; a ratio is significant (bold) only when its interval excludes 1. ` +
        `Wall time ${(b.wallMs / 1000).toFixed(1)} s.${load}`,
    ),
    '',
    `Definitions: ${mdCode(b.definitions)}`,
  ];

  const timed = b.cells.filter((c) => c.status === 'ok' && c.perCall && c.phases);
  // Counts beside times where both were measured.
  const beside = timed.some((c) => c.instructions?.phases?.perCall);
  const countOf = (c: (typeof timed)[number]) => {
    const x = c.instructions?.phases?.perCall;
    return x ? `${formatCount(x.perCall)}${x.deterministic ? '' : ' (not exact)'}` : '—';
  };
  if (!countedOnly) lines.push('', '#### Time per call', '');
  if (countedOnly) {
    // Times were not measured: the counts section below is the result.
  } else if (!timed.length) lines.push('No cell was timed.');
  else
    lines.push(
      ...table(
        ['benchmark', 'flavor', 'runtime', 'typical [99% CI]', 'median', 'mean', 'MAD', 'samples in processes', ...(beside ? ['instructions/call'] : []), 'artifact'],
        timed.map((c) => {
          const p = c.perCall!;
          const typical = p.typical ? `${formatNs(p.typical.ns)} [${formatNs(p.typical.low)}, ${formatNs(p.typical.high)}]` : '—';
          const name = `${c.suite}/${c.case}${c.input ? ` (${c.input})` : ''}`;
          return [mdText(name), mdCode(c.flavor, true), mdCode(c.runtime, true), typical, formatNs(p.medianNs), formatNs(p.meanNs), formatNs(p.madNs), `${p.samples} in ${p.processMediansNs.length}`, ...(beside ? [countOf(c)] : []), bytes(c.artifactSizeBytes)];
        }),
        ['---', '---', '---', '--:', '--:', '--:', '--:', '--:', ...(beside ? ['--:'] : []), '--:'],
      ),
      '',
      'Typical: the geometric mean over processes of each process\'s median time per call, with its 99% interval (the unit of every ratio below). Median, mean and MAD: over every sample of every process.',
      ...(timed.some((c) => c.measures === 'region')
        ? ['', 'External programs (sightglass): a "call" is one run\'s region between `bench.start` and `bench.end`, each run in a fresh instance.']
        : []),
    );

  if (timed.length) {
    lines.push('', '#### Phases (median over processes)', '');
    lines.push(
      ...table(
        ['benchmark', 'flavor', 'runtime', 'compile', 'precompile', 'deserialize', 'instantiate', 'first call'],
        timed.map((c) => {
          const ph = c.phases!;
          return [
            mdText(`${c.suite}/${c.case}`),
            mdCode(c.flavor, true),
            mdCode(c.runtime, true),
            formatNs(ph.compile.medianNs),
            formatNs(ph.precompile.medianNs),
            formatNs(ph.deserialize.medianNs),
            formatNs(ph.instantiate.medianNs),
            formatNs(ph.firstCall.medianNs),
          ];
        }),
        ['---', '---', '---', '--:', '--:', '--:', '--:', '--:'],
      ),
    );
  }

  if (!countedOnly) {
    lines.push('', '#### Flavors built from the same source (interpreter vs AOT, -O0 vs -O2)', '', 'Time per call of the candidate divided by the reference\'s: below 1 the candidate is faster.');
    const flavorTables = comparisonTables(b.comparisons, 'flavor');
    lines.push(...(flavorTables.length ? flavorTables : ['', 'No two flavors from the same source were benchmarked.']));
    lines.push('', '#### Runtime against runtime, per flavor', '', 'Time per call on the newer runtime divided by the older one\'s: above 1 the upgrade is slower.');
    const runtimeTables = comparisonTables(b.comparisons, 'runtime');
    lines.push(...(runtimeTables.length ? runtimeTables : ['', 'Only one runtime was benchmarked.']));
  }

  if (b.baseline && !countedOnly) {
    const base = b.baseline;
    lines.push(
      '',
      `#### Against the baseline ${mdCode(base.file)}`,
      '',
      mdText(`Regression: per call more than ${base.thresholdPct}% slower than the baseline with an interval that excludes 1.`),
      '',
      `**Regressions: ${base.regressions.length}** · improvements: ${base.improvements.length}`,
      '',
    );
    lines.push(
      ...table(
        ['cell', 'baseline: typical [99% CI]', 'now: typical [99% CI]', 'now / baseline', '99% CI', 'verdict'],
        base.rows.map((r) => [
          mdCode(r.key, true),
          r.baselineNs !== undefined ? `${formatNs(r.baselineNs)}${r.baselineRange ? ` [${formatNs(r.baselineRange[0])}, ${formatNs(r.baselineRange[1])}]` : ''}` : '—',
          r.nowNs !== undefined ? `${formatNs(r.nowNs)}${r.nowRange ? ` [${formatNs(r.nowRange[0])}, ${formatNs(r.nowRange[1])}]` : ''}` : '—',
          r.interval ? (r.interval.significant ? `**${r.interval.ratio.toPrecision(3)}**` : r.interval.ratio.toPrecision(3)) : '—',
          r.interval ? formatInterval(r.interval).replace(/^.*CI /, '').replace(/\)$/, '') : '',
          r.verdict === 'regression' ? '❌ regression' : r.verdict === 'improvement' ? '🚀 improvement' : r.verdict === 'same' ? 'same' : mdText(`not compared: ${r.reason ?? ''}`),
        ]),
        ['---', '--:', '--:', '--:', '--:', '---'],
      ),
    );
  }

  lines.push(...countsMarkdown(b));

  const notTimed = b.cells.filter((c) => c.status !== 'ok' && c.status !== 'skipped');
  if (notTimed.length) {
    lines.push('', countedOnly ? '#### Not counted' : '#### Not timed', '', 'A cell that failed or trapped while measured is reported with its status, never as a time or a count.', '');
    lines.push(...table(['cell', 'status', 'reason'], notTimed.map((c) => [mdCode(c.key, true), mdText(c.status + (c.trap ? ` ${c.trap}` : '')), mdText((c.reason ?? '').slice(0, 300))])));
  }
  return lines;
}
