// Running one exec request on a worker and folding a dead or silent worker
// into the same result shape, so callers see exactly one status per call.
import type { CapturedStreams, ExecOutcome, ExecRequest } from './protocol.js';
import type { RuntimeWorker } from './runtime-worker.js';

/** One exec's result: the outcome, or a crash or hang (with what the guest printed first), always with the worker's pid. */
export type ExecResult =
  | (ExecOutcome & { pid: number })
  | ({ status: 'crash' | 'hang'; message: string; pid: number } & Partial<CapturedStreams>);

/** Grace on top of the guest deadline: compiling a 20 MB module takes a while. */
export const WATCHDOG_GRACE_MS = 90_000;

/** Runs one exec request on a worker; a dead or silent worker becomes crash or hang. */
export async function execOn(worker: RuntimeWorker, request: ExecRequest, watchdogMs?: number): Promise<ExecResult> {
  const answer = await worker.request(request, watchdogMs ?? (request.timeoutMs ?? 30_000) + WATCHDOG_GRACE_MS);
  if (!answer.ok) return { status: answer.failure, message: answer.message, pid: answer.pid, ...answer.output };
  const response = answer.response;
  if (response.type === 'exec') return { ...response.outcome, pid: answer.pid };
  const message = response.type === 'refused' ? response.message : `unexpected reply ${response.type}`;
  return { status: 'error', message, pid: answer.pid, timings: { loadNs: 0, moduleCacheHit: false, instantiateNs: 0, initNs: 0, callNs: 0 } };
}
