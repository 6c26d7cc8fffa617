// Timing inside the worker (never across IPC): one fresh compile, precompile,
// deserialize, instantiate and first call, then tinybench over steady-state
// calls. Calls shorter than the timer's resolution are batched, and each
// sample is the batch mean.
import { Bench, hrtimeNow } from 'tinybench';
import type { z } from 'zod';
import { type AddonInstance, type AddonOutcome, AddonStatus, AddonTrapKind } from './addon.js';
import type { BenchRequest, BenchResult } from './protocol.js';
import { bringUp, callOnce, PhaseError, type WorkerHost } from './worker-host.js';
import { deserializeAny, precompileAny } from './code.js';

type Request = z.output<typeof BenchRequest>;
const now = (): bigint => process.hrtime.bigint();
const since = (start: bigint): number => Number(process.hrtime.bigint() - start);

/** A batch should last at least this long, so timer overhead stays under ~1%. */
const MIN_BATCH_NS = 50_000;

function failed(pid: number, status: BenchResult['status'], message?: string, trap?: string): BenchResult {
  return {
    status,
    pid,
    compileNs: 0,
    precompileNs: 0,
    deserializeNs: 0,
    instantiateNs: 0,
    firstCallNs: 0,
    perCallNs: [],
    ...(message ? { message } : {}),
    ...(trap ? { trap } : {}),
  };
}

/** Answers a bench request: every phase timed inside this process. */
export function benchCall(host: WorkerHost, request: Request): BenchResult {
  const pid = process.pid;
  try {
    return measure(host, request, pid);
  } catch (e) {
    if (e instanceof PhaseError) return failed(pid, 'error', `${e.phase}: ${e.message}`);
    throw e;
  }
}

function measure(host: WorkerHost, request: Request, pid: number): BenchResult {
  const engine = host.engine(request.engine);
  const loaded = host.load(request.engine, request.module, false);
  const compileNs = loaded.loadNs;

  let precompileNs = 0;
  let deserializeNs = 0;
  if (request.module.kind === 'file') {
    const bytes = loaded.bytes!; // read by the uncached load above
    let start = now();
    const { cwasm, kind } = precompileAny(engine, bytes);
    precompileNs = since(start);
    const record = { ...engine.integrityRecord(cwasm), kind };
    start = now();
    deserializeAny(engine, cwasm, record);
    deserializeNs = since(start);
  }

  const fresh = (): { instance: AddonInstance; ns: number } => {
    const start = now();
    const instance = host.instantiate(request.engine, loaded.module, request.instance);
    const ns = since(start);
    const init = bringUp(instance, request.lifecycle, request.timeoutMs, loaded.module);
    if (init && init.status !== 'ok') throw new PhaseError('init', init.message ?? init.status);
    return { instance, ns };
  };
  const { instance, ns: instantiateNs } = fresh();
  const isCommand = request.call.style === 'command';
  const hooks = request.instance.benchHooks;

  const start = now();
  const first = callOnce(instance, request.call, request.timeoutMs, request.fuel);
  const firstCallNs = since(start);
  if (first.status !== 'ok' || (isCommand && first.exitCode !== 0 && first.exitCode !== undefined)) {
    // A failing call is reported with its status, never as a time; what the guest printed is kept.
    const result = failed(pid, first.status === 'ok' ? 'error' : benchStatus(first.status), first.message ?? `exit ${first.exitCode}`, first.trap ?? undefined);
    return { ...result, guestOutput: outputOf(instance) };
  }
  const answer = answerOf(first, isCommand ? instance : undefined);
  const regionsAfterFirst = instance.takeBenchRegions();
  if (hooks) {
    const [starts = 0, ends = 0] = instance.takeBenchMarks();
    answer.benchMarks = { starts, ends };
  }
  if (request.regionRuns !== undefined) {
    const timings = { compileNs, precompileNs, deserializeNs, instantiateNs, firstCallNs };
    return regionRunsOf(request, pid, fresh, answer, regionsAfterFirst, timings);
  }

  // A command runs once per instance, so its steady state includes instantiation.
  // Other calls use the addon's timing-loop path, which returns a number instead
  // of an outcome object (the first call above already checked the result).
  const steady = request.call;
  const input = steady.style === 'invoke' ? Buffer.from(steady.input) : undefined;
  const once = (): SteadyResult => {
    if (steady.style === 'command' || steady.style === 'describe') return callOnce(isCommand ? fresh().instance : instance, steady, request.timeoutMs, request.fuel);
    try {
      if (steady.style === 'invoke') instance.invokeTimed(steady.name, input!, request.timeoutMs, request.fuel);
      else instance.callExportTimed(steady.name, steady.args, request.timeoutMs, request.fuel);
      return OK;
    } catch (e) {
      return parseTimedFailure((e as Error).message);
    }
  };

  const batch = batchSize(once);
  const bench = new Bench({
    time: request.budgetMs,
    iterations: request.minIterations,
    warmup: true,
    warmupIterations: 3,
    warmupTime: Math.min(100, request.budgetMs / 10),
    retainSamples: true,
    now: hrtimeNow,
  });
  let failure: SteadyResult | undefined;
  bench.add('call', () => {
    for (let i = 0; i < batch; i++) {
      const r = once();
      if (r.status !== 'ok') {
        failure = r;
        throw new Error(r.message ?? r.status);
      }
    }
  });
  bench.runSync();
  // A steady-state call that failed: what the guest printed on this instance (a command's fresh ones are gone).
  if (failure) return { ...failed(pid, benchStatus(failure.status), failure.message ?? undefined, failure.trap ?? undefined), guestOutput: outputOf(instance) };
  const task = bench.tasks[0];
  const result = task?.result;
  if (!result || !('latency' in result) || !result.latency.samples) {
    return failed(pid, 'error', `tinybench did not complete: ${result?.state ?? 'no task'}`);
  }
  const perCallNs = Array.from(result.latency.samples, (ms) => (ms * 1e6) / batch);

  let rustLoopPerCallNs: number | undefined;
  if (request.rustLoopIterations > 0 && request.call.style === 'export') {
    const total = instance.benchLoop(request.call.name, request.rustLoopIterations);
    rustLoopPerCallNs = total / request.rustLoopIterations;
  }
  const regions = [...regionsAfterFirst, ...instance.takeBenchRegions()];
  return {
    status: 'ok',
    pid,
    compileNs,
    precompileNs,
    deserializeNs,
    instantiateNs,
    firstCallNs,
    perCallNs,
    answer,
    ...(rustLoopPerCallNs !== undefined ? { rustLoopPerCallNs } : {}),
    ...(regions.length ? { regionNs: regions } : {}),
  };
}

