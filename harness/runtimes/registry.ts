// The Wasmtime releases on crates.io, asked through cargo itself (so the
// user's registry configuration, mirrors and proxies apply): cargo refreshes
// its cached index entry of the crate, and we read that entry.
import { existsSync, readdirSync, readFileSync, statSync, mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { UsageError } from '../errors.js';
import { compareVersions } from './api-ranges.js';

/** One published version of a crate. */
export interface Release {
  version: string;
  /** The crate's `rust-version`, when it declares one. */
  rustVersion?: string;
}

/**
 * Parses a cargo index cache file (`registry/index/<source>/.cache/<prefix>/<crate>`):
 * a small header, then NUL-separated pairs of version and the index line (JSON).
 * Yanked versions and pre-releases are left out; oldest first.
 */
export function parseIndexCache(bytes: Buffer, crate: string): Release[] {
  const releases: Release[] = [];
  for (const part of bytes.toString('utf8').split('\0')) {
    if (!part.startsWith('{')) continue;
    let line: { name?: string; vers?: string; yanked?: boolean; rust_version?: string | null };
    try {
      line = JSON.parse(part);
    } catch {
      continue;
    }
    if (line.name !== crate || !line.vers || line.yanked || !/^\d+\.\d+\.\d+$/.test(line.vers)) continue;
    releases.push({ version: line.vers, ...(line.rust_version ? { rustVersion: line.rust_version } : {}) });
  }
  return releases.sort((a, b) => compareVersions(a.version, b.version));
}

/** Cargo's sparse-index cache path of a crate name (`wasmtime` -> `wa/sm/wasmtime`). */
export function indexCachePath(crate: string): string {
  const name = crate.toLowerCase();
  if (name.length <= 2) return join(String(name.length), name);
  if (name.length === 3) return join('3', name[0]!, name);
  return join(name.slice(0, 2), name.slice(2, 4), name);
}

function cargoHome(): string {
  return process.env.CARGO_HOME || join(homedir(), '.cargo');
}

/** Makes cargo refresh its index entry of `crate` (asks for a version that cannot exist, so nothing is downloaded). */
async function refreshIndexEntry(crate: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-index-'));
  try {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'lib.rs'), '');
    writeFileSync(
      join(dir, 'Cargo.toml'),
      `[package]\nname = "wasm-matrix-index-probe"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n${crate} = "=999999.0.0"\n`,
    );
    const result = await execa('cargo', ['generate-lockfile', '--manifest-path', join(dir, 'Cargo.toml')], { reject: false, all: true });
    const out = String(result.all ?? '');
    // The expected outcome is "failed to select a version": the entry was fetched.
    if (!/failed to select a version|candidate versions found/.test(out)) {
      throw new Error(`cannot ask crates.io for ${crate} through cargo (cargo generate-lockfile said):\n${out.slice(-1500)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The freshest cached index entry of `crate` among cargo's registry sources. */
function readIndexEntry(crate: string): Buffer | undefined {
  const root = join(cargoHome(), 'registry', 'index');
  if (!existsSync(root)) return undefined;
  const candidates = readdirSync(root)
    .map((source) => join(root, source, '.cache', indexCachePath(crate)))
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0] ? readFileSync(candidates[0]) : undefined;
}

const memo = new Map<string, Promise<Release[]>>();

/** The releases of `crate` on crates.io (asked once per process), oldest first. */
export function crateReleases(crate: string): Promise<Release[]> {
  let found = memo.get(crate);
  if (!found) {
    found = (async () => {
      await refreshIndexEntry(crate);
      const entry = readIndexEntry(crate);
      if (!entry) throw new Error(`cargo fetched the index entry of ${crate} but it is not under ${join(cargoHome(), 'registry', 'index')}`);
      return parseIndexCache(entry, crate);
    })();
    memo.set(crate, found);
  }
  return found;
}

/** The release `version` of `crate`, or a usage error naming it and the newest release. */
export function requireRelease(releases: Release[], crate: string, version: string): Release {
  const found = releases.find((r) => r.version === version);
  if (!found) {
    const newest = releases[releases.length - 1]?.version;
    const sameMajor = releases.filter((r) => r.version.split('.')[0] === version.split('.')[0]).map((r) => r.version);
    throw new UsageError(
      `crates.io has no ${crate} ${version}` +
        (sameMajor.length ? ` (releases of that major: ${sameMajor.join(', ')})` : newest ? ` (the newest is ${newest})` : ''),
    );
  }
  return found;
}
