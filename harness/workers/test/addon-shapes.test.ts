// The addon's TypeScript types come from the zod schemas in workers/addon.ts;
// this checks the Rust side (runtimes/addon/src) against them: every
// `#[napi(object)]` struct field by field (name and optionality), and every
// status and trap kind the Rust code can return. Reads the Rust source, so it
// needs no built addon.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { projectRoot } from '../../paths.js';
import { HostCall, HostImport } from '../protocol.js';
import { AddonInstanceOptions, AddonIntegrityRecord, AddonOutcome, AddonPreopen, AddonOutputSpill, AddonStatus, AddonTrapKind, ComponentItemKind, CoreExternKind, EngineOptions, ExternSummary, WasmValue } from '../addon.js';

const SRC = join(projectRoot, 'runtimes', 'addon', 'src');
const sources = readdirSync(SRC)
  .filter((f) => f.endsWith('.rs'))
  .map((f) => ({ file: f, text: readFileSync(join(SRC, f), 'utf8') }));

/** Each Rust `#[napi(object)]` struct and the zod schema that describes it in TypeScript. */
const SCHEMAS: Record<string, z.ZodObject> = {
  CallOutcome: AddonOutcome,
  EngineOptions,
  IntegrityRecord: AddonIntegrityRecord,
  WasmValue,
  ExternSummary,
  Preopen: AddonPreopen,
  OutputSpill: AddonOutputSpill,
  InstanceOptions: AddonInstanceOptions,
  HostImport,
  HostCall,
};

interface RustField {
  name: string;
  optional: boolean;
}

const camel = (snake: string): string => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The napi object structs of the addon: name -> fields as JavaScript sees them. */
function napiObjects(): Map<string, RustField[]> {
  const found = new Map<string, RustField[]>();
  for (const { text } of sources) {
    for (const m of text.matchAll(/#\[napi\(object\)\][^]*?pub struct (\w+) \{([^}]*)\}/g)) {
      const fields: RustField[] = [];
      let jsName: string | undefined;
      for (const line of m[2]!.split('\n').map((l) => l.trim())) {
        const rename = /^#\[napi\(js_name = "(\w+)"\)\]/.exec(line);
        if (rename) jsName = rename[1];
        const field = /^pub (\w+): (.+),$/.exec(line);
        if (!field) continue;
        fields.push({ name: jsName ?? camel(field[1]!), optional: field[2]!.startsWith('Option<') });
        jsName = undefined;
      }
      found.set(m[1]!, fields);
    }
  }
  return found;
}

const kebab = (pascal: string): string => pascal.replace(/(?<!^)([A-Z])/g, '-$1').toLowerCase();

/** The JavaScript values of a Rust `#[napi(string_enum = "kebab-case")]` enum: its variants in kebab-case. */
function rustStringEnum(name: string): string[] {
  for (const { text } of sources) {
    const m = new RegExp(`#\\[napi\\(string_enum = "kebab-case"\\)\\][^]*?pub enum ${name} \\{([^}]*)\\}`).exec(text);
    if (!m) continue;
    const variants = m[1]!
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^[A-Z]\w*,$/.test(l))
      .map((l) => kebab(l.slice(0, -1)));
    expect(variants.length, `variants of ${name}`).toBeGreaterThanOrEqual(5);
    return variants;
  }
  throw new Error(`no napi string enum ${name} in runtimes/addon/src`);
}

/** The `#[napi]` methods and getters of each napi class, over every `#[napi] impl X` block: class -> JavaScript names. */
function napiMethods(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const { text } of sources) {
    const impls = [...text.matchAll(/#\[napi\]\s*impl (\w+) \{/g)].map((m) => ({ name: m[1]!, at: m.index! }));
    for (const m of text.matchAll(/#\[napi(?:\((?:getter|constructor)\))?\]\s*pub fn (\w+)/g)) {
      const owner = impls.filter((i) => i.at < m.index!).at(-1);
      if (!owner) continue;
      const set = found.get(owner.name) ?? new Set<string>();
      set.add(camel(m[1]!));
      found.set(owner.name, set);
    }
  }
  return found;
}

/** The members of a TypeScript interface in workers/addon.ts (methods and readonly fields). */
function tsMembers(name: string): string[] {
  const text = readFileSync(join(projectRoot, 'harness', 'workers', 'addon.ts'), 'utf8');
  const body = new RegExp(`export interface ${name} \\{([^]*?)\\n\\}`).exec(text)?.[1] ?? '';
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)[(:]/gm)].map((m) => m[1]!).sort();
}

