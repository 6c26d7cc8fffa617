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
import { AddonInstanceOptions, AddonIntegrityRecord, AddonOutcome, AddonPreopen, AddonStatus, AddonTrapKind, EngineOptions, ExternSummary, WasmValue } from '../addon.js';

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

  it('returns only the statuses AddonStatus lists', () => {
    const statuses = new Set<string>();
    for (const { text } of sources) {
      for (const m of text.matchAll(/status: "([a-z-]+)"\.into\(\)/g)) statuses.add(m[1]!);
      for (const m of text.matchAll(/let status = if [^{]+\{ "([a-z-]+)" \} else \{ "([a-z-]+)" \}/g)) statuses.add(m[1]!).add(m[2]!);
    }
    expect(statuses.size).toBeGreaterThanOrEqual(5);
    expect([...statuses].sort()).toEqual([...AddonStatus.options].sort());
  });

  it('maps traps onto exactly the kinds AddonTrapKind lists (the model TrapKind plus interrupt)', () => {
    const outcome = sources.find((s) => s.file === 'outcome.rs')!.text;
    const kinds = new Set([...outcome.matchAll(/=> "([a-z-]+)"/g)].map((m) => m[1]!));
    expect([...kinds].sort()).toEqual([...AddonTrapKind.options].sort());
  });
});
