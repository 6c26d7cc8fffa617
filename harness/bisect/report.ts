// The bisect's final report: the versions tried with their results and how
// each runtime was obtained, the answer, and a line ready to paste in an issue.
import type { RuntimeUse } from './oracle.js';
import type { BisectResult } from './search.js';

export interface BisectReport {
  cell: string;
  measure: string;
  good: string;
  bad: string;
  result: BisectResult;
  runtimes: RuntimeUse[];
  builds: { count: number; seconds: number };
  reused: number;
  seconds: number;
}

/** The release notes of a Wasmtime version. */
export function releaseLink(version: string): string {
  return `https://github.com/bytecodealliance/wasmtime/releases/tag/v${version}`;
}

/** A list of releases, shortened when long: `38 releases, 25.0.0 to 36.0.13`. */
export function releaseList(versions: string[]): string {
  return versions.length <= 6 ? versions.join(', ') : `${versions.length} releases, ${versions[0]} to ${versions[versions.length - 1]}`;
}

/** One line for an issue or a commit message. */
export function linkLine(report: BisectReport): string {
  const r = report.result;
  if (r.outcome === 'found') {
    return `\`${report.cell}\` (${report.measure}) changed in Wasmtime [${r.firstChanged}](${releaseLink(r.firstChanged)}) (last unchanged: ${r.lastSame})`;
  }
  if (r.outcome === 'range') {
    return `\`${report.cell}\` (${report.measure}) changed after Wasmtime ${r.lastSame}, at or before [${r.firstChanged}](${releaseLink(r.firstChanged)}); not judged: ${releaseList(r.untested)}`;
  }
  return `\`${report.cell}\` (${report.measure}): no change between Wasmtime ${report.good} and ${report.bad}`;
}

export function renderBisect(report: BisectReport): string {
  const uses = new Map(report.runtimes.map((u) => [u.version, u]));
  const rows = report.result.tried.map((t) => {
    const use = uses.get(t.version);
    const how = !use ? '' : use.how === 'built' ? `built (${use.seconds?.toFixed(0)} s)` : use.how;
    return [t.version, t.phase, how, t.verdict === 'old' ? 'same' : t.verdict === 'new' ? 'changed' : 'not judged', t.display];
  });
  const headers = ['version', 'phase', 'runtime', 'verdict', 'result'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const r = report.result;
  const answer =
    r.outcome === 'found'
      ? `first changed release: ${r.firstChanged} (last with the old result: ${r.lastSame})\nrelease notes: ${releaseLink(r.firstChanged)}`
      : r.outcome === 'range'
        ? `changed after ${r.lastSame}, at or before ${r.firstChanged}; could not judge ${releaseList(r.untested)}`
        : `no change: ${r.display}`;
  return [
    `bisect ${report.cell} (measure: ${report.measure}) between ${report.good} and ${report.bad}`,
    '',
    line(headers),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    answer,
    `runtimes built: ${report.builds.count} (${report.builds.seconds.toFixed(0)} s), reused: ${report.reused}; bisect took ${report.seconds.toFixed(0)} s`,
    '',
    linkLine(report),
    '',
  ].join('\n');
}