const acceptsUndefined = (schema: z.ZodType): boolean => schema.safeParse(undefined).success;

describe('the addon surface, Rust against the zod schemas', () => {
  const objects = napiObjects();

  it('finds the napi object structs (so an empty match cannot pass)', () => {
    expect([...objects.keys()].sort()).toEqual(Object.keys(SCHEMAS).sort());
  });

  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`${name}: the same fields, optional exactly where Rust has Option<_>`, () => {
      const rust = objects.get(name) ?? [];
      expect(rust.map((f) => f.name).sort(), `fields of ${name}`).toEqual(Object.keys(schema.shape).sort());
      for (const field of rust) {
        expect(acceptsUndefined(schema.shape[field.name] as z.ZodType), `${name}.${field.name} optional`).toBe(field.optional);
      }
    });
  }

  it('CallStatus: the Rust string enum has exactly the statuses AddonStatus lists', () => {
    expect(rustStringEnum('CallStatus').sort()).toEqual([...AddonStatus.options].sort());
  });

  it('TrapKind: the Rust string enum has exactly the kinds AddonTrapKind lists (the model TrapKind plus interrupt)', () => {
    expect(rustStringEnum('TrapKind').sort()).toEqual([...AddonTrapKind.options].sort());
  });

  it('no call outcome is built from a free-form status or trap string', () => {
    for (const { file, text } of sources) {
      expect(text, file).not.toMatch(/status: "[a-z-]+"\.into\(\)/);
      expect(text, file).not.toMatch(/trap: Some\("[a-z-]+"/);
    }
  });

  it('names only the extern kinds ExternSummary lists: core kinds in module.rs, component item kinds in component.rs', () => {
    const text = (file: string) => sources.find((s) => s.file === file)!.text;
    const describeFn = /fn describe\(ty: &ExternType\)[^]*?\n\}/.exec(text('module.rs'))?.[0] ?? '';
    const core = new Set([...describeFn.matchAll(/\("([a-z-]+)", (?:None|Some)/g)].map((m) => m[1]!));
    expect([...core].sort()).toEqual([...CoreExternKind.options].sort());
    const itemKind = /fn item_kind[^]*?\n\}/.exec(text('component.rs'))?.[0] ?? '';
    const items = new Set([...itemKind.matchAll(/=> "([a-z-]+)"/g)].map((m) => m[1]!));
    expect([...items].sort()).toEqual([...ComponentItemKind.options].sort());
  });
});

describe('the addon classes, Rust against the TypeScript interfaces', () => {
  const methods = napiMethods();
  const rust = (name: string) => [...(methods.get(name) ?? [])].sort();

  it('a core module and a component have the surface AddonModule and AddonComponent declare', () => {
    expect(rust('Module')).toEqual(tsMembers('AddonModule'));
    expect(rust('Component')).toEqual(tsMembers('AddonComponent'));
  });

  it('the engine has the core and component methods AddonEngine declares', () => {
    // `new` is the constructor (RuntimeAddon.Engine), not a member.
    expect(rust('Engine').filter((m) => m !== 'new')).toEqual(tsMembers('AddonEngine'));
    expect(tsMembers('AddonEngine')).toEqual(expect.arrayContaining(['compileComponent', 'deserializeComponent', 'instantiateComponent', 'isComponent', 'precompileComponent']));
  });

  it('a component instance answers every call of a core instance (one AddonInstance surface)', () => {
    const instance = tsMembers('AddonInstance');
    expect(instance.length).toBeGreaterThanOrEqual(15);
    expect(rust('Instance')).toEqual(instance);
    // The component instance adds only its `world` getter.
    expect(rust('ComponentInstance')).toEqual([...instance, 'world'].sort());
  });
});
