// Core modules and components behind one handle in the worker: the layer
// field of the wasm header picks the addon's module or component API, so
// exec, precompile and bench treat both kinds the same way.
import type { AddonComponent, AddonEngine, AddonInstance, AddonModule, InstanceOptions } from './addon.js';
import type { IntegrityRecord } from './protocol.js';

/** A compiled core module or component, as the worker caches it. */
export type Compiled = { kind: 'module'; module: AddonModule } | { kind: 'component'; component: AddonComponent };

/** `\0asm` with layer 1 (bytes 6-7): a component. */
export function isComponentBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d && bytes[6] === 1 && bytes[7] === 0;
}

/** Compiles wasm bytes (or WAT) as a component or a core module, by the header's layer byte. */
export function compileAny(engine: AddonEngine, bytes: Buffer): Compiled {
  if (isComponentBytes(bytes)) return { kind: 'component', component: engine.compileComponent(bytes) };
  return { kind: 'module', module: engine.compile(bytes) };
}

/** The `.cwasm` of either kind; the record's `kind` says which it is. */
export function precompileAny(engine: AddonEngine, bytes: Buffer): { cwasm: Buffer; kind: 'module' | 'component' } {
  if (isComponentBytes(bytes)) return { cwasm: engine.precompileComponent(bytes), kind: 'component' };
  return { cwasm: engine.precompile(bytes), kind: 'module' };
}

/** Loads a checked `.cwasm`. Records written before components existed have no `kind`: a module. */
export function deserializeAny(engine: AddonEngine, cwasm: Buffer, record: IntegrityRecord): Compiled {
  const { kind, artifactHash: _, ...addonRecord } = record;
  if (kind === 'component') return { kind: 'component', component: engine.deserializeComponent(cwasm, addonRecord) };
  return { kind: 'module', module: engine.deserialize(cwasm, addonRecord) };
}

/** Where a component's exports match neither world the harness runs: why, naming them. */
export function unsupportedWorld(component: AddonComponent): string | undefined {
  if (component.world !== 'other') return undefined;
  const exports = component.exports().map((e) => e.name);
  return (
    `the component exports ${exports.length ? exports.join(', ') : 'nothing'}, which the harness does not run: ` +
    'it runs wasi:cli/run@0.2.x commands and wasm-matrix:guest/dispatch@0.1.x dispatchers'
  );
}

/** An instance of either kind, with the same call surface. */
export function instantiateAny(engine: AddonEngine, compiled: Compiled, options: InstanceOptions): AddonInstance {
  if (compiled.kind === 'component') {
    // Imports first: an interface nothing provides is the more basic reason.
    const instance = engine.instantiateComponent(compiled.component, options);
    const why = unsupportedWorld(compiled.component);
    if (why) throw new Error(why);
    return instance;
  }
  return engine.instantiate(compiled.module, options);
}

/** Why a call style cannot reach this component's world (undefined: it can, or a core module). */
export function callMisfit(compiled: Compiled, style: 'invoke' | 'export' | 'command' | 'describe'): string | undefined {
  if (compiled.kind !== 'component') return undefined;
  const world = compiled.component.world;
  if (style === 'export') return 'raw export calls are for core modules; a component is called through its world';
  if (style === 'command' && world !== 'command') return `a command call, but the component's world is \`${world}\`: it exports no wasi:cli/run@0.2.x`;
  if ((style === 'invoke' || style === 'describe') && world !== 'dispatcher') {
    return `a dispatcher call, but the component's world is \`${world}\`: it exports no wasm-matrix:guest/dispatch@0.1.x`;
  }
  return undefined;
}
