// Builds each runtime's addon with cargo (which itself rebuilds only what
// changed) into the shared target dir outside the clone, then copies the
// cdylib next to the workspace when its bytes changed.
import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { lockedWasmtimeVersion, type Runtime } from '../config/runtimes.js';
import { UsageError } from '../errors.js';
import { cargoTargetDir } from '../paths.js';
import { startProgress } from '../util/progress.js';

/** One runtime's addon build: where it is and whether cargo did anything. */
export interface AddonBuild {
  runtimeId: string;
  addonPath: string;
  seconds: number;
  /** False when cargo found nothing to do and the addon was already in place. */
  changed: boolean;
}

/** Rough crate count of a cold build, only for the progress bar's scale. */
const EXPECTED_CRATES = 260;

/** Builds a runtime's addon with cargo (incremental) and puts the `.node` in place. */
export async function buildAddon(runtime: Runtime, opts: { quiet?: boolean } = {}): Promise<AddonBuild> {
  const locked = lockedWasmtimeVersion(runtime);
  if (locked !== runtime.wasmtime) {
    throw new UsageError(
      `runtimes/${runtime.workspace}/Cargo.lock pins wasmtime ${locked ?? '(none)'} but runtimes.json says ${runtime.wasmtime}`,
    );
  }
  const targetDir = cargoTargetDir();
  const started = Date.now();
  const progress = startProgress(`build ${runtime.id}`, EXPECTED_CRATES, opts);
  let compiled = 0;
  const cargo = execa(
    'cargo',
    ['build', '--release', '--locked', '--manifest-path', join(runtime.workspaceDir, 'Cargo.toml'), '--color', 'never'],
    { env: { CARGO_TARGET_DIR: targetDir }, reject: false, all: true, buffer: { all: true } },
  );
  cargo.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      const m = /^\s*Compiling (\S+) v(\S+)/.exec(line);
      if (m) progress.update(++compiled, `${m[1]} ${m[2]}`);
    }
  });
  const result = await cargo;
  const seconds = (Date.now() - started) / 1000;
  if (result.exitCode !== 0) {
    progress.stop('failed');
    throw new Error(`cargo build of ${runtime.id} failed (exit ${result.exitCode}):\n${String(result.all ?? '').slice(-4000)}`);
  }
  const built = join(targetDir, 'release', runtime.cdylibName);
  if (!existsSync(built)) throw new Error(`cargo reported success but ${built} is missing`);
  const changed = !existsSync(runtime.addonPath) || !readFileSync(built).equals(readFileSync(runtime.addonPath));
  if (changed) {
    // Copy then rename: a worker that has the old addon mapped keeps a valid file.
    const temp = `${runtime.addonPath}.tmp-${process.pid}`;
    copyFileSync(built, temp);
    renameSync(temp, runtime.addonPath);
  }
  progress.stop(`${compiled} crates compiled in ${seconds.toFixed(1)} s${changed ? '' : ', addon up to date'}`);
  return { runtimeId: runtime.id, addonPath: runtime.addonPath, seconds, changed };
}
