// Provisioning against a local HTTP server serving real tarballs made here.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DOTNET10_SDK, DOTNET8_SDK, WASI_SDK_FOR_MONO, WASI_SDK_FOR_NATIVEAOT } from '../csharp/pins.js';
import { entryProblem, isProvisioned, type PinnedArchive, provisionArchive, toolchainDir } from '../provision/index.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A gzipped tarball with one top folder, made by node-tar from real files. */
async function goodTarball(root: string): Promise<Buffer> {
  const src = join(root, 'src');
  mkdirSync(join(src, 'tool-1.0', 'bin'), { recursive: true });
  writeFileSync(join(src, 'tool-1.0', 'bin', 'tool'), '#!/bin/sh\necho tool\n');
  writeFileSync(join(src, 'tool-1.0', 'VERSION'), '1.0\n');
  const file = join(root, 'good.tar.gz');
  await tar.c({ gzip: true, file, cwd: src, portable: true }, ['tool-1.0']);
  return readFileSync(file);
}

/** A tarball whose only file entry is `../evil`: header written by node-tar's Header (valid checksum). */
function evilTarball(): Buffer {
  const body = Buffer.from('escaped!\n');
  const header = new tar.Header({ path: '../evil', type: 'File', size: body.length, mode: 0o644, mtime: new Date(0) });
  const block = Buffer.alloc(512);
  header.encode(block, 0);
  const data = Buffer.alloc(512);
  body.copy(data);
  return gzipSync(Buffer.concat([block, data, Buffer.alloc(1024)]));
}

