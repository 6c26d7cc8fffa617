// `cutover` and `cache` as processes: bad usage exits 2 with a clear error;
// short 36 -> 48 and 48 -> 50 rehearsals exit 0 with the go verdict in its JSON.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CutoverSection } from '../schema.js';
import { cutoverCli, tmp } from './helpers.js';

describe('wasm-matrix cutover / cache (CLI)', () => {
  it('exits 2 on the same runtime twice, unknown ids (listing the valid ones) and a cache folder that cannot be written', async () => {
    const same = await cutoverCli(['cutover', '--from', 'wasmtime-48', '--to', 'wasmtime-48']);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('--from and --to are both "wasmtime-48": a cut-over needs two different runtimes');

    const unknown = await cutoverCli(['cutover', '--from', 'wasmtime-36', '--to', 'wasmtime-99']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown runtime "wasmtime-99"; valid runtimes: wasmtime-24, wasmtime-36, wasmtime-48, wasmtime-50');

    const file = join(tmp('wasm-matrix-notadir-'), 'file');
    writeFileSync(file, 'not a folder');
    const unwritable = await cutoverCli(['cutover', '--from', 'wasmtime-36', '--to', 'wasmtime-48', '--cache', join(file, 'cwasm')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(new RegExp(`cache folder ${join(file, 'cwasm')} cannot be written: .*ENOTDIR`));

    const missingTo = await cutoverCli(['cutover', '--from', 'wasmtime-36']);
    expect(missingTo.code).toBe(2);
    expect(missingTo.stderr).toContain("required option '--to <id>' not specified");

    const suite = await cutoverCli(['cutover', '--from', 'wasmtime-36', '--to', 'wasmtime-48', '--suite', 'nope']);
    expect(suite.code).toBe(2);
    expect(suite.stderr).toContain('unknown suite "nope"');

    const commandOnly = await cutoverCli(['cutover', '--from', 'wasmtime-36', '--to', 'wasmtime-48', '--suite', 'wasi']);
    expect(commandOnly.code).toBe(2);
    expect(commandOnly.stderr).toContain('no dispatcher suite among wasi');

    const duration = await cutoverCli(['cutover', '--from', 'wasmtime-36', '--to', 'wasmtime-48', '--duration-s', '-3']);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain('--duration-s: "-3" is not a number of seconds above 0');

    const fill = await cutoverCli(['cache', 'fill', '--runtime', 'wasmtime-7']);
    expect(fill.code).toBe(2);
    expect(fill.stderr).toContain('unknown runtime "wasmtime-7"; valid runtimes: wasmtime-24, wasmtime-36, wasmtime-48, wasmtime-50');
    const fillCache = await cutoverCli(['cache', 'fill', '--runtime', 'wasmtime-48', '--cache', join(file, 'x')]);
    expect(fillCache.code).toBe(2);
    expect(fillCache.stderr).toContain('cannot be written');
  });

  it.each([
    ['wasmtime-36', 'wasmtime-48'],
    ['wasmtime-48', 'wasmtime-50'],
  ])('%s -> %s exits 0 with a go, writing the report files', async (from, to) => {
    const out = tmp('wasm-matrix-cutover-cli-');
    const cache = tmp('wasm-matrix-cwasm-');
    const r = await cutoverCli(['cutover', '--from', from, '--to', to, '--suite', 'core', '--flavor', 'wat', '--duration-s', '1', '--cache', cache, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { exitCode: number; out: string } & Record<string, unknown>;
    expect(json.exitCode).toBe(0);
    const { exitCode: _e, out: _o, ...section } = json;
    const c = CutoverSection.parse(section);
    expect(c.verdict).toBe('go');
    expect(c.stream.lost).toBe(0);
    for (const f of ['report.json', 'report.md', 'junit.xml', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
  });
});
