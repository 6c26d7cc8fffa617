// Reads just enough of a wasm binary to say what it is (core module or
// component) and what it imports and exports, without compiling it.
/** What a wasm binary is: a core module or a component. */
export type ModuleKind = 'core-module' | 'component';

/** A binary's imports and exports, read without compiling it. */
export interface WasmSummary {
  kind: ModuleKind;
  imports: { module: string; name: string; kind: string }[];
  exports: { name: string; kind: string }[];
}

const EXTERN_KINDS = ['func', 'table', 'memory', 'global', 'tag'];

/** Bytes that are not a wasm binary (or are cut short). */
export class WasmFormatError extends Error {
  override name = 'WasmFormatError';
}

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos = 0,
  ) {}
  byte(): number {
    if (this.pos >= this.bytes.length) throw new WasmFormatError(`unexpected end of module at byte ${this.pos}`);
    return this.bytes[this.pos++]!;
  }
  /** Unsigned LEB128, up to 64 bits (as a number; sizes here are small). */
  u(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new WasmFormatError(`LEB128 too long at byte ${this.pos}`);
  }
  name(): string {
    const len = this.u();
    const end = this.pos + len;
    if (end > this.bytes.length) throw new WasmFormatError(`name runs past the end of the module at byte ${this.pos}`);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(this.pos, end));
    this.pos = end;
    return text;
  }
  limits(): void {
    const flags = this.byte();
    this.u();
    if (flags & 1) this.u();
  }
}

/** Whether wasm bytes are a core module or a component (from the header). */
export function moduleKind(bytes: Uint8Array): ModuleKind {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmFormatError('not a wasm binary (the magic bytes \\0asm are missing)');
  }
  // Core modules are version 1, layer 0; components set layer 1 (bytes 6-7).
  if (bytes[6] === 1 && bytes[7] === 0) return 'component';
  if (bytes[4] === 1 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) return 'core-module';
  throw new WasmFormatError(`unknown wasm version/layer ${Array.from(bytes.subarray(4, 8)).join(' ')}`);
}

/** Component sections that hold a whole nested binary: 1 a core module, 4 a component. */
const NESTED_SECTIONS: Record<number, { what: string; layer: number }> = { 1: { what: 'core module', layer: 0 }, 4: { what: 'component', layer: 1 } };

/**
 * Walks the sections of a core module or a component and throws WasmFormatError
 * when one runs past the end (a truncated file), the file ends inside a section
 * header, or a component's core-module or component section does not hold a
 * binary of that kind (a core module body under a component header). Independent
 * of which features a Wasmtime version supports, so a failure is the file's own
 * fault on every runtime.
 */
export function checkSections(bytes: Uint8Array, at = 0, end = bytes.length): void {
  const kind = moduleKind(bytes.subarray(at, end));
  const r = new Reader(bytes.subarray(0, end), at + 8);
  while (r.pos < end) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u();
    if (r.pos + size > end) {
      throw new WasmFormatError(`section ${id} at byte ${start} claims ${size} bytes but the ${kind === 'component' ? 'component' : 'module'} ends ${end - r.pos} bytes later: truncated or corrupt`);
    }
    const nested = kind === 'component' ? NESTED_SECTIONS[id] : undefined;
    if (nested) {
      let inner: ModuleKind | undefined;
      try {
        inner = moduleKind(bytes.subarray(r.pos, r.pos + size));
      } catch {
        inner = undefined;
      }
      if (inner !== (nested.layer === 0 ? 'core-module' : 'component')) {
        throw new WasmFormatError(`component section ${id} at byte ${start} should hold a ${nested.what} but does not start with one's header: not a component (a core module under a component header?)`);
      }
      checkSections(bytes, r.pos, r.pos + size);
    }
    r.pos += size;
  }
}

/** The imports and exports of a core module. */
export function summarize(bytes: Uint8Array): WasmSummary {
  const kind = moduleKind(bytes);
  const summary: WasmSummary = { kind, imports: [], exports: [] };
  if (kind === 'component') return summary;
  const r = new Reader(bytes, 8);
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u();
    const end = r.pos + size;
    if (end > bytes.length) throw new WasmFormatError(`section ${id} runs past the end of the module (truncated?)`);
    if (id === 2) {
      for (let n = r.u(); n > 0; n--) {
        const module = r.name();
        const name = r.name();
        const k = r.byte();
        summary.imports.push({ module, name, kind: EXTERN_KINDS[k] ?? `kind-${k}` });
        if (k === 0) r.u();
        else if (k === 1) (r.byte(), r.limits());
        else if (k === 2) r.limits();
        else if (k === 3) (r.byte(), r.byte());
        else if (k === 4) (r.byte(), r.u());
      }
    } else if (id === 7) {
      for (let n = r.u(); n > 0; n--) {
        const name = r.name();
        const k = r.byte();
        r.u();
        summary.exports.push({ name, kind: EXTERN_KINDS[k] ?? `kind-${k}` });
      }
    }
    r.pos = end;
  }
  return summary;
}

/** The distinct import modules (core) or interfaces (component, recorded in `module`), in order. */
export function importNames(imports: WasmSummary['imports']): string[] {
  return [...new Set(imports.map((i) => i.module))];
}
