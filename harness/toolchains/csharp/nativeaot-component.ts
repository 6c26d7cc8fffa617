// The component route of NativeAOT-LLVM (flavor nativeaot-llvm-p2): the
// toolchain's upstream default. For wasi the ILCompiler links with
// wasm-component-ld, passing every WasmComponentTypeWit item as a
// `--component-type` WIT; wasm-component-ld merges those worlds, embeds them and
// makes the component (preview1 adapter chosen by `_start`: command, else
// reactor). A dispatcher guest adds the `wasm-matrix:guest` world as one more
// item, and ComponentExports.cs implements its exports. Sources: README.md here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../paths.js';

/** The repository's WIT of the dispatcher worlds (two worlds: guest and guest-minimal). */
export const guestWitSource = (): string => join(projectRoot, 'suites', 'sdk', 'wit', 'guest.wit');

/** The file, next to the generated project, holding the one world the component link embeds. */
export const GUEST_COMPONENT_WIT = 'wasm-matrix-guest.wit';

/** The world of guest.wit a NativeAOT-LLVM dispatcher component implements. */
export const GUEST_COMPONENT_WORLD = 'guest';

/**
 * guest.wit with only the `guest` world: wasm-component-ld selects the world of a
 * `--component-type` file without a name, which fails for a package with two
 * worlds. Throws naming the file when guest.wit lacks the world or the other one moved.
 */
export function guestComponentWit(source = guestWitSource()): string {
  const text = readFileSync(source, 'utf8');
  // A world with the doc comment above it.
  const worlds = [...text.matchAll(/^(?:\/\/\/[^\n]*\n)*world ([a-z0-9-]+) \{[^}]*\}\n?/gm)];
  if (!worlds.some((m) => m[1] === GUEST_COMPONENT_WORLD)) throw new Error(`${source}: no world ${GUEST_COMPONENT_WORLD} { ... } at the start of a line`);
  let out = text;
  for (const m of worlds) if (m[1] !== GUEST_COMPONENT_WORLD) out = out.replace(m[0], '');
  return out.replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** Writes the one-world WIT into the work dir; returns its path. */
export function writeGuestComponentWit(workDir: string): string {
  const path = join(workDir, GUEST_COMPONENT_WIT);
  writeFileSync(path, guestComponentWit());
  return path;
}
