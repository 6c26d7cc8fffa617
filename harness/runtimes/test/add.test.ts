// `runtimes add`: any Wasmtime on demand. A version crates.io does not have is
// a clear usage error; one unpinned major between the LTS pins (42.0.2) is
// added, built and run end to end.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes, manifestPath, onDemandRuntimesDir, RuntimesManifest } from '../../config/runtimes.js';
import { formatManifest } from '../add.js';
import { cli } from '../../cli/test/cli.js';
import { crateReleases } from '../registry.js';
import { parseIndexCache, indexCachePath } from '../registry.js';

/** The unpinned major the end-to-end test builds (between the 36 and 48 LTS pins). */
export const ON_DEMAND_VERSION = '42.0.2';

let registry: string | undefined;
beforeAll(async () => {
  try {
    await crateReleases('wasmtime');
  } catch (e) {
    registry = (e as Error).message.split('\n')[0];
  }
}, 900_000);

describe('the crates.io index entry', () => {
  it('is read from cargo\'s cache format: versions, rust-version, no yanked or pre-releases', () => {
    const line = (vers: string, extra = '') => `{"name":"wasmtime","vers":"${vers}","deps":[],"cksum":"x","features":{}${extra}}`;
    const bytes = Buffer.from(
      ['\u0003\u0002\u0000\u0000\u0000etag', '50.0.1', line('50.0.1', ',"rust_version":"1.97.0"'), '49.0.0-rc.1', line('49.0.0-rc.1'), '48.0.1', line('48.0.1', ',"yanked":true'), '24.0.0', line('24.0.0'), ''].join('\0'),
    );
    expect(parseIndexCache(bytes, 'wasmtime')).toEqual([{ version: '24.0.0' }, { version: '50.0.1', rustVersion: '1.97.0' }]);
    expect(indexCachePath('wasmtime-wasi')).toBe(join('wa', 'sm', 'wasmtime-wasi'));
    expect(indexCachePath('cc')).toBe(join('2', 'cc'));
    expect(indexCachePath('syn')).toBe(join('3', 's', 'syn'));
  });
});

describe('runtimes add --pin', () => {
  it('writes the manifest in its one-line-per-runtime layout (appending keeps the file as people edit it)', () => {
    const text = readFileSync(manifestPath, 'utf8');
    const manifest = RuntimesManifest.parse(JSON.parse(text));
    expect(formatManifest(manifest.runtimes)).toBe(text);
    const added = formatManifest([...manifest.runtimes, { id: 'wasmtime-49', wasmtime: '49.0.5', wasmtimeWasi: '49.0.5', workspace: 'wasmtime-49', rust: '1.96.0' }]);
    expect(added.split('\n').at(-4)).toBe('    { "id": "wasmtime-49", "wasmtime": "49.0.5", "wasmtimeWasi": "49.0.5", "workspace": "wasmtime-49", "rust": "1.96.0" }');
    expect(RuntimesManifest.parse(JSON.parse(added)).runtimes).toHaveLength(manifest.runtimes.length + 1);
  });
});

