// Finding a WASI SDK: WASI_SDK_PATH when it holds an acceptable version,
// else the pinned one provisioned in the cache. The two C# wasm flavors need
// different WASI SDKs (.NET 8 Mono vs NativeAOT-LLVM 10), so each says which
// versions it accepts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProvisioned, type PinnedArchive, toolchainDir } from '../provision/index.js';

/** A found WASI SDK: its folder and version. */
export interface WasiSdk {
  path: string;
  /** First line of the SDK's VERSION file, e.g. "29.0". */
  version: string;
  where: 'WASI_SDK_PATH' | 'cache';
}

/** Reads an SDK folder; a string says why it is not a usable WASI SDK. */
export function readWasiSdk(path: string): { version: string } | string {
  const clang = join(path, 'bin', process.platform === 'win32' ? 'clang.exe' : 'clang');
  if (!existsSync(clang)) return `${path} has no bin/clang`;
  const versionFile = join(path, 'VERSION');
  if (!existsSync(versionFile)) return `${path} has no VERSION file`;
  const version = readFileSync(versionFile, 'utf8').split(/\r?\n/)[0]?.trim() ?? '';
  return version ? { version } : `${path}/VERSION is empty`;
}

/** Whether two versions share their major. */
export const sameMajor = (a: string, b: string): boolean => a.split('.')[0] === b.split('.')[0];

/** The WASI SDK from WASI_SDK_PATH or the toolchain cache, if its version is accepted. */
export function findWasiSdk(pin: PinnedArchive, accept: (version: string) => boolean): WasiSdk | string {
  const seen: string[] = [];
  const env = process.env.WASI_SDK_PATH;
  if (env) {
    const found = readWasiSdk(env);
    if (typeof found !== 'string' && accept(found.version)) return { path: env, version: found.version, where: 'WASI_SDK_PATH' };
    seen.push(typeof found === 'string' ? `WASI_SDK_PATH: ${found}` : `WASI_SDK_PATH=${env} is version ${found.version}`);
  } else {
    seen.push('WASI_SDK_PATH is not set');
  }
  const cached = toolchainDir(pin.name, pin.version);
  if (isProvisioned(pin)) {
    const found = readWasiSdk(cached);
    if (typeof found !== 'string' && accept(found.version)) return { path: cached, version: found.version, where: 'cache' };
    seen.push(typeof found === 'string' ? found : `${cached} is version ${found.version}`);
  } else {
    seen.push(`${cached} is not provisioned`);
  }
  return seen.join('; ');
}
