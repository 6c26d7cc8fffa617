// Instruction counts in report.md (`bench --measure instructions|both`): the
// method, the counts per cell and phase, the count ratio tables and the
// baseline gate on counts. From the bench section alone.
import type { BenchData, InstructionComparison, Phase } from '../bench/schema.js';
import { mdCode, mdText } from './md-text.js';

/** An instruction count: whole numbers with thousands separators, a per-call mean to 0.01. */
export function formatCount(n: number): string {
  const whole = Number.isInteger(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: whole ? 0 : 2, minimumFractionDigits: whole ? 0 : 2 });
}

const table = (header: string[], rows: string[][], align: string[]): string[] => [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];

const PHASE_NAMES: Record<Phase, string> = {
  compile: 'compile',
  precompile: 'precompile',
  deserialize: 'deserialize',
  instantiate: 'instantiate',
  firstCall: 'first call',
  perCall: 'per call',
};

/** The method sentence report.md and report.html both state. */
export function countMethod(b: BenchData): string {
  const m = b.instructionMethod!;
  const checked = b.cells.filter((c) => c.instructions?.phases).length;
  const nondet = b.nondeterministic ?? [];
  return (
    `Instructions counted by ${m.valgrind} (\`${m.command}\`): ${m.processes} counting processes per cell, ${m.calls} steady-state calls each, ` +
    `collection switched on only inside each phase's entry point and each phase dumped as its own region. Counted: ${m.counted}. Not counted: ${m.notCounted}. ` +
    `Two runs of the same build must agree exactly; checked on ${checked} cell${checked === 1 ? '' : 's'}: ` +
    (nondet.length ? `${nondet.length} nondeterministic (${nondet.map((n) => `${n.key}: ${n.phases.join(', ')}`).join('; ')}).` : 'every count identical.')
  );
}

function ratioTables(rows: InstructionComparison[], kind: 'flavor' | 'runtime'): string[] {
  const lines: string[] = [];
  const groups = new Map<string, InstructionComparison[]>();
  for (const c of rows.filter((r) => r.kind === kind && r.phase === 'perCall')) {
    const title = kind === 'flavor' ? `${c.candidate} against ${c.reference}` : c.on;
    groups.set(title, [...(groups.get(title) ?? []), c]);
  }
  for (const [title, list] of groups) {
    lines.push('', kind === 'flavor' ? `##### ${mdCode(list[0]!.candidate)} against ${mdCode(list[0]!.reference)}: instructions per call` : `##### Flavor ${mdCode(title)}: instructions per call`, '');
    lines.push(
      ...table(
        ['benchmark', kind === 'flavor' ? 'runtime' : 'candidate / reference', 'reference', 'candidate', 'ratio'],
        list.map((c) => [
          mdText(`${c.suite}/${c.case}`),
          mdCode(kind === 'flavor' ? c.on : `${c.candidate} / ${c.reference}`, true),
          c.referencePerCall !== undefined ? formatCount(c.referencePerCall) : '—',
          c.candidatePerCall !== undefined ? formatCount(c.candidatePerCall) : '—',
          c.ratio !== undefined ? c.ratio.toFixed(4) : mdText(`not compared: ${c.missing ?? ''}`),
        ]),
        ['---', '---', '--:', '--:', '--:'],
      ),
    );
  }
  return lines;
}

/** The instruction part of report.md, or nothing when the bench counted none. */
export function countsMarkdown(b: BenchData): string[] {
  if (!b.instructionMethod) return [];
  const lines = ['', '#### Instruction counts', '', mdText(countMethod(b))];
  const counted = b.cells.filter((c) => c.instructions);
  const shown: Phase[] = ['perCall', 'firstCall', 'compile', 'instantiate', 'precompile', 'deserialize'];
  if (counted.length) {
    lines.push(
      '',
      ...table(
        ['cell', 'status', ...shown.map((p) => PHASE_NAMES[p]), 'calls counted', 'exact'],
        counted.map((c) => {
          const ph = c.instructions!.phases;
          const nondet = c.instructions!.nondeterministic ?? [];
          return [
            mdCode(c.key, true),
            mdText(c.status + (c.trap ? ` ${c.trap}` : '')),
            ...shown.map((p) => {
              const x = ph?.[p];
              return x ? `${formatCount(x.perCall)}${x.deterministic ? '' : ` (${formatCount(x.min)}–${formatCount(x.max)} total)`}` : '—';
            }),
            ph?.perCall ? String(ph.perCall.calls) : '',
            ph ? (nondet.length ? `no: ${nondet.map((p) => PHASE_NAMES[p]).join(', ')}` : 'yes') : mdText((c.reason ?? '').slice(0, 200)),
          ];
        }),
        ['---', '---', ...shown.map(() => '--:'), '--:', '---'],
      ),
      '',
      'Instructions per call: a region\'s exact count divided by the calls it held (1 for compile ... first call). A cell that failed while counted shows its status, never a count.',
    );
  }
  const ratios = b.instructionComparisons ?? [];
  if (ratios.some((r) => r.kind === 'flavor')) lines.push('', 'Count ratios, candidate / reference (exact: no interval):', ...ratioTables(ratios, 'flavor'));
  if (ratios.some((r) => r.kind === 'runtime')) lines.push(...ratioTables(ratios, 'runtime'));
  const gate = b.baseline?.instructions;
  if (gate) {
    lines.push(
      '',
      `##### Instruction counts against the baseline ${mdCode(b.baseline!.file)}`,
      '',
      mdText(`Regression: a phase counts more than ${gate.thresholdPct}% more instructions per call than in the baseline (exact counts: no interval).`),
      '',
      `**Instruction regressions: ${gate.regressions.length}** · improvements: ${gate.improvements.length}`,
      '',
      ...table(
        ['cell', 'per call: baseline', 'now', 'now / baseline', 'verdict', 'phases regressed'],
        gate.rows.map((r) => {
          const p = r.phases.find((x) => x.phase === 'perCall');
          const grown = r.phases.filter((x) => x.verdict === 'regression');
          return [
            mdCode(r.key, true),
            p ? formatCount(p.baseline) : '—',
            p ? formatCount(p.now) : '—',
            p ? p.ratio.toFixed(4) : '—',
            r.verdict === 'regression' ? '❌ regression' : r.verdict === 'improvement' ? '🚀 improvement' : r.verdict === 'same' ? 'same' : mdText(`not compared: ${r.reason ?? ''}`),
            grown.map((x) => `${PHASE_NAMES[x.phase]} ${x.ratio.toFixed(4)}x`).join(', '),
          ];
        }),
        ['---', '--:', '--:', '--:', '---', '---'],
      ),
    );
  }
  return lines;
}
