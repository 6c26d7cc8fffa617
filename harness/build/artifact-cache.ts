// Content-addressed artifacts: <cache>/artifacts/<hash>/ holds the built file
// and artifact.json. The hash covers the sources, the flavor, the exact
// toolchain versions and the build options, so any change is a new entry. An
// entry is trusted only when its record validates and the file's sha256
// matches; anything else is a corrupt entry, removed and rebuilt.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { cacheDir } from '../paths.js';
import { formatZodIssues } from '../config/load.js';

/** The record beside a cached artifact. */
export const ArtifactRecord = z.object({
  schemaVersion: z.literal(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  suite: z.string(),
  flavor: z.string(),
  fileName: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  kind: z.enum(['core-module', 'component', 'native']),
  toolchains: z.record(z.string(), z.string()),
  options: z.unknown(),
  imports: z.array(z.object({ module: z.string(), name: z.string(), kind: z.string() })),
  exports: z.array(z.object({ name: z.string(), kind: z.string() })),
  createdAt: z.string(),
});
/** A `ArtifactRecord` value, as the schema above parses it. */
export type ArtifactRecord = z.infer<typeof ArtifactRecord>;

/** A cached artifact: its file and record. */
export interface CachedArtifact {
  record: ArtifactRecord;
  path: string;
}

/** The sha256 of bytes or text, as hex. */
export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** The artifact cache folder. */
export function artifactsRoot(): string {
  return join(cacheDir(), 'artifacts');
}

/** The key of an artifact: everything that can change its bytes. */
export function artifactHash(input: {
  flavor: string;
  toolchains: Record<string, string>;
  options: unknown;
  sources: { path: string; bytes: Uint8Array }[];
}): string {
  const canonical = JSON.stringify({
    flavor: input.flavor,
    toolchains: Object.entries(input.toolchains).sort(),
    options: input.options,
    sources: input.sources.map((s) => [s.path, sha256Hex(s.bytes)]).sort(),
  });
  return sha256Hex(canonical);
}

/** A cache lookup: a hit, or a miss (with why, when the entry was corrupt). */
export type Lookup = { hit: CachedArtifact } | { miss: true; corrupt?: string };

/** Finds a cached artifact by hash, checking it against its record. */
export function lookup(hash: string, root = artifactsRoot()): Lookup {
  const dir = join(root, hash);
  const recordPath = join(dir, 'artifact.json');
  if (!existsSync(recordPath)) return { miss: true };
  const corrupt = (why: string): Lookup => {
    rmSync(dir, { recursive: true, force: true });
    return { miss: true, corrupt: `cache entry ${dir} was corrupt (${why}); removed, rebuilding` };
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(recordPath, 'utf8'));
  } catch (e) {
    return corrupt(`artifact.json: ${(e as Error).message}`);
  }
  const parsed = ArtifactRecord.safeParse(raw);
  if (!parsed.success) return corrupt(`artifact.json: ${formatZodIssues(parsed.error)}`);
  const path = join(dir, parsed.data.fileName);
  if (!existsSync(path)) return corrupt(`${parsed.data.fileName} is missing`);
  if (parsed.data.hash !== hash) return corrupt(`it records hash ${parsed.data.hash}`);
  if (sha256Hex(readFileSync(path)) !== parsed.data.sha256) return corrupt(`${parsed.data.fileName} does not match its sha256`);
  return { hit: { record: parsed.data, path } };
}

/** Stores a built file under its hash: written to a temp folder, then renamed into place. */
export function store(record: Omit<ArtifactRecord, 'sha256' | 'sizeBytes' | 'createdAt' | 'schemaVersion'>, bytes: Uint8Array, root = artifactsRoot()): CachedArtifact {
  const full: ArtifactRecord = ArtifactRecord.parse({
    ...record,
    schemaVersion: 1,
    sha256: sha256Hex(bytes),
    sizeBytes: bytes.length,
    createdAt: new Date().toISOString(),
  });
  const dir = join(root, record.hash);
  const temp = join(root, `.tmp-${record.hash.slice(0, 12)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(temp, { recursive: true });
  writeFileSync(join(temp, full.fileName), bytes);
  writeFileSync(join(temp, 'artifact.json'), `${JSON.stringify(full, null, 2)}\n`);
  try {
    rmSync(dir, { recursive: true, force: true });
    renameSync(temp, dir);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    // Another build stored the same hash first: same inputs, same entry.
    const existing = lookup(record.hash, root);
    if ('hit' in existing) return existing.hit;
    throw e;
  }
  return { record: full, path: join(dir, full.fileName) };
}
