import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportInChromium } from './chromium.js';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../html.js';
import { SUITES, syntheticBench, syntheticBenchReport, syntheticReport } from './fixtures.js';

const SCREENSHOT = join(tmpdir(), 'wasm-matrix-report.png');

describe('renderHtml, as text', () => {
  const report = syntheticReport();
  const html = renderHtml(report);

  it('is one file that fetches nothing and runs no script', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('escapes text from the run', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('hell\\u0000o');
    expect(html).not.toContain('\u0000');
  });

  it('draws bench charts for a bench report with timed cells only', () => {
    expect(html).not.toContain('id="bench"'); // a run report has no bench section
    const benchHtml = renderHtml(syntheticBenchReport());
    expect(benchHtml).toContain('<section id="bench">');
    expect(benchHtml).toContain('1 bench entries without a median per call are not drawn');
    expect(benchHtml.match(/data-bench=/g)).toHaveLength(12);
    const untimed = { ...syntheticBench(), cells: syntheticBench().cells.filter((c) => c.perCall === undefined) };
    const plain = renderHtml({ ...syntheticBenchReport(), bench: untimed });
    expect(plain).not.toContain('id="bench"');
    expect(plain.match(/data-cell=/g)).toHaveLength(report.cells.length);
  });
});

describe('renderHtml, in headless Chromium', () => {
  const report = syntheticBenchReport();
  const chromium = reportInChromium('wasm-matrix-html-', renderHtml(report));

  it('loads from file:// with no console errors and no requests but its own, one rect per cell', async (ctx) => {
    const { url } = chromium;
    const { page, errors, requests } = await chromium.open(ctx);

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.locator('rect[data-cell]').count()).toBe(report.cells.length);
    expect(await page.locator('svg.heatmap').count()).toBe(Object.keys(SUITES).length);
    expect(await page.locator('rect[data-status="mismatch"]').count()).toBe(3);
    expect(await page.locator('rect[data-outcome="failure"]').count()).toBe(5);
    expect(await page.locator('rect[data-outcome="error"]').count()).toBe(2);
    expect(await page.locator('rect[data-bench]').count()).toBe(12);
    const tip = await page.locator('rect[data-cell="arith/add/wat/wasmtime-24"] > title').textContent();
    expect(tip).toBe('arith/add/wat/wasmtime-24: mismatch — values differ');

    // A failing cell links to its expected-vs-actual rows.
    await page.locator('rect[data-cell="arith/add/wat/wasmtime-24"]').click();
    const target = await page.locator(':target').textContent();
    expect(target).toContain('[i32:3]');
    expect(target).toContain('[i32:4]');

    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`screenshot of report.html: ${SCREENSHOT}`);
    await page.close();
  });
});
