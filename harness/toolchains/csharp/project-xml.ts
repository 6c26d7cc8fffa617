// MSBuild and NuGet files written with an XML builder (escaping included).
import { create } from 'xmlbuilder2';

/** MSBuild properties in order. */
export type Properties = Array<[name: string, value: string]>;

/** An MSBuild item (Compile, NativeFileReference, ...). */
export interface Item {
  type: string;
  include: string;
}

const render = (doc: ReturnType<typeof create>): string => `${doc.end({ headless: true, prettyPrint: true })}\n`;

/** A NuGet package reference with its version. */
export interface PackageRef {
  id: string;
  version: string;
}

/** A target of our own hooked into the SDK's (`AfterTargets`/`BeforeTargets`), changing items. */
export interface Target {
  name: string;
  /** e.g. `{ AfterTargets: 'SetupOSSpecificProps' }`. */
  hook: Record<string, string>;
  /** Item operations inside the target, each an element with its attributes (`Remove`, `Update`, `Condition`...). */
  items: Array<{ type: string; attributes: Record<string, string> }>;
}

type Node = ReturnType<ReturnType<typeof create>['ele']>;

function addItems(project: Node, items: Item[]): void {
  for (const type of [...new Set(items.map((i) => i.type))]) {
    const itemGroup = project.ele('ItemGroup');
    for (const item of items.filter((i) => i.type === type)) itemGroup.ele(type, { Include: item.include });
  }
}

function addTargets(project: Node, targets: Target[]): void {
  for (const t of targets) {
    const group = project.ele('Target', { Name: t.name, ...t.hook }).ele('ItemGroup');
    for (const item of t.items) group.ele(item.type, item.attributes);
  }
}

/** An SDK-style project: one PropertyGroup, one ItemGroup per item type, package references, then targets. */
export function projectXml(properties: Properties, items: Item[], packages: PackageRef[] = [], targets: Target[] = []): string {
  const doc = create();
  const project = doc.ele('Project', { Sdk: 'Microsoft.NET.Sdk' });
  const group = project.ele('PropertyGroup');
  for (const [name, value] of properties) group.ele(name).txt(value);
  addItems(project, items);
  if (packages.length) {
    const refs = project.ele('ItemGroup');
    for (const p of packages) refs.ele('PackageReference', { Include: p.id, Version: p.version });
  }
  addTargets(project, targets);
  return render(doc);
}

/**
 * What the harness adds to a user-managed project, imported through
 * CustomBeforeMicrosoftCommonTargets (after the project body, so its items are visible).
 */
export function optionsTargetsXml(properties: Properties, items: Item[] = [], targets: Target[] = []): string {
  const doc = create();
  const project = doc.ele('Project');
  const group = project.ele('PropertyGroup');
  for (const [name, value] of properties) group.ele(name).txt(value);
  addItems(project, items);
  addTargets(project, targets);
  return render(doc);
}

/** A NuGet feed for nuget.config. */
export interface Feed {
  key: string;
  url: string;
  /** Package id patterns this feed serves (NuGet package source mapping). */
  patterns: string[];
}

/** A nuget.config with only these feeds, each mapped to its packages. */
export function nugetConfigXml(feeds: Feed[]): string {
  const doc = create({ version: '1.0', encoding: 'utf-8' });
  const config = doc.ele('configuration');
  const sources = config.ele('packageSources');
  sources.ele('clear');
  for (const f of feeds) sources.ele('add', { key: f.key, value: f.url });
  const mapping = config.ele('packageSourceMapping');
  for (const f of feeds) {
    const source = mapping.ele('packageSource', { key: f.key });
    for (const pattern of f.patterns) source.ele('package', { pattern });
  }
  return `${doc.end({ prettyPrint: true })}\n`;
}

/** AssemblyName of a user project (its file name when not set), read with the same XML library. */
export function assemblyNameOf(csprojText: string, fallback: string): string {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'AssemblyName' && typeof value === 'string' && value.trim()) found.add(value.trim());
      else if (key === 'AssemblyName' && Array.isArray(value)) value.forEach((v) => typeof v === 'string' && found.add(v.trim()));
      else visit(value);
    }
  };
  visit(create(csprojText).end({ format: 'object' }));
  const [name] = [...found].filter((n) => !n.includes('$('));
  return name ?? fallback;
}
