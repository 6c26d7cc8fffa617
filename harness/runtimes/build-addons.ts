// Builds each runtime's addon with cargo (which itself rebuilds only what
// changed) into the shared target dir outside the clone, then copies the
// cdylib next to the workspace when its bytes changed. A runtime whose Rust
// toolchain is missing is "not built" with the reason and the command that
// would build it; the other runtimes build as before.
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { lockedWasmtimeVersion, type Runtime } from '../config/runtimes.js';
import { UsageError } from '../errors.js';
import { cargoTargetDir } from '../paths.js';
import { startProgress } from '../util/progress.js';
import { expectedCargoToml } from './workspace.js';
import { availableToolchains, cargoToolchainArgs, chooseToolchain, type RustToolchain } from './toolchain.js';

/** One runtime's addon build: built (where, how long, with which rustc) or not built (why, and the command that builds it). */
export type AddonBuild =
  | {
      status: 'built';
      runtimeId: string;
      addonPath: string;
      seconds: number;
      /** False when cargo found nothing to do and the addon was already in place. */
      changed: boolean;
      /** The rustc that built it, e.g. `rustc +nightly 1.97.0-nightly`. */
      toolchain: string;
    }
  | { status: 'not-built'; runtimeId: string; reason: string; command: string };

/** Rough crate count of a cold build, only for the progress bar's scale. */
const EXPECTED_CRATES = 260;

/**
 * Cargo's target dir for a toolchain: the shared one for the default toolchain,
 * a sibling `-nightly` one for nightly (its artifacts never match stable's, and
 * a separate dir lets a long nightly build run beside stable builds).
 */
export function targetDirFor(toolchain: RustToolchain): string {
  return toolchain.channel ? `${cargoTargetDir()}-${toolchain.channel}` : cargoTargetDir();
}

/** Why a runtime cannot be built here, with the command that would build it; undefined when it can. */
export function missingToolchain(runtime: Runtime): { reason: string; command: string } | undefined {
  const choice = chooseToolchain(runtime.id, runtime.rust, availableToolchains());
  return choice.ok ? undefined : { reason: choice.reason, command: choice.command };
}

/**
 * Lets an on-demand workspace's Cargo.lock take what a rewritten Cargo.toml
 * adds (the addon's own dependencies grow with the source: `bytes` and `tokio`
 * came with the spilled output), keeping every version it already pins, so
 * the `--locked` build below accepts it.
 */
async function refreshLock(runtime: Runtime): Promise<void> {
  const result = await execa('cargo', ['update', '--workspace', '--manifest-path', join(runtime.workspaceDir, 'Cargo.toml'), '--color', 'never'], { reject: false, all: true });
  if (result.exitCode !== 0) throw new Error(`cargo update --workspace for ${runtime.id} failed (exit ${result.exitCode}):\n${String(result.all ?? '').slice(-2000)}`);
}

/** Builds a runtime's addon with cargo (incremental) and puts the `.node` in place. */
export async function buildAddon(runtime: Runtime, opts: { quiet?: boolean } = {}): Promise<AddonBuild> {
  if (!runtime.pinned) {
    // An on-demand workspace names the addon source by absolute path: point it at this clone.
    const toml = join(runtime.workspaceDir, 'Cargo.toml');
    const expected = expectedCargoToml(runtime);
    if (!existsSync(toml) || readFileSync(toml, 'utf8') !== expected) {
      writeFileSync(toml, expected);
      await refreshLock(runtime);
    }
  }
  const locked = lockedWasmtimeVersion(runtime);
  if (locked !== runtime.wasmtime) {
    throw new UsageError(
      `${join(runtime.workspaceDir, 'Cargo.lock')} pins wasmtime ${locked ?? '(none)'} but the runtime's manifest says ${runtime.wasmtime}`,
    );
  }
  const choice = chooseToolchain(runtime.id, runtime.rust, availableToolchains());
  if (!choice.ok) return { status: 'not-built', runtimeId: runtime.id, reason: choice.reason, command: choice.command };
  const targetDir = targetDirFor(choice.toolchain);
  const started = Date.now();
  const progress = startProgress(`build ${runtime.id} (${choice.label})`, EXPECTED_CRATES, opts);
  let compiled = 0;
  const cargo = execa(
    'cargo',
    [
      ...cargoToolchainArgs(choice.toolchain),
      'build',
      '--release',
      '--locked',
      '--manifest-path',
      join(runtime.workspaceDir, 'Cargo.toml'),
      '--color',
      'never',
    ],
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
  return { status: 'built', runtimeId: runtime.id, addonPath: runtime.addonPath, seconds, changed, toolchain: choice.label };
}
