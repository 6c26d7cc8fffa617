// Which Rust toolchain builds a runtime: the default (stable) one when it is
// new enough, else `+nightly` when that satisfies the runtime's minimum, else
// none, with the reason and the command that would build it.
import { execFileSync } from 'node:child_process';
import { compareVersions } from './api-ranges.js';

/** A rustc the machine has, as `rustc [+channel] --version` reports it. */
export interface RustToolchain {
  /** `undefined` for the default toolchain, `nightly` for `cargo +nightly`. */
  channel?: 'nightly';
  /** e.g. `1.97.0-nightly`. */
  version: string;
}

export type ToolchainChoice =
  | { ok: true; toolchain: RustToolchain; label: string }
  | { ok: false; reason: string; command: string };

/** Parses `rustc 1.97.0-nightly (abc 2026-05-19)` into `1.97.0-nightly`. */
export function parseRustcVersion(output: string): string | undefined {
  return /^rustc (\d+\.\d+\.\d+(?:-[\w.]+)?)/m.exec(output)?.[1];
}

function probe(channel?: 'nightly'): RustToolchain | undefined {
  try {
    const args = [...(channel ? [`+${channel}`] : []), '--version'];
    const version = parseRustcVersion(execFileSync('rustc', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return version ? { ...(channel ? { channel } : {}), version } : undefined;
  } catch {
    return undefined;
  }
}

let probed: RustToolchain[] | undefined;

/** The toolchains on this machine (probed once per process): default first, then nightly. */
export function availableToolchains(): RustToolchain[] {
  probed ??= [probe(), probe('nightly')].filter((t): t is RustToolchain => t !== undefined);
  return probed;
}

/**
 * Picks the toolchain for a runtime needing `minRust`: the default one when new
 * enough, else nightly when it is (a `1.97.0-nightly` satisfies 1.97.0, as cargo's
 * own `rust-version` check treats it). Pure, so the rule is tested without rustup.
 */
export function chooseToolchain(runtimeId: string, minRust: string, available: RustToolchain[]): ToolchainChoice {
  const fits = (t: RustToolchain) => compareVersions(t.version, minRust) >= 0;
  const stable = available.find((t) => !t.channel);
  const nightly = available.find((t) => t.channel === 'nightly');
  if (stable && fits(stable)) return { ok: true, toolchain: stable, label: `rustc ${stable.version}` };
  if (nightly && fits(nightly)) return { ok: true, toolchain: nightly, label: `rustc +nightly ${nightly.version}` };
  const have = [
    stable ? `the default rustc is ${stable.version}` : 'no default rustc',
    nightly ? `nightly is ${nightly.version}` : 'no nightly toolchain',
  ].join(', ');
  return {
    ok: false,
    reason: `${runtimeId} needs rustc ${minRust} or newer (${have})`,
    // The newest nightly satisfies any released minimum, and the build picks it.
    command: `rustup toolchain install nightly && node dist/harness/cli/main.js build-runtimes --runtime ${runtimeId}`,
  };
}

/** The cargo arguments that select a toolchain (`+nightly` or nothing). */
export function cargoToolchainArgs(t: RustToolchain): string[] {
  return t.channel ? [`+${t.channel}`] : [];
}
