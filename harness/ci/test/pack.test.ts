// pack / unpack: artifacts built in one cache run from another whose job has
// no toolchain; damaged, tampered and escaping tarballs are refused whole.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as tar from 'tar';
import { beforeAll, describe, expect, it } from 'vitest';
import { readReport } from '../../report/writer.js';
import { ci, run, tmp } from './helpers.js';

// A job without clang: detection finds no compiler, so the flavor is unavailable.
const NO_CLANG = { WASM_MATRIX_CLANG: '/nonexistent/clang-14' };
const SELECTION = ['--suite', 'core', '--flavor', 'clang-wasi-O2', '--flavor', 'wat'];

const sha256sum = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;
const artifactsIn = (cache: string): string[] => (existsSync(join(cache, 'artifacts')) ? readdirSync(join(cache, 'artifacts')).filter((d) => !d.startsWith('.')) : []);

/** Unpacks a pack into a folder, lets `change` edit it, and packs it again (manifest first). */
async function repack(pack: string, change: (dir: string) => void): Promise<string> {
  const dir = tmp('wasm-matrix-repack-');
  await tar.x({ file: pack, cwd: dir });
  change(dir);
  const entries = ['manifest.json', ...readdirSync(join(dir, 'artifacts')).map((h) => `artifacts/${h}`)];
  const out = join(tmp('wasm-matrix-pack-'), 'changed.tgz');
  await tar.c({ gzip: true, file: out, cwd: dir, portable: true }, entries);
  return out;
}

