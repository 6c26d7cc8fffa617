// Installs a pinned archive into the per-user cache once: download, verify,
// check and extract into a staging folder, move it into place, and write the
// version stamp last. A stamp that matches the pin means "done, do nothing".
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cacheDir } from '../../paths.js';
import { downloadVerified } from './download.js';
import { extractSafely } from './extract.js';
import { type PinnedArchive, ProvisionError } from './pinned.js';

const STAMP = '.wasm-matrix-stamp.json';

/** Where a pinned toolchain version lives in the cache. */
export function toolchainDir(name: string, version: string): string {
  return join(cacheDir(), 'toolchains', `${name}-${version}`);
}

function stampOf(pin: PinnedArchive): string {
  const { name, version, url, digest } = pin;
  return JSON.stringify({ name, version, url, digest }, null, 2);
}

/** True when this exact pin (name, version, URL and digest) was provisioned completely. */
export function isProvisioned(pin: PinnedArchive): boolean {
  const stamp = join(toolchainDir(pin.name, pin.version), STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === stampOf(pin);
}

/** A provisioned toolchain: its folder and whether it was already there. */
export interface Provisioned {
  dir: string;
  /** False when the stamp showed it was already there. */
  downloaded: boolean;
}

const DIGEST_LENGTH = { sha256: 64, sha512: 128 } as const;

/** Downloads, verifies and extracts a pinned archive once; stamps the version. */
export async function provisionArchive(pin: PinnedArchive, log: (line: string) => void): Promise<Provisioned> {
  const dir = toolchainDir(pin.name, pin.version);
  const { algorithm, hex } = pin.digest;
  if (!/^[0-9a-f]+$/i.test(hex) || hex.length !== DIGEST_LENGTH[algorithm]) {
    // Refuse before downloading: an unverifiable download must never be installed.
    const why = pin.noDigest ? `: ${pin.noDigest}` : '; verify the file and pin its sum first';
    throw new ProvisionError(`no ${algorithm} is pinned for ${pin.name} ${pin.version} (${pin.url})${why}`);
  }
  if (isProvisioned(pin)) {
    log(`${pin.name} ${pin.version} is already provisioned in ${dir}`);
    return { dir, downloaded: false };
  }
  const staging = `${dir}.partial-${process.pid}`;
  const tree = join(staging, 'tree');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  try {
    const archive = join(staging, basename(new URL(pin.url).pathname) || 'download');
    log(`downloading ${pin.name} ${pin.version} from ${pin.url}`);
    const bytes = await downloadVerified(pin.url, pin.digest, archive);
    log(`verified ${pin.digest.algorithm} of ${bytes} bytes; extracting`);
    const entries = await extractSafely(archive, tree, pin.stripComponents ?? 0);
    // A folder without a matching stamp is an interrupted or outdated install.
    rmSync(dir, { recursive: true, force: true });
    renameSync(tree, dir);
    writeFileSync(join(dir, STAMP), stampOf(pin));
    log(`${pin.name} ${pin.version}: ${entries} entries installed in ${dir}`);
    return { dir, downloaded: true };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
