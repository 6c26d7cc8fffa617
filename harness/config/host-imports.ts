// Host imports and life cycles of users' own modules (a suite's `prebuilt`
// source, an external program's spec). Real C# modules import functions of
// their platform (SpacetimeDB `spacetime_10.x`, ChilloutVR `env.*`) and start
// up by the platform's convention; these declarations let the harness link
// stubs for the imports and run the start-up, so the module's raw exports can
// be called and compared across runtimes like any other cell.
import { z } from 'zod';

// The worker-protocol shapes (harness/workers/protocol.ts validates them), written out
// here so that config imports nothing from a later stage.
type ValType = 'i32' | 'i64' | 'f32' | 'f64';
export interface HostImportDecl {
  module: string;
  name: string;
  params: ValType[];
  results: ValType[];
  behavior: 'trap' | 'zero' | 'const' | 'record';
  values?: { type: ValType; value: string }[];
}
export type LifecycleDecl = 'reactor' | 'command-first' | 'none' | { prefix: string };

const VAL_TYPE = '(?:i32|i64|f32|f64)';
const TYPE_LIST = `(?:${VAL_TYPE}(?:, ${VAL_TYPE})*)?`;
/** `(i32, i64) -> (i32)`: the form the addon's `Module.imports()` prints. */
const SIGNATURE = new RegExp(`^\\((${TYPE_LIST})\\) -> \\((${TYPE_LIST})\\)$`);
const SCALAR = /^(i32|i64|f32|f64):\S+$/;

export const HostImportSpec = z
  .object({
    module: z.string().min(1),
    name: z.string().min(1),
    /** Exactly as the module imports it, e.g. `(i32, i32) -> (i64)`; `() -> ()` for none. */
    signature: z.string().regex(SIGNATURE, 'a signature like "(i32, i64) -> (i32)" (types i32, i64, f32, f64; ", " between them)'),
    /** trap: a call traps naming the import; zero: returns zeros; const: returns `values`; record: zeros, and each call is recorded with its arguments. */
    behavior: z.enum(['trap', 'zero', 'const', 'record']),
    /** For `const`: one `TYPE:VALUE` per result. */
    values: z.array(z.string().regex(SCALAR, 'TYPE:VALUE with TYPE one of i32, i64, f32, f64')).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const results = splitSignature(spec.signature)?.results;
    if (!results) return;
    if (spec.behavior === 'const') {
      const values = spec.values ?? [];
      if (values.length !== results.length) {
        ctx.addIssue({ code: 'custom', path: ['values'], message: `const needs ${results.length} value(s) for results (${results.join(', ')}), got ${values.length}` });
      }
      values.forEach((v, i) => {
        if (results[i] && v.split(':')[0] !== results[i]) ctx.addIssue({ code: 'custom', path: ['values', i], message: `"${v}" is not of result type ${results[i]}` });
      });
    } else if (spec.values !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `values only go with behavior "const", not "${spec.behavior}"` });
    }
  });
export type HostImportSpec = z.infer<typeof HostImportSpec>;

/** No two declarations of one import. */
export const HostImportList = z.array(HostImportSpec).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((d, i) => {
    const key = `${d.module}\u0000${d.name}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `${d.module}.${d.name} is declared twice` });
    seen.add(key);
  });
});

/**
 * How the module starts: `_start` once (the .NET 8 Mono interpreter's Main), `_initialize`
 * (a NativeAOT-LLVM reactor), `none`, or every export whose name starts with `prefix`,
 * called in sorted order (SpacetimeDB's `__preinit__*`).
 */
export const LifecycleSpec = z.union([z.enum(['_start', '_initialize', 'none']), z.object({ prefix: z.string().min(1) }).strict()]);
export type LifecycleSpec = z.infer<typeof LifecycleSpec>;

export function splitSignature(signature: string): { params: string[]; results: string[] } | undefined {
  const m = SIGNATURE.exec(signature);
  if (!m) return undefined;
  const list = (s: string | undefined): string[] => (s ? s.split(', ') : []);
  return { params: list(m[1]), results: list(m[2]) };
}

/** The worker-protocol form of a declaration. */
export function toHostImport(spec: HostImportSpec): HostImportDecl {
  const { params, results } = splitSignature(spec.signature)!;
  const values = spec.values?.map((v) => {
    const [type, ...rest] = v.split(':');
    return { type: type as ValType, value: rest.join(':') };
  });
  return { module: spec.module, name: spec.name, params: params as ValType[], results: results as ValType[], behavior: spec.behavior, ...(values ? { values } : {}) };
}

/** The worker-protocol form of a life cycle. */
export function toLifecycle(spec: LifecycleSpec): LifecycleDecl {
  if (typeof spec === 'object') return spec;
  return spec === '_start' ? 'command-first' : spec === '_initialize' ? 'reactor' : 'none';
}

/** `(i32, i64) -> (i32)` of a protocol declaration. */
export const signatureOf = (d: Pick<HostImportDecl, 'params' | 'results'>): string => `(${d.params.join(', ')}) -> (${d.results.join(', ')})`;

/**
 * Declarations that disagree with what the module imports: each names the import, the
 * declared signature and the module's own. A declaration of an import the module does
 * not have is not an error (one list can serve several modules).
 */
export function declarationProblems(declared: Pick<HostImportDecl, 'module' | 'name' | 'params' | 'results'>[], moduleImports: { module: string; name: string; kind: string; signature?: string | null }[]): string[] {
  const problems: string[] = [];
  for (const d of declared) {
    const found = moduleImports.find((i) => i.module === d.module && i.name === d.name);
    if (!found) continue;
    if (found.kind !== 'func') {
      problems.push(`host import ${d.module}.${d.name} is declared as a function ${signatureOf(d)}, but the module imports a ${found.kind} of that name`);
    } else if ((found.signature ?? '') !== signatureOf(d)) {
      problems.push(`host import ${d.module}.${d.name} is declared ${signatureOf(d)}, but the module imports it as ${found.signature}`);
    }
  }
  return problems;
}
