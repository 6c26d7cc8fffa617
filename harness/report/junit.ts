// junit.xml for CI test views: one testsuite per suite, one testcase per cell,
// classname `suite.flavor.runtime` so CI groups cells by column.
import { create } from 'xmlbuilder2';
import { clip, describeDifference, guestText, showControls, statusText } from './observed.js';
import type { Cell } from '../model/cell.js';
import type { Report } from './schema.js';
import { outcome, verdict } from './status.js';

/** Seconds spent on a cell, from its timings when the worker reported them. */
function cellSeconds(cell: Cell): number {
  const t = cell.timings;
  return t ? (t.loadMs + t.instantiateMs + t.initMs + t.callMs) / 1000 : 0;
}

/** Attributes hold one line; XML parsers fold raw newlines in attributes to spaces anyway. */
const oneLine = (s: string, max = 500): string => clip(showControls(s).replace(/\s*\r?\n\s*/g, ' '), max);

// XML 1.0 cannot carry some code points at all (NUL, most C0 controls, lone
// surrogates). Text from cells goes through showControls; this is the backstop
// for names, so no input makes a file that parsers reject.
const visibleEscape = (char: string): string =>
  [...char].map((c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`).join('');

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

function countCells(cells: readonly Cell[]): Counts {
  const counts: Counts = { tests: cells.length, failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const cell of cells) {
    const o = outcome(cell);
    if (o === 'failure') counts.failures++;
    else if (o === 'error') counts.errors++;
    else if (o === 'skipped') counts.skipped++;
    counts.time += cellSeconds(cell);
  }
  return counts;
}

const countAttrs = (c: Counts) => ({
  tests: String(c.tests),
  failures: String(c.failures),
  errors: String(c.errors),
  skipped: String(c.skipped),
  time: c.time.toFixed(3),
});

/** junit.xml: one testcase per cell, failures and errors with expected vs actual. */
export function renderJunit(report: Report): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: visibleEscape });
  const root = doc.ele('testsuites', { name: `wasm-matrix ${report.kind}`, ...countAttrs(countCells(report.cells)) });

  const bySuite = new Map<string, Cell[]>();
  for (const cell of report.cells) {
    const list = bySuite.get(cell.suite);
    if (list) list.push(cell);
    else bySuite.set(cell.suite, [cell]);
  }

  for (const [suite, cells] of bySuite) {
    const ts = root.ele('testsuite', { name: suite, timestamp: report.startedAt, ...countAttrs(countCells(cells)) });
    const props = ts.ele('properties');
    for (const r of report.runtimes) props.ele('property', { name: `wasmtime.${r.id}`, value: r.wasmtimeVersion });
    props.ele('property', { name: 'complete', value: String(report.complete) });
    if (report.interrupted) props.ele('property', { name: 'interrupted', value: oneLine(report.interrupted) });
    // What each flavor built for this suite: kind (core-module, component, native) and imports.
    for (const a of report.artifacts.filter((x) => x.suite === suite)) {
      props.ele('property', { name: `artifact.${a.flavor}.kind`, value: a.kind });
      if (a.imports) props.ele('property', { name: `artifact.${a.flavor}.imports`, value: oneLine(a.imports.join(' '), 2000) });
    }

    for (const cell of cells) {
      const tc = ts.ele('testcase', {
        classname: `${cell.suite}.${cell.flavor}.${cell.runtime}`,
        name: cell.case,
        time: cellSeconds(cell).toFixed(3),
      });
      const message = oneLine(cell.reason ?? statusText(cell));
      const type = cell.status === 'trap' && cell.actual?.trap ? `trap:${cell.actual.trap}` : cell.status;
      if (cell.actual?.stdoutTruncated || cell.actual?.stderrTruncated) {
        const cutProps = tc.ele('properties');
        if (cell.actual.stdoutTruncated) cutProps.ele('property', { name: 'stdoutTruncated', value: 'true' });
        if (cell.actual.stderrTruncated) cutProps.ele('property', { name: 'stderrTruncated', value: 'true' });
      }
      switch (outcome(cell)) {
        case 'skipped':
          tc.ele('skipped', { message: cell.reason ? message : cell.status });
          break;
        case 'failure':
          tc.ele('failure', { message, type }).txt(showControls(describeDifference(cell)));
          break;
        case 'error':
          tc.ele('error', { message, type }).txt(showControls(describeDifference(cell)));
          break;
        case 'pass':
          break;
      }
      // What the guest printed, for every cell that did not pass (a trap's panic message, a known failure's output).
      const shows = outcome(cell) !== 'pass';
      const out = shows ? guestText(cell, 'stdout') : undefined;
      const err = shows ? guestText(cell, 'stderr') : undefined;
      if (out) tc.ele('system-out').txt(out);
      if (err) tc.ele('system-err').txt(err);
    }
  }
  // An incomplete run or an unusable input is an error of its own, so a CI
  // view of junit.xml fails with the same verdict as report.md and the exit code.
  const v = verdict(report);
  const runProblems = [
    ...(report.complete ? [] : [`incomplete report: ${report.interrupted ?? 'the run had not finished'} (${report.cells.length} cells finished)`]),
    ...(report.inputErrors ?? []).map((e) => `unusable input left out: ${e}`),
  ];
  if (runProblems.length) {
    const ts = root.ele('testsuite', { name: 'wasm-matrix', timestamp: report.startedAt, tests: String(runProblems.length), failures: '0', errors: String(runProblems.length), skipped: '0', time: '0.000' });
    runProblems.forEach((p, i) => {
      ts.ele('testcase', { classname: 'wasm-matrix.run', name: i === 0 && !report.complete ? 'complete' : `input ${i + 1}`, time: '0.000' }).ele('error', { message: oneLine(p), type: report.complete ? 'input' : 'incomplete' }).txt(`exit ${v.exitCode}: ${v.summary}`);
    });
    const total = countCells(report.cells);
    root.att({ ...countAttrs({ ...total, tests: total.tests + runProblems.length, errors: total.errors + runProblems.length }) });
  }
  return doc.end({ prettyPrint: true });
}