describe('provisionArchive', () => {
  let root: string;
  let server: Server;
  let base: string;
  const files = new Map<string, Buffer>();
  const hits = new Map<string, number>();
  let good: Buffer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wm-provision-'));
    good = await goodTarball(root);
    files.set('/good.tar.gz', good);
    files.set('/evil.tar.gz', evilTarball());
    files.set('/truncated.tar.gz', good.subarray(0, Math.floor(good.length / 2)));
    server = createServer((req, res) => {
      hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
      const body = files.get(req.url ?? '');
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  beforeEach(() => {
    process.env.WASM_MATRIX_CACHE_DIR = mkdtempSync(join(root, 'cache-'));
    hits.clear();
  });

  const pin = (path: string, overrides: Partial<PinnedArchive> = {}): PinnedArchive => ({
    name: 'tool',
    version: '1.0',
    url: `${base}${path}`,
    digest: { algorithm: 'sha256', hex: sha256(files.get(path)!) },
    stripComponents: 1,
    ...overrides,
  });

  it('provisions a good tarball, stamps it, and does nothing the second time', async () => {
    const lines: string[] = [];
    const first = await provisionArchive(pin('/good.tar.gz'), (l) => lines.push(l));
    expect(first.downloaded).toBe(true);
    expect(first.dir).toBe(toolchainDir('tool', '1.0'));
    expect(readFileSync(join(first.dir, 'bin', 'tool'), 'utf8')).toContain('echo tool');
    expect(readFileSync(join(first.dir, 'VERSION'), 'utf8')).toBe('1.0\n');
    expect(isProvisioned(pin('/good.tar.gz'))).toBe(true);
    expect(hits.get('/good.tar.gz')).toBe(1);

    const second = await provisionArchive(pin('/good.tar.gz'), (l) => lines.push(l));
    expect(second.downloaded).toBe(false);
    expect(hits.get('/good.tar.gz')).toBe(1);
    expect(lines.at(-1)).toMatch(/already provisioned/);
    // No staging folders are left behind.
    expect(readdirSync(join(process.env.WASM_MATRIX_CACHE_DIR!, 'toolchains'))).toEqual(['tool-1.0']);
  });

  it('refuses a checksum mismatch and deletes the download', async () => {
    const wrong = pin('/good.tar.gz', { digest: { algorithm: 'sha256', hex: '0'.repeat(64) } });
    await expect(provisionArchive(wrong, () => {})).rejects.toThrow(/sha256 is [0-9a-f]{64} but the pinned sum is 0{64}; the download was deleted/);
    expect(existsSync(toolchainDir('tool', '1.0'))).toBe(false);
    expect(readdirSync(join(process.env.WASM_MATRIX_CACHE_DIR!, 'toolchains'))).toEqual([]);
    expect(isProvisioned(wrong)).toBe(false);
  });

  it('refuses a tarball with a ../ entry, naming it, and nothing escapes', async () => {
    await expect(provisionArchive(pin('/evil.tar.gz', { stripComponents: 0 }), () => {})).rejects.toThrow(
      /entry "\.\.\/evil" has a "\.\." path component; nothing was extracted/,
    );
    const cache = process.env.WASM_MATRIX_CACHE_DIR!;
    expect(existsSync(join(cache, 'toolchains', 'evil'))).toBe(false);
    expect(existsSync(join(cache, 'evil'))).toBe(false);
    expect(readdirSync(join(cache, 'toolchains'))).toEqual([]);
  });

  it('refuses a truncated tarball even when its checksum is the pinned one', async () => {
    await expect(provisionArchive(pin('/truncated.tar.gz'), () => {})).rejects.toThrow(/damaged or truncated/);
    expect(existsSync(toolchainDir('tool', '1.0'))).toBe(false);
  });

  it('refuses a download cut short (checksum of the full file pinned)', async () => {
    const cut = pin('/truncated.tar.gz', { digest: { algorithm: 'sha256', hex: sha256(good) } });
    await expect(provisionArchive(cut, () => {})).rejects.toThrow(/pinned sum/);
  });

  it('refuses a pin without a real sum before downloading anything', async () => {
    const unpinned = pin('/good.tar.gz', { digest: { algorithm: 'sha256', hex: 'unpinned' } });
    await expect(provisionArchive(unpinned, () => {})).rejects.toThrow(/no sha256 is pinned for tool 1\.0/);
    expect(hits.size).toBe(0);
  });

  it('provisions with a SHA-512 pin, the format of the .NET SDK pins, and refuses a wrong one', async () => {
    const sha512 = createHash('sha512').update(good).digest('hex');
    const done = await provisionArchive(pin('/good.tar.gz', { digest: { algorithm: 'sha512', hex: sha512 }, stripComponents: 1 }), () => {});
    expect(readFileSync(join(done.dir, 'VERSION'), 'utf8')).toBe('1.0\n');
    process.env.WASM_MATRIX_CACHE_DIR = mkdtempSync(join(root, 'cache-'));
    const wrong = pin('/good.tar.gz', { digest: { algorithm: 'sha512', hex: sha512.replace(/^./, (c) => (c === '0' ? '1' : '0')) } });
    await expect(provisionArchive(wrong, () => {})).rejects.toThrow(/its sha512 is [0-9a-f]{128} but the pinned sum is/);
  });

  it('every real pin has a digest of its algorithm\'s length and a source, or says why there is none and is refused before any download', async () => {
    for (const real of [DOTNET8_SDK, DOTNET10_SDK, WASI_SDK_FOR_NATIVEAOT]) {
      expect(real.digest.hex, real.url).toMatch(real.digest.algorithm === 'sha512' ? /^[0-9a-f]{128}$/ : /^[0-9a-f]{64}$/);
      expect(real.digestSource, real.url).toBeTruthy();
    }
    expect([DOTNET8_SDK.digest.algorithm, DOTNET10_SDK.digest.algorithm, WASI_SDK_FOR_NATIVEAOT.digest.algorithm]).toEqual(['sha512', 'sha512', 'sha256']);
    // The .NET 8 Mono WASI SDK: no digest could be sourced. Served locally under its real file name, it is still refused.
    files.set('/wasi-sdk-20.0-linux.tar.gz', good);
    const local = { ...WASI_SDK_FOR_MONO, url: `${base}/wasi-sdk-20.0-linux.tar.gz` };
    await expect(provisionArchive(local, () => {})).rejects.toThrow(/no sha256 is pinned for wasi-sdk 20\.0 .*: no published or independently recorded sha256 .*WASI_SDK_PATH/);
    expect(hits.size).toBe(0);
  });

  it('reports an HTTP error', async () => {
    const missing = { ...pin('/good.tar.gz'), url: `${base}/nope.tar.gz` };
    await expect(provisionArchive(missing, () => {})).rejects.toThrow(/HTTP 404/);
  });
});

describe('entryProblem', () => {
  it('accepts ordinary entries and relative links inside the tree', () => {
    expect(entryProblem({ path: 'a/b/c', type: 'File' })).toBeUndefined();
    expect(entryProblem({ path: 'bin/clang', type: 'SymbolicLink', linkpath: 'clang-19' })).toBeUndefined();
    expect(entryProblem({ path: 'a/b/link', type: 'SymbolicLink', linkpath: '../c' })).toBeUndefined();
  });

  it('refuses absolute paths, .., devices and links that leave the tree', () => {
    expect(entryProblem({ path: '/etc/passwd', type: 'File' })).toMatch(/absolute/);
    expect(entryProblem({ path: 'C:\\x', type: 'File' })).toMatch(/absolute/);
    expect(entryProblem({ path: 'a/../../b', type: 'File' })).toMatch(/\.\./);
    expect(entryProblem({ path: 'dev', type: 'CharacterDevice' })).toMatch(/CharacterDevice/);
    expect(entryProblem({ path: 'a/link', type: 'SymbolicLink', linkpath: '/etc' })).toMatch(/absolute/);
    expect(entryProblem({ path: 'a/link', type: 'SymbolicLink', linkpath: '../../etc' })).toMatch(/outside/);
    expect(entryProblem({ path: 'a/hard', type: 'Link', linkpath: '../x' })).toMatch(/outside/);
  });
});
