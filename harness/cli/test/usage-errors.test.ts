// Issue 10's usage-error probes: each is exit 2 with one line naming the
// thing (no stack trace), and none hangs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixtures, type Fixtures } from '../../workers/test/fixtures.js';
import { cli } from './cli.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const env = () => ({ ...(process.env as Record<string, string>), WASM_MATRIX_CACHE_DIR: tmp('wasm-matrix-cache-') });
let fx: Fixtures;
beforeAll(() => {
  fx = buildFixtures();
});

/** Exit 2 and exactly one `wasm-matrix:` line on stderr, holding `names`; no stack trace. */
async function expectUsage(args: string[], names: string): Promise<void> {
  const r = await cli(args, { env: env(), timeout: 600_000 });
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^wasm-matrix: /);
  expect(lines[0]).toContain(names);
}

describe('paths that cannot be used', () => {
  it('run --out on a file', () => expectUsage(['run', '--suite', 'core', '--out', '/etc/passwd'], '/etc/passwd'));
  it('pack into a folder that is a file', () => expectUsage(['pack', '/etc/passwd/x.tgz'], '/etc/passwd is a file, not a folder'));
  it('pack into /proc (Node\'s recursive mkdir would spin there)', () => expectUsage(['pack', '/proc/nope/x.tgz'], '/proc/nope'));
  it('cache verify --cache on a file', () => expectUsage(['cache', 'verify', '--cache', '/etc/passwd'], 'cache folder /etc/passwd is a file'));
  it('unpack of a folder', () => expectUsage(['unpack', tmpdir()], tmpdir()));
});

describe('exec arguments', () => {
  const exec = (...rest: string[]) => ['exec', '--runtime', 'wasmtime-48', fx.abi, ...rest];
  it('--timeout-ms 0', () => expectUsage(exec('--export', 'add_i64', '--args', 'i64:1,i64:2', '--timeout-ms', '0'), '--timeout-ms: "0"'));
  it('--timeout-ms past the maximum (Node timers overflow at 2^31-1 ms)', () => expectUsage(exec('--export', 'add_i64', '--args', 'i64:1,i64:2', '--timeout-ms', '2147483647'), 'from 1 to 86400000'));
  it('--args i32:abc', () => expectUsage(exec('--export', 'add_i64', '--args', 'i32:abc'), '"abc" is not an integer'));
  it('--args with an overflowing i32', () => expectUsage(exec('--export', 'add_i64', '--args', 'i32:4294967296'), 'does not fit in i32'));
  it('--fuel 1.5', () => expectUsage(exec('--export', 'add_i64', '--args', 'i64:1,i64:2', '--fuel', '1.5'), '--fuel: "1.5"'));
  it('--memory-limit 0', () => expectUsage(exec('--export', 'add_i64', '--args', 'i64:1,i64:2', '--memory-limit', '0'), '--memory-limit: "0"'));
  it('a directory as the module', () => expectUsage(['exec', '--runtime', 'wasmtime-48', fx.dir, '--export', 'x'], `module ${fx.dir} is not a file`));

  // The module is loaded in the worker: the outcome is printed as JSON, exit 2.
  it('a wrong arity', async () => {
    const r = await cli(exec('--export', 'add_i64', '--args', 'i64:1'), { env: env() });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', phase: 'args', error: expect.stringContaining('`add_i64` takes 2 arguments') });
  });
  it('a file without the wasm magic that is not text either', async () => {
    const junk = join(tmp('wasm-matrix-junk-'), 'junk.wasm');
    writeFileSync(junk, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]));
    const r = await cli(['exec', '--runtime', 'wasmtime-48', junk, '--export', 'x'], { env: env() });
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json.phase).toBe('load');
    expect(json.error).toBe(`${junk}: not a wasm module (the magic bytes \\0asm are missing) and not WAT text (not UTF-8)`);
  });
});
