// run --external on bad component input, next to good programs: a truncated
// component, a core module whose header claims to be a component, a component
// carrying a malformed WIT (`component-type:*`) custom section; and the same
// malformed section in a core module handed to the component encoder. Each is
// a clear status or error naming the file; the good programs' cells stay.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { readReport } from '../../report/writer.js';
import { componentize } from '../../toolchains/clang-p2.js';
import { run, tmp } from './helpers.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const runtimes = loadRuntimes();

/** `bytes` with a custom section `name` appended (custom sections may come anywhere). */
function withCustomSection(bytes: Uint8Array, name: string, payload: Uint8Array): Buffer {
  const n = Buffer.from(name);
  const body = Buffer.concat([Buffer.from([n.length]), n, Buffer.from(payload)]);
  if (body.length > 127) throw new Error('one-byte LEB128 size only');
  return Buffer.concat([Buffer.from(bytes), Buffer.from([0, body.length]), body]);
}
/** Not a WIT package encoding at all. */
const GARBAGE = Uint8Array.from([0xff, 0x00, 0x13, 0x37]);

describe('run --external with bad components among good programs', () => {
  const dir = tmp('wasm-matrix-external-bad-');
  const out = tmp('wasm-matrix-external-bad-out-');
  let core: string;

  beforeAll(async () => {
    const built = tmp('wasm-matrix-external-bad-build-');
    core = join(built, 'echo.wasm');
    execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-Wall', '-o', core, join(fixtures, 'echo.c')], { stdio: 'pipe' });
    const component = join(built, 'echo-component.wasm');
    await componentize(core, component, false, () => {});
    const spec = { args: ['one'], stdout: 'arg:one\nenv:(unset)\nhome:unset\n', stderr: 'to stderr\n' };
    const put = (name: string, bytes: Uint8Array) => {
      writeFileSync(join(dir, `${name}.wasm`), bytes);
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(spec));
    };
    put('good-component', readFileSync(component));
    put('good-core', readFileSync(core));
    const whole = readFileSync(component);
    put('half-component', whole.subarray(0, whole.length >> 1));
    const claiming = Buffer.from(readFileSync(core));
    claiming[4] = 0x0d;
    claiming[6] = 1; // layer 1: a component header over a core module body
    put('claims-component', claiming);
    put('bad-wit-component', withCustomSection(whole, 'component-type:guest', GARBAGE));
  });

  it('names the file of each bad one, runs the component whose WIT custom section is malformed, and keeps the good cells', async () => {
    const r = await run(['--external', dir, '--out', out]);
    // The two unreadable files fail the run (exit 1); nothing else is lost.
    expect(r.code, r.stderr).toBe(1);
    const report = readReport(join(out, 'report.json'));
    const cells = (name: string) => report.cells.filter((c) => c.case === name);
    for (const name of ['good-component', 'good-core', 'half-component', 'claims-component', 'bad-wit-component']) expect(cells(name), name).toHaveLength(runtimes.length);
    for (const name of ['good-component', 'good-core']) expect([...new Set(cells(name).map((c) => c.status))], name).toEqual(['pass']);
    for (const name of ['half-component', 'claims-component']) {
      for (const c of cells(name)) {
        expect(c.status, `${name} on ${c.runtime}`).toBe('mismatch');
        expect(c.reason, `${name} on ${c.runtime}`).toContain(`${name}.wasm`);
      }
    }
    // A component's types are its type section; a `component-type:*` custom section
    // there is metadata no runtime reads, so the program runs as its world says.
    expect([...new Set(cells('bad-wit-component').map((c) => c.status))]).toEqual(['pass']);
    expect(cells('bad-wit-component').map((c) => c.actual)).toEqual(cells('good-component').map((c) => c.actual));
  });

  it('a core module with a malformed WIT section is refused by the component encoder, naming the section', async () => {
    const bad = join(tmp('wasm-matrix-bad-wit-'), 'core.wasm');
    writeFileSync(bad, withCustomSection(readFileSync(core), 'component-type:guest', GARBAGE));
    await expect(componentize(bad, join(tmp('wasm-matrix-bad-wit-out-'), 'c.wasm'), false, () => {})).rejects.toThrow(/component-type:guest/);
  });
});
