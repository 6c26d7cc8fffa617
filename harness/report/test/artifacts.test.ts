// Each artifact's kind (core module or component) and its WASI imports, in
// every report format: report.json carries them (schema), report.md, report.html
// (also checked in headless Chromium) and junit.xml render them.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../html.js';
import { renderJunit } from '../junit.js';
import { renderMarkdown } from '../markdown.js';
import { Report } from '../schema.js';
import { reportInChromium } from './chromium.js';
import { syntheticReport } from './fixtures.js';

/** The synthetic report with one core module, one component and one native artifact. */
function withArtifacts(): Report {
  return Report.parse({
    ...syntheticReport(),
    artifacts: [
      { suite: 'arith', flavor: 'clang-wasi-O2', hash: 'h1', sizeBytes: 1200, kind: 'core-module', cacheHit: false, imports: ['wasi_snapshot_preview1'] },
      { suite: 'arith', flavor: 'clang-wasi-p2', hash: 'h2', sizeBytes: 80000, kind: 'component', cacheHit: true, imports: ['wasi:cli/environment@0.2.12', 'wasi:io/streams@0.2.12'] },
      { suite: 'arith', flavor: 'wat', hash: 'h3', sizeBytes: 90, kind: 'core-module', cacheHit: false, imports: [] },
    ],
  });
}

describe('artifact kind and imports', () => {
  const report = withArtifacts();

  it('report.json keeps them through the schema', () => {
    const back = Report.parse(JSON.parse(JSON.stringify(report)));
    expect(back.artifacts.map((a) => [a.flavor, a.kind, a.imports])).toEqual([
      ['clang-wasi-O2', 'core-module', ['wasi_snapshot_preview1']],
      ['clang-wasi-p2', 'component', ['wasi:cli/environment@0.2.12', 'wasi:io/streams@0.2.12']],
      ['wat', 'core-module', []],
    ]);
  });

  it('report.md lists each with kind, size and imports', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('### Artifacts');
    expect(md).toMatch(/\| arith\/clang-wasi-p2 \| component \| 80000 B \| `wasi:cli\/environment@0\.2\.12` `wasi:io\/streams@0\.2\.12` \|/);
    expect(md).toMatch(/\| arith\/wat \| core-module \| 90 B \| none \|/);
  });

  it('report.html has the same table, escaped', () => {
    const html = renderHtml(report);
    expect(html).toContain('<h3 id="artifacts">Artifacts</h3>');
    expect(html).toContain('<tr><td><code>arith/clang-wasi-p2</code></td><td>component</td><td>80000 B</td><td><code>wasi:cli/environment@0.2.12</code> <code>wasi:io/streams@0.2.12</code></td></tr>');
    const hostile = Report.parse({ ...report, artifacts: [{ ...report.artifacts[0]!, imports: ['<b>x</b>'] }] });
    expect(renderHtml(hostile)).not.toContain('<b>x</b>');
    // No artifacts, no table (and nothing else changes).
    expect(renderHtml(syntheticReport())).not.toContain('id="artifacts"');
  });

  it('junit.xml gives them as properties of the suite', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (n) => n === 'testsuite' || n === 'property' });
    const suites = parser.parse(renderJunit(report)).testsuites.testsuite as Array<{ '@_name': string; properties: { property: Array<{ '@_name': string; '@_value': string }> } }>;
    const props = Object.fromEntries(suites.find((s) => s['@_name'] === 'arith')!.properties.property.map((p) => [p['@_name'], p['@_value']]));
    expect(props['artifact.clang-wasi-p2.kind']).toBe('component');
    expect(props['artifact.clang-wasi-p2.imports']).toBe('wasi:cli/environment@0.2.12 wasi:io/streams@0.2.12');
    expect(props['artifact.clang-wasi-O2.kind']).toBe('core-module');
    expect(props['artifact.wat.imports']).toBe('');
    // Other suites carry only their own artifacts.
    const other = suites.find((s) => s['@_name'] !== 'arith')!;
    expect(other.properties.property.some((p) => p['@_name'].startsWith('artifact.'))).toBe(false);
  });
});

describe('the artifact table in headless Chromium', () => {
  const chromium = reportInChromium('wasm-matrix-artifacts-', renderHtml(withArtifacts()));

  it('shows one row per artifact with its kind and imports, without console errors', async (ctx) => {
    const { page, errors } = await chromium.open(ctx);
    expect(errors).toEqual([]);
    const rows = page.locator('#artifacts + table tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual(['arith/clang-wasi-p2', 'component', '80000 B', 'wasi:cli/environment@0.2.12 wasi:io/streams@0.2.12']);
    expect(await page.locator('#artifacts').isVisible()).toBe(true);
    await page.close();
  });
});