describe('pack and unpack', () => {
  const toolchainCache = tmp('wasm-matrix-cache-toolchain-');
  let pack: string;
  let packSha: string;

  beforeAll(async () => {
    pack = join(tmp('wasm-matrix-pack-'), 'artifacts.tgz');
    const r = await ci(['pack', pack, ...SELECTION, '--json'], { WASM_MATRIX_CACHE_DIR: toolchainCache });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { sha256: string; artifacts: { suite: string; flavor: string }[] };
    expect(out.artifacts.map((a) => `${a.suite}/${a.flavor}`).sort()).toEqual(['core/clang-wasi-O2', 'core/wat']);
    packSha = out.sha256;
    expect(packSha).toBe(sha256sum(pack));
  });

  it('ships artifacts to a job without the toolchain, where run finds them as cache hits', async () => {
    const runCache = tmp('wasm-matrix-cache-run-');
    const env = { ...NO_CLANG, WASM_MATRIX_CACHE_DIR: runCache };
    const r = await ci(['unpack', pack, '--sha256', packSha], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 artifacts');

    const out = tmp('wasm-matrix-out-');
    const ran = await run(['--suite', 'core', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', out], env);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain('toolchain unavailable here; using the shipped artifact');
    const report = readReport(join(out, 'report.json'));
    expect(report.flavors.find((f) => f.id === 'clang-wasi-O2')?.available).toBe(false);
    expect(report.artifacts).toEqual([expect.objectContaining({ suite: 'core', flavor: 'clang-wasi-O2', cacheHit: true })]);
    const ran_ = report.cells.filter((c) => c.status !== 'skipped');
    expect(ran_.length).toBeGreaterThan(20);
    expect(report.cells.filter((c) => c.status === 'skipped').every((c) => c.reason?.startsWith('case not implemented'))).toBe(true);

    // The same job without the pack skips every cell with the toolchain's reason.
    const bare = tmp('wasm-matrix-out-');
    const without = await run(['--suite', 'core', '--flavor', 'clang-wasi-O2', '--runtime', 'wasmtime-48', '--out', bare], { ...NO_CLANG, WASM_MATRIX_CACHE_DIR: tmp('wasm-matrix-cache-empty-') });
    expect(without.code).toBe(0);
    const bareCells = readReport(join(bare, 'report.json')).cells;
    expect(bareCells.every((c) => c.status === 'skipped')).toBe(true);
    expect(bareCells.filter((c) => c.reason?.includes('clang-wasi-O2 toolchain unavailable'))).toHaveLength(ran_.length);
  });

  it('refuses a tarball whose module was changed, naming the file, and installs nothing', async () => {
    const tampered = await repack(pack, (dir) => {
      const hash = readdirSync(join(dir, 'artifacts'))[0]!;
      const module = join(dir, 'artifacts', hash, 'module.wasm');
      const bytes = readFileSync(module);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
      writeFileSync(module, bytes);
    });
    const cache = tmp('wasm-matrix-cache-');
    const r = await ci(['unpack', tampered], { WASM_MATRIX_CACHE_DIR: cache });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing pack .*changed\.tgz: artifacts\/[0-9a-f]{64}\/module\.wasm has sha256 [0-9a-f]{64}, manifest\.json says [0-9a-f]{64}; nothing was installed/);
    expect(artifactsIn(cache)).toEqual([]);
  });

  it('refuses a tarball with a file the manifest does not list, or without one it lists', async () => {
    const extra = await repack(pack, (dir) => {
      const hash = readdirSync(join(dir, 'artifacts'))[0]!;
      writeFileSync(join(dir, 'artifacts', hash, 'extra.wasm'), 'x');
    });
    const r1 = await ci(['unpack', extra], { WASM_MATRIX_CACHE_DIR: tmp('wasm-matrix-cache-') });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/extra\.wasm is not in manifest\.json/);

    const hashes: string[] = [];
    const missing = await repack(pack, (dir) => {
      hashes.push(...readdirSync(join(dir, 'artifacts')));
      execFileSync('rm', [join(dir, 'artifacts', hashes[0]!, 'module.wasm')]);
    });
    const r2 = await ci(['unpack', missing], { WASM_MATRIX_CACHE_DIR: tmp('wasm-matrix-cache-') });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`artifacts/${hashes[0]}/module.wasm is listed in manifest.json but missing`);
  });

  it('refuses a tarball rewritten with a consistent manifest when --sha256 names the original', async () => {
    const rewritten = await repack(pack, (dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { createdAt: string };
      manifest.createdAt = 'later';
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    });
    const cache = tmp('wasm-matrix-cache-');
    const r = await ci(['unpack', rewritten, '--sha256', packSha], { WASM_MATRIX_CACHE_DIR: cache });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`expected ${packSha}`);
    expect(artifactsIn(cache)).toEqual([]);
  });

  it('refuses a truncated tarball', async () => {
    const dir = tmp('wasm-matrix-pack-');
    const cut = join(dir, 'cut.tgz');
    writeFileSync(cut, readFileSync(pack));
    truncateSync(cut, Math.floor(statSync(cut).size / 2));
    const cache = tmp('wasm-matrix-cache-');
    const r = await ci(['unpack', cut], { WASM_MATRIX_CACHE_DIR: cache });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing pack .*cut\.tgz: (it is damaged or truncated|.*missing)/);
    expect(artifactsIn(cache)).toEqual([]);

    const junk = join(dir, 'junk.tgz');
    writeFileSync(junk, readFileSync(pack));
    appendFileSync(junk, 'trailing garbage');
    truncateSync(junk, 100);
    expect((await ci(['unpack', junk], { WASM_MATRIX_CACHE_DIR: cache })).code).toBe(2);
  });

  it('refuses a tarball with an entry escaping the folder, extracting nothing', async () => {
    const dir = tmp('wasm-matrix-evil-');
    mkdirSync(join(dir, 'src', 'x'), { recursive: true });
    writeFileSync(join(dir, 'src', 'manifest.json'), '{}');
    writeFileSync(join(dir, 'src', 'x', 'evil'), 'escaped');
    const evil = join(dir, 'evil.tgz');
    const name = `wasm-matrix-escaped-${process.pid}-${Date.now()}`;
    // GNU tar keeps the leading ../ with -P; unpack extracts below the temporary folder.
    execFileSync('tar', ['czf', evil, '-P', '-C', join(dir, 'src'), '--transform', `s,^x,../${name},`, 'manifest.json', 'x/evil']);
    const cache = tmp('wasm-matrix-cache-');
    const r = await ci(['unpack', evil], { WASM_MATRIX_CACHE_DIR: cache });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`entry "../${name}/evil" has a ".." path component`);
    expect(existsSync(join(tmpdir(), name))).toBe(false);
    expect(artifactsIn(cache)).toEqual([]);
  });
});
