// Shipped artifacts: what `unpack` installed from a pack built elsewhere.
//
// An artifact's hash covers the toolchain versions the build job detected; a
// job without that toolchain (no .NET here, say) cannot compute it. So unpack
// also writes an index keyed by what the artifact is built from without the
// toolchain: <cache>/shipped/<suite>/<flavor>/<shipping key>.json, pointing at
// the artifact hash. The build stage consults it only when the flavor's
// toolchain is unavailable (harness/build/build.ts); with the toolchain the
// normal content-addressed lookup applies, and an unpacked artifact built by
// the same toolchain versions is a plain cache hit.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { cacheDir } from '../paths.js';
import { writeAtomically } from '../util/atomic-write.js';
import { type CachedArtifact, lookup } from './artifact-cache.js';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
/** Names that are safe as one path component (suite names and flavor ids are). */
export const PathSafeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, . _ - (not starting with . _ -)');

/** One shipped artifact in the index: what it is built from and its hash. */
export const ShippedEntry = z.object({
  schemaVersion: z.literal(1),
  suite: PathSafeName,
  flavor: PathSafeName,
  shippingKey: Hex64,
  artifactHash: Hex64,
  /** The toolchain versions the build job detected. */
  toolchains: z.record(z.string(), z.string()),
  installedAt: z.string(),
  /** sha256 of the pack it came from. */
  pack: Hex64.optional(),
});
/** A `ShippedEntry` value, as the schema above parses it. */
export type ShippedEntry = z.infer<typeof ShippedEntry>;

/** The folder of the shipped index. */
export const shippedRoot = (): string => join(cacheDir(), 'shipped');

const entryPath = (suite: string, flavor: string, shippingKey: string): string => join(shippedRoot(), suite, flavor, `${shippingKey}.json`);

/** Records (or replaces) the shipped artifact for (suite, flavor, shipping key). */
export function recordShipped(entry: Omit<ShippedEntry, 'schemaVersion' | 'installedAt'>): string {
  const full = ShippedEntry.parse({ schemaVersion: 1, ...entry, installedAt: new Date().toISOString() });
  const path = entryPath(full.suite, full.flavor, full.shippingKey);
  writeAtomically(path, `${JSON.stringify(full, null, 2)}\n`);
  return path;
}

/**
 * The shipped artifact built from exactly these inputs, when one was unpacked
 * and its cache entry is intact (lookup checks its sha256); undefined otherwise.
 */
export function findShipped(suite: string, flavor: string, shippingKey: string): (CachedArtifact & { entry: ShippedEntry; note: string }) | undefined {
  if (!PathSafeName.safeParse(suite).success || !PathSafeName.safeParse(flavor).success) return undefined;
  const path = entryPath(suite, flavor, shippingKey);
  if (!existsSync(path)) return undefined;
  let entry: ShippedEntry;
  try {
    entry = ShippedEntry.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
  if (entry.suite !== suite || entry.flavor !== flavor || entry.shippingKey !== shippingKey) return undefined;
  const found = lookup(entry.artifactHash);
  if (!('hit' in found)) return undefined;
  if (found.hit.record.suite !== suite || found.hit.record.flavor !== flavor) return undefined;
  const versions = Object.entries(entry.toolchains).map(([k, v]) => `${k} ${v}`).join(', ');
  return {
    ...found.hit,
    entry,
    note: `${suite} ${flavor}: toolchain unavailable here; using the shipped artifact ${entry.artifactHash.slice(0, 12)}${versions ? ` (built with ${versions})` : ''}`,
  };
}
