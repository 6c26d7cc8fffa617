// `exec`: one module, one runtime, one call, printed as JSON.
import { readFileSync, statSync } from 'node:fs';
import { MAX_TIMEOUT_MS } from '../../config/limits.js';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { runtimeById } from '../../config/runtimes.js';
import { UsageError } from '../../errors.js';
import { execOn, type ExecResult } from '../../workers/exec.js';
import { WorkerPool } from '../../workers/pool.js';
import type { Call, ExecRequest, WasmValue } from '../../workers/protocol.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../exit.js';
import { printJson } from '../output.js';

interface ExecOptions {
  runtime: string;
  invoke?: string;
  inputUtf8?: string;
  inputHex?: string;
  export?: string;
  args?: string;
  env: string[];
  dir: string[];
  stdin?: string;
  timeoutMs?: string;
  fuel?: string;
  wasi: boolean;
  memoryLimit?: string;
  lifecycle?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const INT_RANGE = { i32: [-(2n ** 31n), 2n ** 32n - 1n], i64: [-(2n ** 63n), 2n ** 64n - 1n] } as const;
const FLOAT = /^[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|inf|infinity|nan)$/i;

/** `i32:1,f64:0.5`; each value checked against its type (i32/i64 signed or unsigned, as wasm wraps). */
export function parseScalarArgs(text: string): WasmValue[] {
  if (text.trim() === '') return [];
  return text.split(',').map((item) => {
    const m = /^(i32|i64|f32|f64):(.+)$/.exec(item.trim());
    if (!m) throw new UsageError(`--args: "${item}" is not TYPE:VALUE with TYPE one of i32, i64, f32, f64`);
    const type = m[1] as 'i32' | 'i64' | 'f32' | 'f64';
    const value = m[2]!;
    if (type === 'i32' || type === 'i64') {
      const [lo, hi] = INT_RANGE[type];
      if (!/^[+-]?\d+$/.test(value)) throw new UsageError(`--args: "${item}": "${value}" is not an integer`);
      const n = BigInt(value);
      if (n < lo || n > hi) throw new UsageError(`--args: "${item}": ${value} does not fit in ${type} (${lo} to ${hi})`);
    } else if (!FLOAT.test(value)) {
      throw new UsageError(`--args: "${item}": "${value}" is not a number (decimal, inf, -inf or nan)`);
    }
    return { type, value };
  });
}

/** A flag's whole number, at least `min`; anything else (`1.5`, `abc`, below `min`) is bad usage. */
function wholeNumber(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag}: "${text}" is not a whole number from ${min} to ${max}`);
  }
  return n;
}

function buildCall(opts: ExecOptions, commandArgs: string[]): Call {
  if (opts.invoke && opts.export) throw new UsageError('give either --invoke or --export, not both');
  if (opts.invoke) {
    if (opts.inputUtf8 !== undefined && opts.inputHex !== undefined) throw new UsageError('give either --input-utf8 or --input-hex');
    if (opts.inputHex !== undefined && !/^([0-9a-fA-F]{2})*$/.test(opts.inputHex)) throw new UsageError('--input-hex: not an even number of hex digits');
    const input = opts.inputHex !== undefined ? Buffer.from(opts.inputHex, 'hex') : Buffer.from(opts.inputUtf8 ?? '', 'utf8');
    return { style: 'invoke', name: opts.invoke, input: new Uint8Array(input) };
  }
  if (opts.export) return { style: 'export', name: opts.export, args: parseScalarArgs(opts.args ?? '') };
  if (opts.args) throw new UsageError('--args goes with --export');
  void commandArgs;
  return { style: 'command' };
}

/** An exec result as the JSON `exec` prints. */
export function describeResult(result: ExecResult, runtimeId: string, wasmtimeVersion: string): Record<string, unknown> {
  const json: Record<string, unknown> = { status: result.status, runtime: runtimeId, wasmtimeVersion };
  if ('exitCode' in result && result.exitCode !== undefined) json.exitCode = result.exitCode;
  if ('stdout' in result || 'exitCode' in result) {
    json.stdout = 'stdout' in result && result.stdout ? Buffer.from(result.stdout).toString('utf8') : '';
    json.stderr = 'stderr' in result && result.stderr ? Buffer.from(result.stderr).toString('utf8') : '';
  }
  if ('stdoutTruncated' in result && result.stdoutTruncated) json.stdoutTruncated = true;
  if ('stderrTruncated' in result && result.stderrTruncated) json.stderrTruncated = true;
  if ('values' in result && result.values) json.values = result.values;
  if ('output' in result && result.output) {
    const bytes = Buffer.from(result.output);
    json.output = bytes.toString('utf8');
    json.outputHex = bytes.toString('hex');
  }
  if ('trap' in result && result.trap) json.trap = result.trap;
  if (result.status === 'guest-error') json.error = result.message;
  else if (result.message) json.error = result.message;
  if ('phase' in result && result.phase) json.phase = result.phase;
  if ('timings' in result) json.timings = result.timings;
  json.pid = result.pid;
  return json;
}

/** The `exec` command. */
export function registerExecCommand(program: Command): void {
  program
    .command('exec')
    .description('run one module (.wasm or .wat) on one runtime and print the outcome as JSON')
    .argument('<module>', 'a .wasm or .wat file')
    .argument('[args...]', 'after --: arguments of a command run (_start)')
    .requiredOption('--runtime <id>', 'runtime id, e.g. wasmtime-48')
    .option('--invoke <name>', 'dispatcher call (guest ABI v1) of this case name')
    .option('--input-utf8 <text>', 'dispatcher input as UTF-8 text')
    .option('--input-hex <hex>', 'dispatcher input as hex bytes')
    .option('--export <name>', 'raw call of this export')
    .option('--args <list>', 'raw call arguments, e.g. i32:1,i64:2,f64:0.5')
    .option('--env <K=V>', 'guest environment variable (repeatable)', collect, [])
    .option('--dir <HOST[::GUEST]>', 'preopen a host directory (repeatable)', collect, [])
    .option('--stdin <file>', 'bytes for the guest stdin')
    .option('--timeout-ms <n>', `guest deadline in ms, 1 to ${MAX_TIMEOUT_MS} (epoch interruption; bounds WASI sleeps too)`)
    .option('--fuel <n>', 'fuel for the call, a whole number (enables fuel metering)')
    .option('--memory-limit <bytes>', 'cap on linear memory, at least 1 byte')
    .option('--lifecycle <kind>', 'reactor (default: _initialize if exported), command-first (run _start once first), none')
    .option('--no-wasi', 'link no WASI imports')
    .action(async (modulePath: string, commandArgs: string[], opts: ExecOptions) => {
      const runtime = runtimeById(opts.runtime);
      const call = buildCall(opts, commandArgs);
      const timeoutMs = wholeNumber('--timeout-ms', opts.timeoutMs, 1, MAX_TIMEOUT_MS);
      const fuel = wholeNumber('--fuel', opts.fuel, 0);
      const memoryLimit = wholeNumber('--memory-limit', opts.memoryLimit, 1);
      const modulePathAbs = resolve(modulePath);
      let moduleStat;
      try {
        moduleStat = statSync(modulePathAbs);
      } catch (e) {
        throw new UsageError(`module ${modulePathAbs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      if (!moduleStat.isFile()) throw new UsageError(`module ${modulePathAbs} is not a file`);
      for (const entry of opts.env) if (!/^[^=]+=/.test(entry)) throw new UsageError(`--env: "${entry}" is not K=V`);
      const preopens = opts.dir.map((spec) => {
        const [host, guest] = spec.split('::');
        return { host: resolve(host!), guest: guest ?? host! };
      });
      let stdin: Uint8Array | undefined;
      if (opts.stdin) {
        try {
          stdin = new Uint8Array(readFileSync(opts.stdin));
        } catch (e) {
          throw new UsageError(`--stdin: ${(e as Error).message}`);
        }
      }
      const lifecycle = opts.lifecycle ?? (call.style === 'command' ? 'none' : 'reactor');
      if (!['reactor', 'command-first', 'none'].includes(lifecycle)) throw new UsageError(`--lifecycle: unknown "${lifecycle}"`);
      const request: ExecRequest = {
        type: 'exec',
        engine: { ...(fuel !== undefined ? { fuel: true } : {}), ...(memoryLimit ? { memoryLimitBytes: memoryLimit } : {}) },
        module: { kind: 'file', path: modulePathAbs },
        instance: {
          wasi: opts.wasi,
          args: [basename(modulePath), ...commandArgs],
          env: opts.env,
          preopens,
          ...(stdin ? { stdin } : {}),
        },
        lifecycle: lifecycle as 'reactor',
        call,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(fuel !== undefined ? { fuel } : {}),
      };
      const pool = new WorkerPool([runtime]);
      try {
        const worker = pool.worker(runtime.id);
        const info = await worker.describe();
        const result = await execOn(worker, request);
        printJson(describeResult(result, runtime.id, info.wasmtimeVersion));
        const badInput = result.status === 'error' && 'phase' in result && (result.phase === 'load' || result.phase === 'instantiate' || result.phase === 'args');
        process.exitCode = result.status === 'ok' ? EXIT_OK : badInput ? EXIT_USAGE : EXIT_FAILED;
      } finally {
        await pool.close();
      }
    });
}
