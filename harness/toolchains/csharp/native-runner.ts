// Runs a csharp-native artifact on desktop Mono: a batch of dispatcher calls
// through one `mono` process (the line protocol of NativeRunner.cs), or one
// command run. Like wasm guests, it gets no host environment beyond what the
// case gives.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { z } from 'zod';
import { onPath } from './which.js';

/** One dispatcher call on desktop Mono. */
export type NativeCallResult =
  | { status: 'ok'; output: Uint8Array }
  | { status: 'guest-error'; message: string }
  | { status: 'crash' | 'hang'; message: string };

/** A dispatcher call for the native runner. */
export interface NativeCall {
  case: string;
  input: Uint8Array;
}

/** One reply line of NativeRunner.cs. */
const Reply = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), outputHex: z.string().regex(/^([0-9a-f]{2})*$/) }),
  z.object({ status: z.literal('guest-error'), message: z.string() }),
  z.object({ status: z.literal('protocol-error'), message: z.string() }),
]);

const STDERR_TAIL = 4000;

function monoExecutable(): string {
  const mono = onPath('mono');
  if (!mono) throw new Error('mono is not on PATH (install Debian mono-devel)');
  return mono;
}

/** Only the given variables: mono runs with an empty environment (it is
 * started by absolute path), so the guest sees what a wasm guest would. */
export function monoEnv(given: Record<string, string> = {}): Record<string, string> {
  return { ...given };
}

function toResult(line: string): NativeCallResult {
  let parsed: z.infer<typeof Reply>;
  try {
    parsed = Reply.parse(JSON.parse(line));
  } catch (e) {
    return { status: 'crash', message: `the runner sent a malformed reply (${(e as Error).message}): ${line.slice(0, 200)}` };
  }
  if (parsed.status === 'ok') return { status: 'ok', output: new Uint8Array(Buffer.from(parsed.outputHex, 'hex')) };
  if (parsed.status === 'guest-error') return { status: 'guest-error', message: parsed.message };
  return { status: 'crash', message: `the runner refused the request: ${parsed.message}` };
}

/**
 * Sends the calls one at a time to one `mono` process; each call has `timeoutMs` to answer.
 * A hang kills the process; calls not answered then are `hang` (or `crash` if it died).
 */
export async function runNativeDispatcher(exePath: string, calls: NativeCall[], opts: { timeoutMs: number }): Promise<NativeCallResult[]> {
  if (calls.length === 0) return [];
  const child = spawn(monoExecutable(), [exePath], { env: monoEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  child.stdin.on('error', () => {}); // EPIPE when the process died; reported through its exit instead
  const exited = new Promise<string>((resolve) => {
    child.on('error', (e) => resolve(`mono could not be started: ${e.message}`));
    child.on('close', (code, signal) => resolve(signal ? `mono was killed by ${signal}` : `mono exited with code ${code}`));
  });
  const replies = createInterface({ input: child.stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();

  const results: NativeCallResult[] = [];
  let unanswered: NativeCallResult | undefined;
  for (const call of calls) {
    if (unanswered) {
      results.push(unanswered);
      continue;
    }
    child.stdin.write(`${JSON.stringify({ case: call.case, inputHex: Buffer.from(call.input).toString('hex') })}\n`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), opts.timeoutMs)));
    const next = await Promise.race([replies.next(), timedOut]);
    clearTimeout(timer);
    if (next === 'timeout') {
      child.kill('SIGKILL');
      results.push({ status: 'hang', message: `no reply for case "${call.case}" within ${opts.timeoutMs} ms; the runner was killed` });
      unanswered = { status: 'hang', message: `not run: the runner was killed after case "${call.case}" hung` };
    } else if (next.done) {
      const how = await exited;
      const message = `${how} before answering case "${call.case}"${stderr ? `; stderr: ${stderr.trim()}` : ''}`;
      results.push({ status: 'crash', message });
      unanswered = { status: 'crash', message: `not run: ${message}` };
    } else {
      results.push(toResult(next.value));
    }
  }
  child.stdin.end();
  // A healthy runner exits when stdin closes; one that does not is not waited for.
  const closeTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(closeTimer);
  return results;
}

/** A command run on desktop Mono: args, env, stdin, folders, timeout. */
export interface NativeCommandOptions {
  args: string[];
  env: Record<string, string>;
  stdin?: Uint8Array;
  cwd?: string;
  timeoutMs: number;
  /** stdout and stderr are each captured up to this many bytes. */
  outputCapBytes?: number;
}

/** A command run on desktop Mono: exit code and output, or a hang or crash. */
export type NativeCommandResult = { exitCode: number; stdout: Uint8Array; stderr: Uint8Array } | { status: 'hang' | 'crash'; message: string };

/** Runs a command suite's GuestProgram.Main through `runner --command <args>`. */
export async function runNativeCommand(exePath: string, opts: NativeCommandOptions): Promise<NativeCommandResult> {
  const result = await execa(monoExecutable(), [exePath, '--command', ...opts.args], {
    env: monoEnv(opts.env),
    extendEnv: false,
    cwd: opts.cwd,
    input: opts.stdin ?? new Uint8Array(0),
    encoding: 'buffer',
    stripFinalNewline: false,
    timeout: opts.timeoutMs,
    maxBuffer: opts.outputCapBytes ?? 1 << 20,
    reject: false,
  });
  if (result.timedOut) return { status: 'hang', message: `the command did not finish within ${opts.timeoutMs} ms; it was killed` };
  if (result.isMaxBuffer) return { status: 'crash', message: `the command wrote more than ${opts.outputCapBytes ?? 1 << 20} bytes to stdout or stderr` };
  if (result.exitCode === undefined) {
    return { status: 'crash', message: result.signal ? `mono was killed by ${result.signal}` : (result.shortMessage ?? 'mono failed to run') };
  }
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}
