// The shape a built artifact must have for its flavor, checked right after the
// build so that a module without our exports (a glue file the toolchain did not
// link, an AOT build that kept the framework's component type) fails its build
// with one clear diagnostic instead of failing every cell later.
//
// Facts the shapes come from (harness/toolchains/csharp/README.md cites each):
// a .NET 8 `wasi-experimental` console program is a WASI preview1 command that
// exports `memory`, `_start`, `malloc`, `free`; a NativeAOT-LLVM `NativeLib=Shared`
// library linked for wasm32-unknown-wasip1 is a reactor exporting `memory` and
// `_initialize`, but its framework objects may still import `wasi:*@0.2.x`
// functions that no preview1 host provides; the upstream default is a component.
import type { WasmSummary } from '../util/wasm-summary.js';

/** What an artifact of a flavor must be, by its exports and imports. */
export interface ShapeRule {
  /** A component (the flavor's exports are then interfaces, checked by `componentExport`). */
  component?: boolean;
  /** For a component: the export (interface name and version prefix) its world needs. */
  componentExport?: string;
  /** Exports every artifact of the flavor has, whatever the suite. */
  lifecycleExport?: '_start' | '_initialize';
  /** The guest ABI v1 exports of a dispatcher suite. */
  abiExports: string[];
  /** Reject imports from `wasi:*` modules (preview 2 interfaces in a core module). */
  refusePreview2Imports: boolean;
}

/** The guest ABI v1 exports every dispatcher core module has. */
export const ABI_EXPORTS = ['memory', 'harness_alloc', 'harness_invoke'];

/** What each wasm flavor must produce; flavors not listed are not checked. */
export function shapeRule(flavor: string, suiteKind: 'dispatcher' | 'command'): ShapeRule | undefined {
  const abiExports = suiteKind === 'dispatcher' ? ABI_EXPORTS : [];
  switch (flavor) {
    case 'mono-interp':
      // Always a command: _start runs Main, which boots the runtime (command-first).
      return { lifecycleExport: '_start', abiExports, refusePreview2Imports: true };
    case 'nativeaot-llvm':
      return { lifecycleExport: suiteKind === 'dispatcher' ? '_initialize' : '_start', abiExports, refusePreview2Imports: true };
    case 'nativeaot-llvm-p2':
      // The toolchain's default link: a component of the dispatcher world or a wasi:cli command.
      return { component: true, componentExport: suiteKind === 'dispatcher' ? 'wasm-matrix:guest/dispatch@0.1.' : 'wasi:cli/run@0.2.', abiExports: [], refusePreview2Imports: false };
    default:
      // clang and WAT guests are built and run here, so their cells already show a bad shape.
      return undefined;
  }
}

/**
 * Problems with a built artifact, each naming what is missing or wrong and what it
 * means; empty when the artifact has the shape its flavor must have.
 */
export function shapeProblems(flavor: string, suiteKind: 'dispatcher' | 'command', summary: WasmSummary): string[] {
  const rule = shapeRule(flavor, suiteKind);
  if (!rule) return [];
  if (rule.component) {
    if (summary.kind !== 'component') return [`${flavor} produced a core module, not a component (the ILCompiler linked with wasm-ld instead of wasm-component-ld: IlcLlvmTarget or LinkerFlavor overridden?)`];
    const want = rule.componentExport!;
    // Empty when jco, which reads a component's interfaces, is not installed: nothing to check then.
    if (summary.exports.length && !summary.exports.some((e) => e.name.startsWith(want))) {
      const has = summary.exports.map((e) => e.name).join(', ');
      const why = want.startsWith('wasm-matrix') ? ` (the wasm-matrix-guest.wit component type or ComponentExports.cs was not linked)` : '';
      return [`${flavor} component does not export ${want}x; it exports ${has}${why}`];
    }
    return [];
  }
  if (summary.kind === 'component') {
    return [`${flavor} produced a component, not a core module (for NativeAOT-LLVM: the framework's component-type link arguments were not removed)`];
  }
  const exported = new Set(summary.exports.map((e) => e.name));
  const problems: string[] = [];
  const missing = rule.abiExports.filter((name) => !exported.has(name));
  if (missing.length) {
    const why = flavor === 'mono-interp' ? ' (the C glue mono_glue.c was not linked: see _WasmNativeFileForLinking)' : '';
    problems.push(`${flavor} artifact is missing the guest ABI v1 export${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${why}`);
  }
  if (rule.lifecycleExport && !exported.has(rule.lifecycleExport)) {
    problems.push(`${flavor} artifact has no ${rule.lifecycleExport} export, the life cycle its flavor needs (${rule.lifecycleExport === '_start' ? 'a command' : 'a reactor'})`);
  }
  if (rule.refusePreview2Imports) {
    const p2 = summary.imports.filter((i) => i.module.startsWith('wasi:')).map((i) => `${i.module}.${i.name}`);
    if (p2.length) {
      const shown = p2.slice(0, 4).join(', ') + (p2.length > 4 ? `, and ${p2.length - 4} more` : '');
      problems.push(`${flavor} artifact imports WASI preview 2 functions a preview1 host cannot provide: ${shown}`);
    }
  }
  return problems;
}
