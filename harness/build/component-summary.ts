// What a component imports and exports, by interface name and version, read
// from the WIT that jco's `componentWit` prints for it (the component's own
// types, not a custom section). Used for the report's artifact records.
import { loadJco } from '../toolchains/jco.js';

/** A component's world-level imports and exports, by interface name and version. */
export interface ComponentInterfaces {
  imports: string[];
  exports: string[];
}

/** `import wasi:cli/stdout@0.2.12;`, `export run: func();` at world level. */
const ITEM = /^ {2}(import|export) ((?:[a-z0-9-]+:[a-z0-9-]+\/[a-z0-9-]+(?:@[0-9A-Za-z.+-]+)?)|[a-z0-9-]+)\s*[;:]/;

/** The world items of `componentWit` output. */
export function parseWorldItems(wit: string): ComponentInterfaces {
  const out: ComponentInterfaces = { imports: [], exports: [] };
  for (const line of wit.split('\n')) {
    const m = ITEM.exec(line);
    if (m) (m[1] === 'import' ? out.imports : out.exports).push(m[2]!);
  }
  return out;
}

/** The component's interfaces; undefined when jco is not installed (the summary is then left empty). */
export async function componentInterfaces(bytes: Uint8Array): Promise<ComponentInterfaces | undefined> {
  let jco;
  try {
    jco = await loadJco();
  } catch {
    return undefined;
  }
  return parseWorldItems(await jco.componentWit(bytes));
}
