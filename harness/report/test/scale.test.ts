// The renderings of a 50,000-cell report (generated, no runtimes): within the
// limits harness/report/scale.ts states, every failing cell listed, junit.xml
// complete, and the page opens in Chromium with no console errors. Sizes and
// structure are asserted, never wall-clock time (README records that).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellKey } from '../../model/cell.js';
import { DETAIL_CELL_LIMIT, HTML_DETAILED_DIFFERENCES, MD_DETAILED_DIFFERENCES, MD_LISTED_DIFFERENCES } from '../scale.js';
import { isProblem } from '../status.js';
import { writeReportFiles } from '../writer.js';
import { launchChromium, openRecorded } from './chromium.js';
import { FLAVORS, RUNTIMES, largeReport } from './fixtures.js';

// 100 suites x 42 cases x 4 flavors x 3 runtimes = 50,400 cells; the last 40 suites pass.
const SUITE_COUNT = 100;
const report = largeReport(SUITE_COUNT, 42, 40, 37, 23);
const failing = report.cells.filter(isProblem);
const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-scale-'));
const paths = writeReportFiles(dir, report);
const md = readFileSync(paths.markdown, 'utf8');
const html = readFileSync(paths.html, 'utf8');
const MiB = 1024 * 1024;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a 50,000-cell report', () => {
  it('is the size this test assumes', () => {
    expect(report.cells.length).toBe(50_400);
    expect(failing.length).toBeGreaterThan(MD_DETAILED_DIFFERENCES + MD_LISTED_DIFFERENCES);
    expect(failing.length).toBeLessThan(HTML_DETAILED_DIFFERENCES * 2);
  });

  it('report.md: the summary first, counts per suite x flavor x runtime, failing cells listed, under 1 MiB', () => {
    expect(statSync(paths.markdown).size).toBeLessThan(1 * MiB);
    expect(md.split('\n')[0]).toMatch(new RegExp(`^## ❌ wasm-matrix run: ${failing.length} failing cells`));
    expect(md.indexOf('**50400 cells:**')).toBeLessThan(md.indexOf('### Results'));
    // One aggregate row per suite, a column per flavor x runtime.
    const aggregateRows = md.split('\n').filter((l) => /^\| `suite-\d{3}` \| 504 \|/.test(l));
    expect(aggregateRows).toHaveLength(SUITE_COUNT);
    expect(aggregateRows[0]!.split(' | ')).toHaveLength(3 + FLAVORS.length * RUNTIMES.length);
    expect(md).toMatch(/^\| `suite-099` \| 504 \| 0 \| ⏭️ 42 \|/m);
    // Per-case grids only for failing suites, within the limit.
    const grids = md.match(/^#### Suite /gm) ?? [];
    expect(grids.length).toBeGreaterThan(0);
    expect(grids.length * 504).toBeLessThanOrEqual(DETAIL_CELL_LIMIT);
    expect(md).not.toContain('#### Suite `suite-099`');
    // Failing cells: detailed, then one line each, then the count of the rest.
    const keys = failing.map(cellKey);
    for (const key of keys.slice(0, MD_DETAILED_DIFFERENCES + MD_LISTED_DIFFERENCES)) expect(md).toContain(`\`${key}\``);
    expect(md).toContain(`… and ${failing.length - MD_DETAILED_DIFFERENCES - MD_LISTED_DIFFERENCES} more failing cells`);
  });

  it('report.html: every failing cell listed, passing cells aggregated, a bounded number of drawn cells', () => {
    expect(statSync(paths.html).size).toBeLessThan(8 * MiB);
    for (const key of failing.map(cellKey)) expect(html).toContain(`<code>${key}</code>`);
    expect(html.match(/<td class="agg"/g)).toHaveLength(SUITE_COUNT * FLAVORS.length * RUNTIMES.length);
    const drawn = html.match(/<rect [^>]*data-cell=/g) ?? [];
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThanOrEqual(DETAIL_CELL_LIMIT);
    expect(html.indexOf('50400 cells')).toBeLessThan(html.indexOf('id="matrix"'));
  });

  it('junit.xml: one testcase per cell, every failure', () => {
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(paths.junit, 'utf8')) as {
      testsuites: { '@_tests': string; '@_failures': string; testsuite: Array<{ testcase: Array<{ failure?: unknown }> }> };
    };
    expect(Number(xml.testsuites['@_tests'])).toBe(report.cells.length);
    expect(xml.testsuites.testsuite).toHaveLength(SUITE_COUNT);
    const cases = xml.testsuites.testsuite.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(report.cells.length);
    expect(cases.filter((c) => c.failure !== undefined)).toHaveLength(failing.length);
  });
});

describe('the 50,000-cell report.html in headless Chromium', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('opens with no console errors and no requests but its own', async (ctx) => {
    if (!browser) return ctx.skip();
    const url = pathToFileURL(paths.html).href;
    const { page, errors, requests } = await openRecorded(browser, url);
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.locator('table.aggregate td.agg').count()).toBe(SUITE_COUNT * FLAVORS.length * RUNTIMES.length);
    // A drawn failing cell still jumps to its row under Differences.
    const first = failing.find((c) => html.includes(`data-cell="${cellKey(c)}"`))!;
    await page.locator(`rect[data-cell="${cellKey(first)}"]`).click();
    expect(await page.locator(':target').textContent()).toContain(cellKey(first));
  }, 300_000);
});
