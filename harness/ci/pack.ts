// Built artifacts as a tarball with a manifest of hashes, so a job without the
// toolchains (no .NET SDK, no ILCompiler feed) runs what a toolchain job built.
//
// Layout of the gzipped tarball:
//   manifest.json                     ArtifactPackManifest below
//   artifacts/<hash>/artifact.json    the cache record (harness/build/artifact-cache.ts)
//   artifacts/<hash>/<fileName>       the module (or native program)
//
// unpack refuses the whole tarball, installing nothing, when: its sha256 is not
// the one given with --sha256; it is damaged or truncated; an entry is not a
// plain file or folder, is absolute or has `..`; a file is missing from or not
// listed in the manifest; a file's size or sha256 differs from the manifest; an
// artifact record disagrees with its folder, its file or the manifest. Only
// then are the artifacts stored in the cache and the shipped index written.
//
// The manifest detects corruption, truncation and any change to a file that
// does not also rewrite the manifest; against someone who can rewrite the
// whole tarball, pass the tarball's sha256 from the packing job over a trusted
// channel (a job output) to `unpack --sha256`.
import { createReadStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as tar from 'tar';
import { z } from 'zod';
import { ArtifactRecord, lookup, sha256Hex, store } from '../build/artifact-cache.js';
import { buildSelection, failureSummary, shippingKey } from '../build/build.js';
import type { Suite } from '../config/suite.js';
import { formatZodIssues } from '../config/load.js';
import { UsageError } from '../errors.js';
import type { BuildOptions, Detection, Flavor } from '../toolchains/flavor.js';
import { entryProblem } from '../toolchains/provision/extract.js';
import { PathSafeName, recordShipped } from '../build/shipped.js';
import { ensureDir } from '../util/ensure-dir.js';

/** The version of the pack manifest format. */
export const PACK_SCHEMA_VERSION = 1;
const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits');
const FILE_PATH = /^artifacts\/[0-9a-f]{64}\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A file in a pack with its sha256. */
export const PackedFile = z
  .object({
    path: z.string().regex(FILE_PATH, 'artifacts/<hash>/<file name>'),
    sha256: Hex64,
    sizeBytes: z.number().int().nonnegative(),
  })
  .strict();

/** An artifact in a pack: what it was built from and its files. */
export const PackedArtifact = z
  .object({
    suite: PathSafeName,
    flavor: PathSafeName,
    /** The artifact hash: its folder in the cache. */
    hash: Hex64,
    /** The inputs without the toolchain versions (build.ts `shippingKey`). */
    shippingKey: Hex64,
    fileName: PathSafeName,
    sha256: Hex64,
    kind: ArtifactRecord.shape.kind,
    toolchains: z.record(z.string(), z.string()),
  })
  .strict();
/** A `PackedArtifact` value, as the schema above parses it. */
export type PackedArtifact = z.infer<typeof PackedArtifact>;

/** manifest.json of an artifact pack. */
export const ArtifactPackManifest = z
  .object({
    schemaVersion: z.literal(PACK_SCHEMA_VERSION),
    tool: z.literal('wasm-matrix'),
    kind: z.literal('artifact-pack'),
    createdAt: z.string(),
    /** Every file in the tarball except manifest.json itself. */
    files: z.array(PackedFile),
    artifacts: z.array(PackedArtifact),
    /** (suite, flavor) pairs the packing job could not build, with the reason. */
    notPacked: z.array(z.object({ suite: z.string(), flavor: z.string(), status: z.enum(['skipped', 'failed']), reason: z.string() }).strict()).default([]),
  })
  .strict();
/** A `ArtifactPackManifest` value, as the schema above parses it. */
export type ArtifactPackManifest = z.infer<typeof ArtifactPackManifest>;

/** What `ci pack` wrote. */
export interface PackResult {
  file: string;
  sha256: string;
  manifest: ArtifactPackManifest;
  failed: number;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Builds (or finds in the cache) every artifact of the selection and writes
 * them with a manifest into a gzipped tarball at `file` (written to a
 * temporary name, then renamed).
 */
export async function packArtifacts(options: {
  file: string;
  suites: Suite[];
  flavors: Flavor[];
  buildOptions: BuildOptions;
  detections: Map<string, Detection>;
  log?: (line: string) => void;
}): Promise<PackResult> {
  const log = options.log ?? (() => {});
  const staging = mkdtempSync(join(tmpdir(), 'wasm-matrix-pack-'));
  try {
    const artifacts: PackedArtifact[] = [];
    const files: z.infer<typeof PackedFile>[] = [];
    const notPacked: ArtifactPackManifest['notPacked'] = [];
    for (const { suite, flavor, outcome } of await buildSelection(options.suites, options.flavors, options.buildOptions, options.detections)) {
      if (outcome.status === 'skipped') {
        notPacked.push({ suite: suite.name, flavor: flavor.id, status: 'skipped', reason: outcome.reason });
        log(`not packed ${suite.name}/${flavor.id}: ${outcome.reason}`);
        continue;
      }
      if (outcome.status === 'failed') {
        const reason = `build failed: ${failureSummary(outcome)}`;
        notPacked.push({ suite: suite.name, flavor: flavor.id, status: 'failed', reason });
        log(`FAILED ${suite.name}/${flavor.id}: ${reason}`);
        continue;
      }
      const found = lookup(outcome.artifact.hash);
      if (!('hit' in found)) throw new Error(`artifact ${outcome.artifact.hash} of ${suite.name}/${flavor.id} vanished from the cache`);
      const { record, path } = found.hit;
      const folder = join('artifacts', record.hash);
      mkdirSync(join(staging, folder), { recursive: true });
      copyFileSync(path, join(staging, folder, record.fileName));
      copyFileSync(join(dirname(path), 'artifact.json'), join(staging, folder, 'artifact.json'));
      for (const name of ['artifact.json', record.fileName]) {
        const bytes = readFileSync(join(staging, folder, name));
        files.push({ path: `${folder}/${name}`, sha256: sha256Hex(bytes), sizeBytes: bytes.length });
      }
      artifacts.push({
        suite: suite.name,
        flavor: flavor.id,
        hash: record.hash,
        shippingKey: shippingKey(suite, flavor, options.buildOptions),
        fileName: record.fileName,
        sha256: record.sha256,
        kind: record.kind,
        toolchains: record.toolchains,
      });
      log(`packed ${suite.name}/${flavor.id} ${record.hash.slice(0, 12)} (${record.sizeBytes} bytes${outcome.artifact.cacheHit ? ', from cache' : ''})`);
    }
    const manifest = ArtifactPackManifest.parse({ schemaVersion: PACK_SCHEMA_VERSION, tool: 'wasm-matrix', kind: 'artifact-pack', createdAt: new Date().toISOString(), files, artifacts, notPacked });
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    const target = resolve(options.file);
    ensureDir(dirname(target), 'pack');
    const tmp = `${target}.${process.pid}.tmp`;
    await tar.c({ gzip: true, file: tmp, cwd: staging, portable: true, noDirRecurse: true }, ['manifest.json', ...files.map((f) => f.path)]);
    renameSync(tmp, target);
    return { file: target, sha256: await fileSha256(target), manifest, failed: notPacked.filter((n) => n.status === 'failed').length };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** What `ci unpack` installed. */
export interface UnpackResult {
  file: string;
  sha256: string;
  installed: { suite: string; flavor: string; hash: string; path: string }[];
}

const refuse = (file: string, why: string): UsageError => new UsageError(`refusing pack ${file}: ${why}; nothing was installed`);

/**
 * How much a pack may expand to, checked against the tar headers while the
 * tarball streams by, before anything is written: a small tarball of zeros
 * can expand a thousandfold. Defaults fit the largest guests (a Mono
 * interpreter bundle is 20-60 MB); `unpack --max-entry-bytes / --max-total-bytes`
 * or WASM_MATRIX_UNPACK_MAX_ENTRY_BYTES / WASM_MATRIX_UNPACK_MAX_TOTAL_BYTES override them.
 */
export interface UnpackLimits {
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = { maxEntryBytes: 256 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024, maxEntries: 10_000 };

/** The defaults with the environment's overrides; a bad value is exit 2 naming the variable. */
export function unpackLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): UnpackLimits {
  const read = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new UsageError(`${name}: "${text}" is not a whole number of bytes (at least 1)`);
    return Number(text);
  };
  return {
    maxEntryBytes: read('WASM_MATRIX_UNPACK_MAX_ENTRY_BYTES', DEFAULT_UNPACK_LIMITS.maxEntryBytes),
    maxTotalBytes: read('WASM_MATRIX_UNPACK_MAX_TOTAL_BYTES', DEFAULT_UNPACK_LIMITS.maxTotalBytes),
    maxEntries: DEFAULT_UNPACK_LIMITS.maxEntries,
  };
}

/** Why an entry would break the limits, given the bytes and entries counted so far; undefined when it fits. */
function overLimit(entry: { path: string; size?: number }, counted: { bytes: number; entries: number }, limits: UnpackLimits): string | undefined {
  const size = entry.size ?? 0;
  if (size > limits.maxEntryBytes) return `entry "${entry.path}" expands to ${size} bytes, over the limit of ${limits.maxEntryBytes} bytes per entry`;
  if (counted.bytes + size > limits.maxTotalBytes) return `its entries expand to more than ${limits.maxTotalBytes} bytes in all (at "${entry.path}")`;
  if (counted.entries + 1 > limits.maxEntries) return `it has more than ${limits.maxEntries} entries`;
  return undefined;
}

/**
 * Lists the tarball from its headers while it streams, stopping at the first
 * entry over the limits (its body is never expanded); refuses it when damaged,
 * truncated or holding anything but plain files and folders.
 */
export async function listPackEntries(file: string, limits: UnpackLimits): Promise<Map<string, { type: string; size: number }>> {
  const entries = new Map<string, { type: string; size: number }>();
  let problem: string | undefined;
  const counted = { bytes: 0, entries: 0 };
  try {
    await new Promise<void>((done, fail) => {
      const input = createReadStream(file);
      const parser = new tar.Parser({ strict: true });
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        if (error) fail(error);
        else done();
      };
      parser.on('entry', (entry: tar.ReadEntry) => {
        const path = entry.path.replace(/\/+$/, '');
        const unsafe = entryProblem(entry);
        if (unsafe) problem ??= `entry "${entry.path}" ${unsafe}`;
        else if (entry.type !== 'File' && entry.type !== 'Directory') problem ??= `entry "${entry.path}" is a ${entry.type}, not a plain file or folder`;
        else if (entries.has(path)) problem ??= `entry "${entry.path}" appears twice`;
        const over = overLimit(entry, counted, limits);
        if (over) {
          problem = over;
          input.destroy();
          finish();
          return;
        }
        counted.bytes += entry.size ?? 0;
        counted.entries++;
        entries.set(path, { type: entry.type, size: entry.size ?? 0 });
        entry.resume();
      });
      parser.on('error', (e: Error) => finish(e));
      parser.on('end', () => finish());
      input.on('error', (e) => finish(e));
      input.pipe(parser);
    });
  } catch (e) {
    throw refuse(file, `it is damaged or truncated (${(e as Error).message})`);
  }
  if (problem) throw refuse(file, problem);
  if (entries.size === 0) throw refuse(file, 'it has no entries');
  return entries;
}

/**
 * Extracts the tarball into `dir`, checking the limits again from each header
 * before its entry is written (the file could have changed since it was
 * listed): an entry over them is never written, and the pack is refused.
 */
export async function extractPack(file: string, dir: string, limits: UnpackLimits): Promise<void> {
  const counted = { bytes: 0, entries: 0 };
  let over: string | undefined;
  try {
    await tar.x({
      file,
      cwd: dir,
      strict: true,
      filter: (_p, entry) => {
        if (over || !('type' in entry) || entryProblem(entry as { path: string; type: string })) return false;
        const e = entry as { path: string; size?: number };
        over = overLimit(e, counted, limits);
        if (over) return false;
        counted.bytes += e.size ?? 0;
        counted.entries++;
        return true;
      },
    });
  } catch (e) {
    throw refuse(file, `extracting failed (${(e as Error).message})`);
  }
  if (over) throw refuse(file, over);
}

function filesUnder(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, d.name);
    if (d.isDirectory()) out.push(...filesUnder(root, full));
    else out.push(relative(root, full).split('\\').join('/'));
  }
  return out;
}