describe('wasm-matrix runtimes add', () => {
  it('refuses a version crates.io does not have, naming it (exit 2), and creates nothing', async (ctx) => {
    if (registry) {
      console.warn(`skipped: crates.io is not reachable through cargo here (${registry})`);
      ctx.skip();
    }
    const r = await cli(['runtimes', 'add', '24.0.99']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/crates\.io has no wasmtime 24\.0\.99 \(releases of that major: 24\.0\.0, .*24\.0\.13\)/);
    expect(existsSync(join(onDemandRuntimesDir(), 'wasmtime-24.0.99'))).toBe(false);
    const next = await cli(['runtimes', 'add', '99.0.0']);
    expect(next.code).toBe(2);
    expect(next.stderr).toMatch(/crates\.io has no wasmtime 99\.0\.0 \(the newest is \d+\.\d+\.\d+\)/);
    const old = await cli(['runtimes', 'add', '23.0.2']);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('Wasmtime 23.0.2 is older than 24.0.0, the oldest the addon supports');
  }, 900_000);

  // Cold, this builds a whole Wasmtime (several minutes on two cores). CI may skip it
  // only when the addon is not in the cache; pre-build it there with the command below.
  const addon = join(onDemandRuntimesDir(), `wasmtime-${ON_DEMAND_VERSION}`, 'wasm-matrix-runtime.node');
  const skipReason = process.env.CI && !existsSync(addon)
    ? `wasmtime-${ON_DEMAND_VERSION} is not built in the cache (${addon}); pre-build it with: node dist/harness/cli/main.js runtimes add ${ON_DEMAND_VERSION}`
    : undefined;

  it(`adds ${ON_DEMAND_VERSION} unpinned (cache workspace, own Cargo.lock, = pins), builds it and runs cells on it`, async (ctx) => {
    if (skipReason || registry) {
      console.warn(`skipped: ${skipReason ?? `crates.io is not reachable through cargo here (${registry})`}`);
      ctx.skip();
    }
    const add = await cli(['runtimes', 'add', ON_DEMAND_VERSION, '--json'], { timeout: 3_600_000 });
    expect(add.code, add.stderr).toBe(0);
    const json = JSON.parse(add.stdout) as { runtime: { id: string; wasmtime: string; workspace: string; pinned: boolean; rust: string }; build: { status: string; toolchain: string } };
    expect(json.runtime).toMatchObject({ id: `wasmtime-${ON_DEMAND_VERSION}`, wasmtime: ON_DEMAND_VERSION, pinned: false, rust: '1.91.0' });
    expect(json.runtime.workspace).toBe(join(onDemandRuntimesDir(), `wasmtime-${ON_DEMAND_VERSION}`));
    expect(json.build.status).toBe('built');

    // Its own workspace: = pins, the derived features, its own lock naming exactly that version.
    const toml = readFileSync(join(json.runtime.workspace, 'Cargo.toml'), 'utf8');
    expect(toml).toContain(`wasmtime = { version = "=${ON_DEMAND_VERSION}"`);
    expect(toml).toContain(`wasmtime-wasi = "=${ON_DEMAND_VERSION}"`);
    expect(toml).toContain('default = ["api-since-26", "api-since-30", "api-since-32", "api-since-33", "api-since-36", "api-since-37"]');
    expect(readFileSync(join(json.runtime.workspace, 'Cargo.lock'), 'utf8')).toMatch(new RegExp(`name = "wasmtime"\\nversion = "${ON_DEMAND_VERSION.replace(/\./g, '\\.')}"`));
    // Not part of the pinned set (the default matrix), and the manifest is untouched.
    expect(loadRuntimes().map((r) => r.id)).not.toContain(json.runtime.id);

    // Its own worker reports the version it linked; a matrix run on it passes.
    const list = await cli(['runtimes', '--json']);
    const entry = (JSON.parse(list.stdout) as { runtimes: { id: string; inManifest: boolean; wasmtimeVersion?: string }[] }).runtimes.find((r) => r.id === json.runtime.id);
    expect(entry).toMatchObject({ inManifest: false, wasmtimeVersion: ON_DEMAND_VERSION });
    const run = await cli(['run', '--suite', 'core', '--suite', 'memory64', '--flavor', 'wat', '--runtime', json.runtime.id, '--out', join(json.runtime.workspace, 'test-report'), '--json'], { timeout: 600_000 });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(json.runtime.workspace, 'test-report', 'report.json'), 'utf8')) as { cells: { runtime: string; status: string; suite: string }[] };
    // (core cases the WAT guest does not implement are skipped, as on every runtime)
    const cells = report.cells.filter((c) => c.runtime === json.runtime.id && c.status !== 'skipped');
    expect(cells.length).toBeGreaterThan(20);
    expect(cells.every((c) => ['pass', 'trap', 'timeout', 'guest-error'].includes(c.status))).toBe(true);
    // memory64 is on by default from 30, so 42 runs it.
    expect(cells.filter((c) => c.suite === 'memory64').length).toBe(7);

    // A second add reuses the workspace: nothing created, cargo finds the addon up to date.
    const again = await cli(['runtimes', 'add', ON_DEMAND_VERSION, '--json'], { timeout: 600_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, build: { status: 'built', changed: false } });
  }, 3_600_000);
});
