// The supervisor's handle on one worker process. Requests are queued and sent
// one at a time, each under a wall-clock watchdog. A worker that exits while
// serving a request ends that request as `crash`; one that misses its
// watchdog is killed and the request ends as `hang`. Either way the next
// request starts a fresh process, so a run goes on. What the guest printed
// before the failure comes back with it: the worker writes its output through
// to files in a folder this handle owns (output-spill.ts).
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import type { Runtime } from '../config/runtimes.js';
import { NotBuiltError } from '../errors.js';
import { formatZodIssues } from '../config/load.js';
import { workerEntry } from '../paths.js';
import { type CapturedStreams, DEFAULT_OUTPUT_CAP_BYTES, Reply, type Request, type Response, type RuntimeInfo } from './protocol.js';
import { clearSpill, makeSpillDir, OUTPUT_SPILL_ENV, readSpill } from './output-spill.js';

/** A worker's answer to one request: the response, or how the worker failed (crash, hang). */
export type Answer =
  | { ok: true; response: Response; pid: number }
  | { ok: false; failure: 'crash' | 'hang'; message: string; pid: number; output?: CapturedStreams };

interface Pending {
  id: number;
  resolve: (answer: Answer) => void;
  timer: NodeJS.Timeout;
  /** The request's output cap, applied to what a failed request's guest spilled. */
  outputCapBytes: number;
}

const STDERR_TAIL = 4000;
/** The watchdog of a request when none is given. */
export const DEFAULT_WATCHDOG_MS = 120_000;

/** How a worker process is started, when not plainly (bench --measure instructions runs it under valgrind). */
export interface WorkerLaunch {
  /** A program that runs Node itself: `command ...args <node> <worker entry>`. */
  wrapper?: { command: string; args: string[] };
  /** Watchdog of the start-up (the `load` request); 60 s unless given. */
  startWatchdogMs?: number;
  /** How long `close` waits for the process to exit before killing it; 2 s unless given. */
  closeGraceMs?: number;
}

/** The supervisor's handle on one worker process of one runtime. */
export class RuntimeWorker {
  private child: ChildProcess | undefined;
  private info: RuntimeInfo | undefined;
  private pending: Pending | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private stderrTail = '';
  private spillDir: string | undefined;
  /** Processes started so far; a replaced worker counts again. */
  spawned = 0;

  constructor(
    readonly runtime: Runtime,
    private readonly launch: WorkerLaunch = {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The folder this worker's guests write their output through to (made when the first process starts). */
  get outputSpillDir(): string | undefined {
    return this.spillDir;
  }

  /** Sends one request, starting a worker first if none is alive. */
  request(request: Request, watchdogMs = DEFAULT_WATCHDOG_MS): Promise<Answer> {
    const run = this.queue.then(async () => {
      await this.ensureStarted();
      return this.send(request, watchdogMs);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The runtime's identity as its own worker process reports it. */
  describe(): Promise<RuntimeInfo> {
    const run = this.queue.then(() => this.ensureStarted()).then(() => this.info!);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async ensureStarted(): Promise<void> {
    if (this.child && this.info) return;
    const entry = workerEntry();
    if (!existsSync(entry)) throw new NotBuiltError(`the worker is not compiled (${entry} is missing); run: npm run build`);
    const wrapper = this.launch.wrapper;
    this.spillDir ??= makeSpillDir();
    const child = fork(entry, [], {
      env: { ...process.env, [OUTPUT_SPILL_ENV]: this.spillDir },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // A wrapper is started in Node's place and given Node's path first (fork runs `execPath ...execArgv entry`).
      ...(wrapper ? { execPath: wrapper.command, execArgv: [...wrapper.args, process.execPath] } : { execArgv: [] }),
    });
    this.spawned++;
    this.child = child;
    this.stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.on('message', (raw) => this.onMessage(child, raw));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    const answer = await this.send({ type: 'load', runtimeId: this.runtime.id }, this.launch.startWatchdogMs ?? 60_000);
    if (!answer.ok) throw new Error(`the ${this.runtime.id} worker failed to start (${answer.failure}): ${answer.message}`);
    if (answer.response.type !== 'info') {
      this.kill();
      const message = answer.response.type === 'refused' ? answer.response.message : 'unexpected reply to load';
      throw new NotBuiltError(message);
    }
    this.info = answer.response.info;
  }

  private send(request: Request, watchdogMs: number): Promise<Answer> {
    const child = this.child;
    const pid = child?.pid ?? -1;
    if (!child) return Promise.resolve({ ok: false, failure: 'crash', message: 'no worker process', pid });
    if (this.spillDir) clearSpill(this.spillDir);
    const outputCapBytes = ('instance' in request ? request.instance?.outputCapBytes : undefined) ?? DEFAULT_OUTPUT_CAP_BYTES;
    return new Promise<Answer>((resolve) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.settle({ ok: false, failure: 'hang', message: `no answer within ${watchdogMs} ms; worker ${pid} killed`, pid });
        this.kill();
      }, watchdogMs);
      this.pending = { id, resolve, timer, outputCapBytes };
      child.send({ id, request }, (error) => {
        if (error) this.settle({ ok: false, failure: 'crash', message: `cannot send to worker ${pid}: ${error.message}`, pid });
      });
    });
  }

  private settle(answer: Answer): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    // A failed request keeps what its guest printed; the worker's memory is gone or going.
    const output = !answer.ok && this.spillDir ? readSpill(this.spillDir, pending.outputCapBytes) : undefined;
    pending.resolve(!answer.ok && output ? { ...answer, output } : answer);
  }

  private onMessage(child: ChildProcess, raw: unknown): void {
    if (child !== this.child) return;
    const reply = Reply.safeParse(raw);
    const pid = child.pid ?? -1;
    if (!reply.success) {
      this.settle({ ok: false, failure: 'crash', message: `worker ${pid} sent a malformed reply: ${formatZodIssues(reply.error)}`, pid });
      this.kill();
      return;
    }
    if (this.pending?.id !== reply.data.id) return;
    this.settle({ ok: true, response: reply.data.response, pid });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    const pid = child.pid ?? -1;
    this.child = undefined;
    this.info = undefined;
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    const tail = this.stderrTail.trim();
    this.settle({ ok: false, failure: 'crash', message: `worker ${pid} ${how}${tail ? `: ${tail.slice(-800)}` : ''}`, pid });
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    this.info = undefined;
    child?.kill('SIGKILL');
  }

  /** Ends the worker process (pending requests end as `crash`) and removes its spill folder. */
  async close(): Promise<void> {
    const child = this.child;
    if (child) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect?.();
      const timer = setTimeout(() => child.kill('SIGKILL'), this.launch.closeGraceMs ?? 2000);
      await exited;
      clearTimeout(timer);
    }
    if (this.spillDir) rmSync(this.spillDir, { recursive: true, force: true });
    this.spillDir = undefined;
  }
}