/**
 * Verifies every hash of a pack, then installs its artifacts into the
 * artifact cache and the shipped index (see shipped.ts). Throws UsageError
 * (exit 2) naming the file and the problem, having installed nothing.
 */
export async function unpackArtifacts(fileArg: string, options: { sha256?: string; limits?: Partial<UnpackLimits> } = {}): Promise<UnpackResult> {
  const limits: UnpackLimits = { ...unpackLimitsFromEnv(), ...options.limits };
  const file = resolve(fileArg);
  if (!existsSync(file) || !lstatSync(file).isFile()) throw new UsageError(`pack ${file} does not exist or is not a file`);
  const sha256 = await fileSha256(file);
  if (options.sha256 !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(options.sha256)) throw new UsageError(`--sha256: "${options.sha256}" is not 64 hex digits`);
    if (options.sha256.toLowerCase() !== sha256) throw refuse(file, `its sha256 is ${sha256}, expected ${options.sha256.toLowerCase()}`);
  }
  const entries = await listPackEntries(file, limits);
  if (entries.get('manifest.json')?.type !== 'File') throw refuse(file, 'it has no manifest.json');

  const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-unpack-'));
  try {
    await extractPack(file, dir, limits);

    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    } catch (e) {
      throw refuse(file, `manifest.json is not valid JSON (${(e as Error).message})`);
    }
    const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (version !== PACK_SCHEMA_VERSION) throw refuse(file, `manifest.json has schemaVersion ${JSON.stringify(version)}; this wasm-matrix reads ${PACK_SCHEMA_VERSION}`);
    const parsed = ArtifactPackManifest.safeParse(raw);
    if (!parsed.success) throw refuse(file, `manifest.json: ${formatZodIssues(parsed.error)}`);
    const manifest = parsed.data;

    // Every file listed is there with its size and sha256; nothing unlisted.
    const listed = new Map(manifest.files.map((f) => [f.path, f]));
    if (listed.size !== manifest.files.length) throw refuse(file, 'manifest.json lists a file twice');
    const present = filesUnder(dir).filter((p) => p !== 'manifest.json');
    for (const p of present) if (!listed.has(p)) throw refuse(file, `${p} is not in manifest.json`);
    for (const f of manifest.files) {
      const path = join(dir, f.path);
      if (!existsSync(path)) throw refuse(file, `${f.path} is listed in manifest.json but missing (truncated?)`);
      const size = statSync(path).size;
      if (size !== f.sizeBytes) throw refuse(file, `${f.path} has ${size} bytes, manifest.json says ${f.sizeBytes}`);
      const actual = await fileSha256(path);
      if (actual !== f.sha256) throw refuse(file, `${f.path} has sha256 ${actual}, manifest.json says ${f.sha256}`);
    }

    // Each artifact: its record agrees with its folder, its file and the manifest.
    const verified: { artifact: PackedArtifact; record: ArtifactRecord; bytes: Buffer }[] = [];
    const seen = new Set<string>();
    for (const a of manifest.artifacts) {
      if (seen.has(a.hash)) throw refuse(file, `manifest.json lists artifact ${a.hash} twice`);
      seen.add(a.hash);
      const recordPath = `artifacts/${a.hash}/artifact.json`;
      const modulePath = `artifacts/${a.hash}/${a.fileName}`;
      for (const p of [recordPath, modulePath]) if (!listed.has(p)) throw refuse(file, `artifact ${a.suite}/${a.flavor} needs ${p}, which manifest.json does not list`);
      let record: ArtifactRecord;
      try {
        const result = ArtifactRecord.safeParse(JSON.parse(readFileSync(join(dir, recordPath), 'utf8')));
        if (!result.success) throw new Error(formatZodIssues(result.error));
        record = result.data;
      } catch (e) {
        throw refuse(file, `${recordPath}: ${(e as Error).message}`);
      }
      const bytes = readFileSync(join(dir, modulePath));
      const disagree =
        record.hash !== a.hash
          ? `records hash ${record.hash}`
          : record.suite !== a.suite || record.flavor !== a.flavor
            ? `is for ${record.suite}/${record.flavor}, manifest.json says ${a.suite}/${a.flavor}`
            : record.fileName !== a.fileName
              ? `names file ${record.fileName}, manifest.json says ${a.fileName}`
              : record.sha256 !== a.sha256 || sha256Hex(bytes) !== record.sha256
                ? `does not match the sha256 of ${a.fileName}`
                : record.sizeBytes !== bytes.length
                  ? `says ${record.sizeBytes} bytes, ${a.fileName} has ${bytes.length}`
                  : record.kind !== a.kind
                    ? `says kind ${record.kind}, manifest.json says ${a.kind}`
                    : undefined;
      if (disagree) throw refuse(file, `${recordPath} ${disagree}`);
      verified.push({ artifact: a, record, bytes });
    }
    for (const f of manifest.files) {
      const hash = f.path.split('/')[1]!;
      if (!seen.has(hash)) throw refuse(file, `${f.path} belongs to no artifact in manifest.json`);
    }

    // All verified: install.
    const installed: UnpackResult['installed'] = [];
    for (const { artifact, record, bytes } of verified) {
      const { sha256: _s, sizeBytes: _z, createdAt: _c, schemaVersion: _v, ...rest } = record;
      const stored = store(rest, bytes);
      recordShipped({ suite: artifact.suite, flavor: artifact.flavor, shippingKey: artifact.shippingKey, artifactHash: artifact.hash, toolchains: artifact.toolchains, pack: sha256 });
      installed.push({ suite: artifact.suite, flavor: artifact.flavor, hash: artifact.hash, path: stored.path });
    }
    return { file, sha256, installed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