/** Everything the guest wrote so far, as the protocol carries it. */
function outputOf(instance: AddonInstance): NonNullable<BenchResult['guestOutput']> {
  return {
    stdout: new Uint8Array(instance.stdout()),
    stderr: new Uint8Array(instance.stderr()),
    ...(instance.stdoutTruncated() ? { stdoutTruncated: true as const } : {}),
    ...(instance.stderrTruncated() ? { stderrTruncated: true as const } : {}),
  };
}

/**
 * Sightglass style: the first run (already checked) and `regionRuns - 1` more,
 * each in a fresh instance; the samples are the `bench.start`..`bench.end`
 * regions. A later run that fails ends the process with its status.
 */
function regionRunsOf(
  request: Request,
  pid: number,
  fresh: () => { instance: AddonInstance; ns: number },
  answer: NonNullable<BenchResult['answer']>,
  firstRegions: number[],
  timings: Pick<BenchResult, 'compileNs' | 'precompileNs' | 'deserializeNs' | 'instantiateNs' | 'firstCallNs'>,
): BenchResult {
  const regions = [...firstRegions];
  for (let i = 1; i < request.regionRuns!; i++) {
    const { instance } = fresh();
    const r = callOnce(instance, request.call, request.timeoutMs, request.fuel);
    if (r.status !== 'ok' || (r.exitCode !== 0 && r.exitCode !== undefined && r.exitCode !== null)) {
      const result = failed(pid, r.status === 'ok' ? 'error' : benchStatus(r.status), `run ${i + 1}: ${r.message ?? `exit ${r.exitCode}`}`, r.trap ?? undefined);
      return { ...result, guestOutput: outputOf(instance) };
    }
    regions.push(...instance.takeBenchRegions());
  }
  return { status: 'ok', pid, ...timings, perCallNs: regions, answer, regionNs: regions };
}

/** The first call's answer as the protocol carries it (a command's captured output included). */
export function answerOf(first: AddonOutcome, command: AddonInstance | undefined): NonNullable<BenchResult['answer']> {
  const answer: NonNullable<BenchResult['answer']> = {};
  if (first.output) answer.output = new Uint8Array(first.output);
  if (first.values) answer.values = first.values.map((v) => ({ type: v.type, value: v.value, ...(v.bits ? { bits: v.bits } : {}) }));
  if (first.exitCode !== undefined && first.exitCode !== null) answer.exitCode = first.exitCode;
  if (command) {
    answer.stdout = new Uint8Array(command.stdout());
    answer.stderr = new Uint8Array(command.stderr());
  }
  return answer;
}

type SteadyResult = Pick<AddonOutcome, 'status' | 'message' | 'trap'>;
const OK: SteadyResult = { status: 'ok' };

/** The statuses a timed call may throw (runtimes/addon/src/instance.rs `only_elapsed`). */
const TimedStatus = AddonStatus.extract(['guest-error', 'trap', 'timeout', 'error']);

/** The `status:trap:message` a timed call throws when it does not end ok. */
export function parseTimedFailure(text: string): SteadyResult {
  const [status = 'error', trap = '', ...rest] = text.split(':');
  const known = TimedStatus.safeParse(status);
  if (!known.success) return { status: 'error', message: text };
  const kind = AddonTrapKind.safeParse(trap);
  return { status: known.data, ...(trap ? { trap: kind.success ? kind.data : 'other' } : {}), message: rest.join(':') };
}

/** A bench result's status for an addon status (`exit` outside a command is a host-side error). */
const benchStatus = (status: AddonOutcome['status']): BenchResult['status'] => (status === 'exit' ? 'error' : status);

/**
 * How many calls one sample must hold to last MIN_BATCH_NS. Each size is
 * probed three times and the fastest counts, so one probe that was preempted
 * (or hit a page fault) does not pass for a slow call and leave sub-resolution
 * calls unbatched; a call that is clearly long enough on its own is not
 * probed again.
 */
function batchSize(once: () => unknown): number {
  let n = 1;
  for (;;) {
    let ns = Infinity;
    for (let probe = 0; probe < 3; probe++) {
      const start = now();
      for (let i = 0; i < n; i++) once();
      ns = Math.min(ns, since(start));
      if (ns >= 20 * MIN_BATCH_NS) break;
    }
    if (ns >= MIN_BATCH_NS || n >= 1 << 20) return n;
    n = ns > 0 ? Math.min(n * 64, Math.ceil((n * MIN_BATCH_NS * 1.2) / ns)) : n * 64;
  }
}
