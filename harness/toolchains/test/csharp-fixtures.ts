// Test helpers for the C# flavor tests: suites written into temp folders, and
// the generated MSBuild/NuGet files read back with a real XML parser.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Suite } from '../../config/suite.js';
import type { BuildOptions } from '../flavor.js';

const created: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `wm-${prefix}-`));
  created.push(dir);
  return dir;
}

/** Removes every folder tempDir made (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A suite folder with the given C# files (name -> source). */
export function writeSuite(kind: Suite['kind'], files: Record<string, string>, name = 'test-suite'): Suite {
  const dir = tempDir('suite');
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return {
    schemaVersion: 1,
    name,
    description: 'test suite',
    kind,
    sources: { csharp: Object.keys(files) },
    cases: [{ name: 'c', call: { style: 'invoke', input: { utf8: '' } } }],
    defaultTimeoutMs: 10_000,
    dir,
    file: join(dir, 'suite.json'),
  };
}

export const options = (overrides: Partial<BuildOptions> = {}): BuildOptions => ({
  configuration: 'Release',
  reflection: true,
  defines: [],
  ...overrides,
});

export const ECHO_CASES = `using System;
using System.Text;
using WasmMatrix.Guest;

public static class GuestCases
{
    public static void Register(CaseRegistry registry)
    {
        registry.Add("echo", input => input);
        registry.Add("upper", input => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(input).ToUpperInvariant()));
        registry.Add("divide", input => new byte[] { (byte)(100 / input.Length) });
#if WASM_MATRIX_NATIVE
        registry.Add("flavor", input => Encoding.UTF8.GetBytes("native"));
#endif
#if EXTRA_CASE
        registry.Add("extra", input => Encoding.UTF8.GetBytes("extra"));
#endif
        registry.Add("spin", input => { while (true) { } });
        registry.Add("die", input => { Environment.Exit(3); return null; });
    }
}
`;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['ItemGroup', 'Compile', 'WasmComponentTypeWit', 'NativeFileReference', '_WasmNativeFileForLinking', 'PackageReference', 'packageSource', 'package', 'add'].includes(name) });

interface ParsedProject {
  sdk: string;
  properties: Record<string, string>;
  items: (type: string) => string[];
  packages: Array<{ id: string; version: string }>;
  /** Our own targets: name, hook attributes, and each item operation with its attributes. */
  targets: Array<{ name: string; hook: Record<string, string>; items: Array<Record<string, Record<string, string>>> }>;
}

export function readProject(xml: string): ParsedProject {
  const project = parser.parse(xml).Project;
  const groups: Array<Record<string, Array<Record<string, string>>>> = project.ItemGroup ?? [];
  return {
    sdk: project['@Sdk'],
    properties: project.PropertyGroup,
    items: (type) => groups.flatMap((g) => (g[type] ?? []).map((i) => i['@Include']!)),
    packages: groups.flatMap((g) => (g.PackageReference ?? []).map((p) => ({ id: p['@Include']!, version: p['@Version']! }))),
    targets: ([] as Array<Record<string, unknown>>).concat(project.Target ?? []).map((t) => {
      const attrs = Object.fromEntries(Object.entries(t).filter(([k]) => k.startsWith('@')).map(([k, v]) => [k.slice(1), String(v)]));
      const { Name, ...hook } = attrs;
      const group = ([] as Array<Record<string, unknown>>).concat((t.ItemGroup as never) ?? [])[0] ?? {};
      const items = Object.entries(group).flatMap(([type, list]) =>
        ([] as Array<Record<string, string>>).concat(list as never).map((i) => ({ [type]: Object.fromEntries(Object.entries(i).map(([k, v]) => [k.slice(1), v])) })),
      );
      return { name: Name!, hook, items };
    }),
  };
}

export function readNugetConfig(xml: string): { sources: Record<string, string>; cleared: boolean; mapping: Record<string, string[]> } {
  const config = parser.parse(xml).configuration;
  const sources = Object.fromEntries((config.packageSources.add ?? []).map((a: Record<string, string>) => [a['@key'], a['@value']]));
  const mapping = Object.fromEntries(
    (config.packageSourceMapping.packageSource ?? []).map((s: { '@key': string; package: Array<Record<string, string>> }) => [
      s['@key'],
      s.package.map((p) => p['@pattern']),
    ]),
  );
  return { sources, cleared: 'clear' in config.packageSources, mapping };
}

export function readOptionsTargets(xml: string): Record<string, string> {
  return parser.parse(xml).Project.PropertyGroup;
}
