// The version ranges of the adapter: one derivation of a workspace's features
// from its Wasmtime version, which the pinned workspaces must match exactly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { projectRoot } from '../../paths.js';
import { ADDON_MIN_RUST, API_RANGES, adapterFeatures, compareVersions, majorOf, wasmtimeCrateFeatures } from '../api-ranges.js';
import { expectedCargoToml } from '../workspace.js';
import { minimumRust } from '../add.js';

describe('adapter version ranges', () => {
  it('names exactly the api-since features adapter.rs tests', () => {
    const adapter = readFileSync(join(projectRoot, 'runtimes', 'addon', 'src', 'adapter.rs'), 'utf8');
    const used = new Set([...adapter.matchAll(/feature = "api-since-(\d+)"/g)].map((m) => Number(m[1])));
    expect([...used].sort((a, b) => a - b)).toEqual(API_RANGES.map((r) => r.since));
    // No other source file of the addon branches on the version.
    for (const file of ['engine.rs', 'instance.rs', 'limits.rs', 'module.rs', 'outcome.rs', 'values.rs', 'compat.rs', 'lib.rs']) {
      const text = readFileSync(join(projectRoot, 'runtimes', 'addon', 'src', file), 'utf8');
      expect(text, file).not.toMatch(/api-since-|adapter-v/);
    }
  });

  it('turns each range on from its major and not before', () => {
    for (const { since } of API_RANGES) {
      expect(adapterFeatures(`${since - 1}.0.5`)).not.toContain(`api-since-${since}`);
      expect(adapterFeatures(`${since}.0.0`)).toContain(`api-since-${since}`);
    }
    expect(adapterFeatures('24.0.13')).toEqual([]);
    expect(adapterFeatures('36.0.14')).toEqual(['api-since-26', 'api-since-30', 'api-since-32', 'api-since-33', 'api-since-36']);
    expect(adapterFeatures('50.0.1')).toEqual(API_RANGES.map((r) => `api-since-${r.since}`));
  });

  it('needs the gc crate feature only before 25, and refuses versions the addon cannot build', () => {
    expect(wasmtimeCrateFeatures('24.0.13')).toContain('gc');
    expect(wasmtimeCrateFeatures('25.0.0')).not.toContain('gc');
    expect(() => adapterFeatures('23.0.2')).toThrow(/older than 24\.0\.0/);
    expect(() => majorOf('42')).toThrow(/not an exact Wasmtime version/);
    expect(() => majorOf('42.0.x')).toThrow(/"42\.0\.x"/);
  });

  it('is what every pinned workspace Cargo.toml says, byte for byte', () => {
    for (const runtime of loadRuntimes()) {
      const actual = readFileSync(join(runtime.workspaceDir, 'Cargo.toml'), 'utf8');
      expect(actual, `runtimes/${runtime.workspace}/Cargo.toml (regenerate it with expectedCargoToml)`).toBe(expectedCargoToml(runtime));
    }
  });

  it('gives each pinned runtime a minimum Rust no lower than the addon needs', () => {
    for (const runtime of loadRuntimes()) expect(compareVersions(runtime.rust, ADDON_MIN_RUST), runtime.id).toBeGreaterThanOrEqual(0);
    expect(minimumRust({ rustVersion: '1.78.0' })).toBe(ADDON_MIN_RUST);
    expect(minimumRust({ rustVersion: '1.97.0' })).toBe('1.97.0');
    expect(minimumRust({})).toBe(ADDON_MIN_RUST);
    expect(compareVersions('1.97.0-nightly', '1.97.0')).toBe(0);
    expect(compareVersions('1.96.9', '1.97.0')).toBeLessThan(0);
  });
});
