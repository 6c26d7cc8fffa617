// Counting inside the worker (`bench --measure instructions`). The process
// runs under `valgrind --tool=callgrind --collect-atstart=no`: nothing is
// counted until the addon's counted regions are switched on, and then only
// the Rust bodies of the addon's entry points (runtimes/addon/src/counting.rs),
// never this JavaScript, V8 or napi's conversions. Each phase is one region,
// dumped under its name to its own callgrind file; the supervisor reads the
// counts from those files after the process exits (bench/callgrind.ts).
// Same engine, module, life cycle and calls as worker-bench.ts.
import { mkdirSync } from 'node:fs';
import type { z } from 'zod';
import type { AddonInstance } from './addon.js';
import type { CountedPhase, CountRequest, CountResult } from './protocol.js';
import { deserializeAny, precompileAny } from './code.js';
import { answerOf, parseTimedFailure } from './worker-bench.js';
import { bringUp, callOnce, PhaseError, type WorkerHost } from './worker-host.js';

type Request = z.output<typeof CountRequest>;

/** Answers a count request: every phase a counted, dumped region. */
export function countCall(host: WorkerHost, request: Request): CountResult {
  const pid = process.pid;
  const addon = host.addon;
  const regions: CountResult['regions'] = [];
  if (!addon.countRegions || !addon.callgrindDump || !addon.runningOnValgrind) {
    return { status: 'error', pid, underValgrind: false, regions, message: `the ${host.runtimeId} addon has no counted regions (built before instruction counting); rebuild it with: npm run build` };
  }
  const underValgrind = addon.runningOnValgrind() > 0;
  const failed = (status: CountResult['status'], message?: string, trap?: string | null): CountResult => ({
    status,
    pid,
    underValgrind,
    regions,
    ...(message ? { message } : {}),
    ...(trap ? { trap } : {}),
  });
  const counted = <T>(phase: CountedPhase, calls: number, region: () => T): T => {
    addon.countRegions!(true);
    try {
      return region();
    } finally {
      addon.countRegions!(false);
      addon.callgrindDump!(phase);
      regions.push({ phase, calls });
      testKill(phase);
    }
  };
  try {
    return countPhases(host, request, counted, failed, underValgrind, pid, regions);
  } catch (e) {
    if (e instanceof PhaseError) return failed('error', `${e.phase}: ${e.message}`);
    throw e;
  } finally {
    addon.countRegions(false);
  }
}

type Counted = <T>(phase: CountedPhase, calls: number, region: () => T) => T;

function countPhases(
  host: WorkerHost,
  request: Request,
  counted: Counted,
  failed: (status: CountResult['status'], message?: string, trap?: string | null) => CountResult,
  underValgrind: boolean,
  pid: number,
  regions: CountResult['regions'],
): CountResult {
  const engine = host.engine(request.engine); // outside every region: the engine and its ticker thread
  const loaded = counted('compile', 1, () => host.load(request.engine, request.module, false));
  if (request.module.kind === 'file') {
    const bytes = loaded.bytes!;
    // A core module or a component, as worker-bench.ts does it.
    const { cwasm, kind } = counted('precompile', 1, () => precompileAny(engine, bytes));
    const record = { ...engine.integrityRecord(cwasm), kind };
    counted('deserialize', 1, () => deserializeAny(engine, cwasm, record));
  }
  const fresh = (): AddonInstance => {
    const instance = host.instantiate(request.engine, loaded.module, request.instance);
    const init = bringUp(instance, request.lifecycle, request.timeoutMs, loaded.module);
    if (init && init.status !== 'ok') throw new PhaseError('init', init.message ?? init.status);
    return instance;
  };
  const instance = counted('instantiate', 1, () => host.instantiate(request.engine, loaded.module, request.instance));
  const init = bringUp(instance, request.lifecycle, request.timeoutMs, loaded.module);
  if (init && init.status !== 'ok') throw new PhaseError('init', init.message ?? init.status);

  const isCommand = request.call.style === 'command';
  const first = counted('firstCall', 1, () => callOnce(instance, request.call, request.timeoutMs, request.fuel));
  if (first.status !== 'ok' || (isCommand && first.exitCode !== 0 && first.exitCode !== undefined)) {
    // A failing call is reported with its status, never as a count.
    const status = first.status === 'ok' || first.status === 'exit' ? 'error' : first.status;
    return failed(status, first.message ?? `exit ${first.exitCode}`, first.trap);
  }
  const answer = answerOf(first, isCommand ? instance : undefined);

  const call = request.call;
  const input = call.style === 'invoke' ? Buffer.from(call.input) : undefined;
  const failure = counted('perCall', request.calls, () => {
    for (let i = 0; i < request.calls; i++) {
      if (call.style === 'command' || call.style === 'describe') {
        // A command runs once per instance, so its steady state includes instantiation (as when timed).
        const r = callOnce(isCommand ? fresh() : instance, call, request.timeoutMs, request.fuel);
        if (r.status !== 'ok') return { status: r.status === 'exit' ? ('error' as const) : r.status, message: r.message, trap: r.trap };
        continue;
      }
      try {
        if (call.style === 'invoke') instance.invokeTimed(call.name, input!, request.timeoutMs, request.fuel);
        else instance.callExportTimed(call.name, call.args, request.timeoutMs, request.fuel);
      } catch (e) {
        return parseTimedFailure((e as Error).message);
      }
    }
    return undefined;
  });
  if (failure) return failed(failure.status === 'exit' ? 'error' : failure.status, failure.message ?? undefined, failure.trap);
  return { status: 'ok', pid, underValgrind, regions, answer };
}

/**
 * Test hook: `WASM_MATRIX_TEST_KILL_COUNTING=PHASE@DIR` kills this process
 * (valgrind and all) with SIGKILL right after dumping PHASE, once per DIR (the
 * first process to create DIR), so a test can kill a counting process in the
 * middle of a cell at a point that does not depend on timing.
 */
function testKill(phase: CountedPhase): void {
  const hook = process.env.WASM_MATRIX_TEST_KILL_COUNTING;
  if (!hook) return;
  const at = hook.indexOf('@');
  if (at < 0 || hook.slice(0, at) !== phase) return;
  try {
    mkdirSync(hook.slice(at + 1));
  } catch {
    return; // another process was killed already
  }
  process.kill(process.pid, 'SIGKILL');
}
