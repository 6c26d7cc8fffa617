// Issue 10's probes of the CI stage: a `dirs` entry that is a link to a host
// folder, a truncated module in `run --external`, and decompression bombs
// handed to `unpack` (small on disk, large expanded).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { readReport } from '../../report/writer.js';
import { extractPack, listPackEntries, unpackArtifacts } from '../pack.js';
import { ci, run, tmp } from './helpers.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const runtimes = loadRuntimes();

describe('run --external with hostile programs', () => {
  const dir = tmp('wasm-matrix-external-hostile-');
  const outside = tmp('wasm-matrix-host-folder-');

  beforeAll(() => {
    execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', '-o', join(dir, 'files.wasm'), join(fixtures, 'files.c')], { stdio: 'pipe' });
    // `etcdir` is a link to a folder outside DIR, holding what the guest would read and overwrite.
    writeFileSync(join(outside, 'in.txt'), 'host secret');
    symlinkSync(outside, join(dir, 'etcdir'));
    writeFileSync(join(dir, 'files.json'), JSON.stringify({ dirs: ['etcdir'] }));
    // `inner` is a real folder holding a link to a file outside DIR.
    copyFileSync(join(dir, 'files.wasm'), join(dir, 'inner.wasm'));
    mkdirSync(join(dir, 'box'));
    mkdirSync(join(dir, 'box', 'data'));
    symlinkSync(join(outside, 'in.txt'), join(dir, 'box', 'data', 'in.txt'));
    // A link that stays inside DIR is copied as a real file.
    copyFileSync(join(dir, 'files.wasm'), join(dir, 'linked.wasm'));
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'in.txt'), 'inside');
    mkdirSync(join(dir, 'data'));
    symlinkSync(join(dir, 'real', 'in.txt'), join(dir, 'data', 'in.txt'));
    writeFileSync(join(dir, 'linked.json'), JSON.stringify({ dirs: ['data'], stdout: 'file:inside\n' }));
    writeFileSync(join(dir, 'inner.json'), JSON.stringify({ dirs: ['box/data'] }));
    // A module cut in the middle of a section: the program's fault.
    const whole = readFileSync(join(dir, 'files.wasm'));
    writeFileSync(join(dir, 'truncated.wasm'), whole.subarray(0, Math.floor(whole.length / 2)));
  });

  it('never preopens or copies a host folder through a link, and fails a truncated module', async () => {
    const out = tmp('wasm-matrix-out-');
    const r = await run(['--external', dir, '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const report = readReport(join(out, 'report.json'));
    const cells = (name: string) => report.cells.filter((c) => c.case === name);
    for (const name of ['files', 'inner', 'truncated']) {
      expect(cells(name).map((c) => c.status), name).toEqual(runtimes.map(() => 'mismatch'));
    }
    expect(cells('files')[0]!.reason).toContain(`dirs.0: ${join(dir, 'etcdir')} resolves to ${outside}, outside ${dir}`);
    expect(cells('inner')[0]!.reason).toMatch(/is a symbolic link to .*in\.txt, outside/);
    expect(cells('truncated')[0]!.reason).toMatch(/truncated\.wasm: section \d+ at byte \d+ claims \d+ bytes .*truncated/);
    // The link inside DIR became a real file in the copy the guest saw and wrote beside.
    expect(cells('linked').map((c) => c.status)).toEqual(runtimes.map(() => 'pass'));
    expect(readdirSync(join(dir, 'data'))).toEqual(['in.txt']);
    // Nothing was written in the host folder, and no guest read it.
    expect(readdirSync(outside)).toEqual(['in.txt']);
    for (const c of report.cells) expect(c.actual?.stdout ?? '').not.toContain('host secret');
  });
});

// ---- decompression bombs ---------------------------------------------------

