// Which Rust builds a runtime: the rule, with the machine's toolchains passed in.
import { describe, expect, it } from 'vitest';
import { chooseToolchain, parseRustcVersion } from '../toolchain.js';

const stable = { version: '1.95.0' };
const nightly = { channel: 'nightly' as const, version: '1.97.0-nightly' };

describe('chooseToolchain', () => {
  it('takes the default toolchain when it is new enough', () => {
    expect(chooseToolchain('wasmtime-48', '1.95.0', [stable, nightly])).toMatchObject({ ok: true, toolchain: stable });
  });

  it('takes +nightly when the default is too old and nightly satisfies the minimum', () => {
    expect(chooseToolchain('wasmtime-50', '1.97.0', [stable, nightly])).toMatchObject({ ok: true, toolchain: nightly, label: 'rustc +nightly 1.97.0-nightly' });
  });

  it('says why and what builds it when neither does', () => {
    const none = chooseToolchain('wasmtime-50', '1.97.0', [stable]);
    expect(none.ok).toBe(false);
    if (none.ok) return;
    expect(none.reason).toBe('wasmtime-50 needs rustc 1.97.0 or newer (the default rustc is 1.95.0, no nightly toolchain)');
    expect(none.command).toMatch(/^rustup toolchain install nightly && .*build-runtimes --runtime wasmtime-50$/);
    const old = chooseToolchain('wasmtime-60', '1.99.0', [stable, nightly]);
    expect(old.ok).toBe(false);
    if (!old.ok) expect(old.reason).toMatch(/nightly is 1\.97\.0-nightly/);
    expect(chooseToolchain('wasmtime-24', '1.88.0', [])).toMatchObject({ ok: false, reason: expect.stringMatching(/no default rustc, no nightly toolchain/) });
  });

  it('reads rustc --version output', () => {
    expect(parseRustcVersion('rustc 1.95.0 (59807616e 2026-03-23)\n')).toBe('1.95.0');
    expect(parseRustcVersion('rustc 1.97.0-nightly (4d1f98451 2026-05-15)')).toBe('1.97.0-nightly');
    expect(parseRustcVersion('error: toolchain not installed')).toBeUndefined();
  });
});
