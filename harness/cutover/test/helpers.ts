// Shared by the cut-over tests: temporary folders, generated modules, and the
// invariant every cache must keep (no `.cwasm` without its valid record, no
// temporary files where entries live).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wabtInit from 'wabt';
import { execa } from 'execa';
import { loadRuntimes, type Runtime } from '../../config/runtimes.js';
import { projectRoot } from '../../paths.js';
import { lookupEntry, STAGING } from '../cache.js';

export const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

export const runtime = (id: string): Runtime => loadRuntimes().find((r) => r.id === id)!;

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Assembles WAT text into `<dir>/<name>.wasm`; returns its path and a content hash to use as artifact hash. */
export async function assemble(dir: string, name: string, wat: string): Promise<{ path: string; hash: string }> {
  const wabt = await wabtInit();
  const module = wabt.parseWat(`${name}.wat`, wat, { multi_value: true, bulk_memory: true });
  module.resolveNames();
  module.validate();
  const bytes = new Uint8Array(module.toBinary({ log: false }).buffer);
  module.destroy();
  const path = join(dir, `${name}.wasm`);
  writeFileSync(path, bytes);
  return { path, hash: sha256(bytes) };
}

/** A module that takes a while to precompile (hundreds of ms), to kill a worker in the middle. */
export function bigWat(functions: number, seed = 0): string {
  const step = (i: number) => `(local.set 0 (i32.add (i32.mul (local.get 0) (i32.const ${i + 3 + seed})) (i32.const 7)))`;
  let body = '';
  for (let i = 0; i < functions; i++) body += `(func (export "f${i}") (param i32) (result i32) ${step(i).repeat(20)} (local.get 0))\n`;
  return `(module ${body})`;
}

/**
 * Problems with the cache at `root` as a reader would see it: a `.cwasm`
 * without a valid record, or any file where entries live that is not an
 * entry or its record. `allowStaging` lets files under `.staging` pass
 * (a fill may be running).
 */
export function halfEntries(root: string, allowStaging = false): string[] {
  const problems: string[] = [];
  if (!existsSync(root)) return problems;
  for (const engine of readdirSync(root)) {
    const dir = join(root, engine);
    for (const name of readdirSync(dir)) {
      if (name === STAGING) {
        const staged = readdirSync(join(dir, name)).filter((f) => !f.endsWith('.lock'));
        if (!allowStaging && staged.length) problems.push(`staging files left: ${staged.join(', ')}`);
        continue;
      }
      const m = /^([0-9a-f]{64})\.cwasm(\.json)?$/.exec(name);
      if (!m) {
        problems.push(`not an entry: ${join(dir, name)}`);
        continue;
      }
      if (m[2]) continue; // a record alone is not an entry
      const found = lookupEntry(root, engine, m[1]!);
      if (found.state !== 'hit') problems.push(`${join(dir, name)}: ${found.state === 'corrupt' ? found.reason : 'gone'}`);
    }
  }
  return problems;
}

export function flipByte(path: string): void {
  const bytes = readFileSync(path);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(path, bytes);
}

/** The wasm-matrix binary, which runs the cut-over and cache commands. */
export const cliEntry = join(projectRoot, 'dist', 'harness', 'cli', 'main.js');

export async function cutoverCli(args: string[], env: Record<string, string> = {}, timeout = 300_000) {
  const r = await execa('node', [cliEntry, ...args], { reject: false, env: { ...(process.env as Record<string, string>), ...env }, timeout });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