/** A ustar header for a plain file (or folder, type 5). */
function tarHeader(name: string, size: number, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.fill(' ', 148, 156);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

type Entry = { name: string; bytes: Buffer } | { name: string; zeros: number };

/** Writes a gzipped tarball entry by entry; zeros are streamed, never held in memory. */
async function writeTarGz(path: string, entries: Entry[]): Promise<void> {
  const gzip = createGzip({ level: 1 });
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  gzip.pipe(out);
  const write = (chunk: Buffer) => (gzip.write(chunk) ? Promise.resolve() : new Promise<void>((r) => gzip.once('drain', () => r())));
  const chunk = Buffer.alloc(1 << 20);
  for (const e of entries) {
    const size = 'bytes' in e ? e.bytes.length : e.zeros;
    await write(tarHeader(e.name, size));
    if ('bytes' in e) await write(e.bytes);
    else for (let left = e.zeros; left > 0; left -= chunk.length) await write(left >= chunk.length ? chunk : chunk.subarray(0, left));
    if (size % 512) await write(Buffer.alloc(512 - (size % 512)));
  }
  await write(Buffer.alloc(1024));
  gzip.end();
  await done;
}

function zerosSha256(n: number): string {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(1 << 20);
  for (let left = n; left > 0; left -= chunk.length) hash.update(left >= chunk.length ? chunk : chunk.subarray(0, left));
  return hash.digest('hex');
}

const BIG = 48 * 1024 * 1024;
const LIMITS = { maxEntryBytes: 8 * 1024 * 1024, maxTotalBytes: 16 * 1024 * 1024, maxEntries: 100 };
const HASH = 'a'.repeat(64);
const bigPath = `artifacts/${HASH}/module.wasm`;

function manifest(files: { path: string; sha256: string; sizeBytes: number }[]): Buffer {
  return Buffer.from(JSON.stringify({ schemaVersion: 1, tool: 'wasm-matrix', kind: 'artifact-pack', createdAt: new Date().toISOString(), files, artifacts: [], notPacked: [] }));
}

const folderBytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .reduce((sum, d) => sum + statSync(join(d.parentPath, d.name)).size, 0);

describe('unpack refuses decompression bombs before writing them', () => {
  const dir = tmp('wasm-matrix-bombs-');
  const unlisted = join(dir, 'unlisted.tgz');
  const listed = join(dir, 'listed.tgz');
  const many = join(dir, 'total.tgz');

  beforeAll(async () => {
    await writeTarGz(unlisted, [{ name: 'manifest.json', bytes: manifest([]) }, { name: bigPath, zeros: BIG }]);
    await writeTarGz(listed, [{ name: 'manifest.json', bytes: manifest([{ path: bigPath, sha256: zerosSha256(BIG), sizeBytes: BIG }]) }, { name: bigPath, zeros: BIG }]);
    // Each entry under the per-entry limit, together over the total.
    await writeTarGz(many, [
      { name: 'manifest.json', bytes: manifest([]) },
      ...[1, 2, 3].map((i) => ({ name: `artifacts/${HASH}/part${i}.wasm`, zeros: 7 * 1024 * 1024 })),
    ]);
  }, 900_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the tarballs are small on disk and large expanded', () => {
    for (const f of [unlisted, listed]) expect(statSync(f).size).toBeLessThan(BIG / 100);
  });

  it.each([
    ['an unlisted entry', () => unlisted],
    ['a listed entry', () => listed],
  ])('%s over the per-entry limit: refused from its header, nothing installed', async (_label, file) => {
    await expect(listPackEntries(file(), LIMITS)).rejects.toThrow(`entry "${bigPath}" expands to ${BIG} bytes, over the limit of ${LIMITS.maxEntryBytes} bytes per entry`);
    await expect(unpackArtifacts(file(), { limits: LIMITS })).rejects.toThrow(/over the limit of 8388608 bytes per entry; nothing was installed/);
  });

  it('entries over the total limit together: refused', async () => {
    await expect(unpackArtifacts(many, { limits: LIMITS })).rejects.toThrow(`its entries expand to more than ${LIMITS.maxTotalBytes} bytes in all (at "artifacts/${HASH}/part3.wasm")`);
  });

  it('extraction checks each header again and never writes an entry over the limits', async () => {
    const target = join(dir, 'extract-1');
    mkdirSync(target);
    await expect(extractPack(listed, target, LIMITS)).rejects.toThrow('over the limit');
    expect(folderBytes(target)).toBeLessThanOrEqual(LIMITS.maxEntryBytes);
    expect(existsSync(join(target, bigPath))).toBe(false);
    const target2 = join(dir, 'extract-2');
    mkdirSync(target2);
    await expect(extractPack(many, target2, LIMITS)).rejects.toThrow('in all');
    expect(folderBytes(target2)).toBeLessThanOrEqual(LIMITS.maxTotalBytes);
  });

  it('the CLI: exit 2 with one line, limits from flags and from the environment', async () => {
    const cache = tmp('wasm-matrix-cache-');
    const byFlag = await ci(['unpack', unlisted, '--max-entry-bytes', String(LIMITS.maxEntryBytes)], { WASM_MATRIX_CACHE_DIR: cache });
    expect(byFlag.code).toBe(2);
    expect(byFlag.stderr.trim().split('\n')).toHaveLength(1);
    expect(byFlag.stderr).toContain('over the limit of 8388608 bytes per entry');
    const byEnv = await ci(['unpack', listed], { WASM_MATRIX_CACHE_DIR: cache, WASM_MATRIX_UNPACK_MAX_ENTRY_BYTES: '1000000' });
    expect(byEnv.code).toBe(2);
    expect(byEnv.stderr).toContain('over the limit of 1000000 bytes per entry');
    const bad = await ci(['unpack', listed, '--max-total-bytes', '1.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-total-bytes: "1.5"');
    // Nothing reached the artifact cache.
    expect(existsSync(join(cache, 'artifacts')) ? readdirSync(join(cache, 'artifacts')) : []).toEqual([]);
  });
});
