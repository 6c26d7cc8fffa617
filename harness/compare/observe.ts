// Turning raw call results and suite expectations into the model's
// observations (model/observation.ts), which compare exactly and read well
// side by side.
import type { CaseSpec, Expectation } from '../config/suite.js';
import { materialize } from '../config/bytes.js';
import { canonicalValue, type GuestOutput, guestOutputOf, type Observation, type Observed } from '../model/observation.js';
import type { ExecResult } from '../workers/exec.js';
type ExecOutcomeWithPid = Extract<ExecResult, { timings: unknown }>;
import type { WasmValue } from '../workers/protocol.js';

/** The outcome of one call, from a runtime worker or the native reference. */
/** Set when the guest wrote more than the output cap and the rest was cut. */
interface Cut {
  stdoutTruncated?: true;
  stderrTruncated?: true;
}

export type RawResult = (
  | ({ status: 'ok'; output?: Uint8Array; values?: WasmValue[]; exitCode?: number; stdout?: Uint8Array; stderr?: Uint8Array } & Cut)
  | ({ status: 'guest-error'; message: string; exitCode?: number } & Cut)
  | ({ status: 'trap'; trap: string; message?: string } & Cut)
  | ({ status: 'timeout'; message?: string } & Cut)
  | { status: 'error'; phase?: string; message: string }
  | { status: 'crash' | 'hang'; message: string }
) & {
  /** Calls of `record` host imports, as `module.name(TYPE:VALUE, ...)`. */
  hostCalls?: string[];
  /** The life-cycle export that did not end `ok` (the call never ran). */
  lifecycleExport?: string;
};

/** `env.log(i32:1, i64:2)`: one recorded host call as the report shows it. */
export const hostCallText = (c: { module: string; name: string; args: WasmValue[] }): string => `${c.module}.${c.name}(${c.args.map(canonicalValue).join(', ')})`;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text when they are UTF-8, always as hex. */
export function bytesObserved(bytes: Uint8Array): { utf8?: string; hex: string } {
  const hex = Buffer.from(bytes).toString('hex');
  try {
    return { utf8: decoder.decode(bytes), hex };
  } catch {
    return { hex };
  }
}

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

/** The cut-output markers of a result, in every call style. */
function cutMarkers(raw: RawResult): Observed {
  if (!('stdoutTruncated' in raw || 'stderrTruncated' in raw)) return {};
  const cut = raw as Cut; // only statuses with a capture carry the markers
  return { ...(cut.stdoutTruncated ? { stdoutTruncated: true } : {}), ...(cut.stderrTruncated ? { stderrTruncated: true } : {}) };
}

/** What a raw result shows of the call, in the shape of its call style. */
export function observe(raw: RawResult, call: CaseSpec['call']): Observed {
  const o = observeCall(raw, call);
  if (raw.hostCalls?.length) o.hostCalls = raw.hostCalls;
  if (raw.lifecycleExport) o.lifecycleExport = raw.lifecycleExport;
  return o;
}

function observeCall(raw: RawResult, call: CaseSpec['call']): Observed {
  switch (raw.status) {
    case 'ok': {
      if (call.style === 'invoke') return { output: bytesObserved(raw.output ?? new Uint8Array()), ...cutMarkers(raw) };
      if (call.style === 'export') return { values: (raw.values ?? []).map(canonicalValue), ...cutMarkers(raw) };
      return { exitCode: raw.exitCode ?? 0, stdout: text(raw.stdout), stderr: text(raw.stderr), ...cutMarkers(raw) };
    }
    case 'guest-error':
      return { guestError: raw.message, ...(raw.exitCode !== undefined ? { exitCode: raw.exitCode } : {}), ...cutMarkers(raw) };
    // A cut stream is kept with a trap or timeout: the guest's failed write past the cap often caused it.
    case 'trap':
      return { trap: raw.trap, ...cutMarkers(raw) };
    case 'timeout':
      return { timeout: true, ...cutMarkers(raw) };
    case 'error':
      return { error: raw.message };
    case 'crash':
    case 'hang':
      return { error: `${raw.status}: ${raw.message}` };
  }
}

/** What the suite says a case must give, in the same shape as an actual result. */
export function expected(expect: Expectation): Observed {
  const o: Observed = {};
  if (expect.output) o.output = bytesObserved(materialize(expect.output));
  if (expect.values) o.values = expect.values;
  if (expect.exitCode !== undefined) o.exitCode = expect.exitCode;
  if (expect.stdout) o.stdout = text(materialize(expect.stdout));
  if (expect.stderr) o.stderr = text(materialize(expect.stderr));
  if (expect.trap) o.trap = expect.trap;
  if (expect.timeout) o.timeout = true;
  if (expect.guestError !== undefined) o.guestError = expect.guestError;
  if (expect.hostCalls) o.hostCalls = expect.hostCalls;
  return o;
}

/**
 * The observation of a raw result: a crash, a hang, and an error while
 * loading or instantiating (this runtime cannot run this module) are host
 * failures that end the cell whatever the oracle says; so is an error while
 * setting up the case (its host-import declarations disagree with the
 * module), a `mismatch` for the case's own bad input.
 */
export function observation(raw: RawResult, call: CaseSpec['call']): Observation {
  const observed = observe(raw, call);
  if (raw.status === 'crash' || raw.status === 'hang') return { observed, hostFailure: { status: raw.status, message: raw.message } };
  if (raw.status === 'error' && (raw.phase === 'load' || raw.phase === 'instantiate')) return { observed, hostFailure: { status: 'unsupported', message: raw.message } };
  if (raw.status === 'error' && raw.phase === 'setup') return { observed, hostFailure: { status: 'mismatch', message: raw.message } };
  return { observed };
}

const cut = (r: { stdoutTruncated?: true; stderrTruncated?: true }) => ({
  ...(r.stdoutTruncated ? { stdoutTruncated: true as const } : {}),
  ...(r.stderrTruncated ? { stderrTruncated: true as const } : {}),
});

/** A worker's exec result as the raw result compare observes, recorded host calls and the failing life-cycle export included. */
export function rawFromExec(result: ExecResult): RawResult {
  const raw = rawOutcome(result);
  if ('hostCalls' in result && result.hostCalls?.length) raw.hostCalls = result.hostCalls.map(hostCallText);
  if ('lifecycleExport' in result && result.lifecycleExport) raw.lifecycleExport = result.lifecycleExport;
  return raw;
}

function rawOutcome(result: ExecResult): RawResult {
  switch (result.status) {
    case 'ok':
      return {
        status: 'ok',
        ...(result.output ? { output: result.output } : {}),
        ...(result.values ? { values: result.values } : {}),
        ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
        ...(result.stdout ? { stdout: result.stdout } : {}),
        ...(result.stderr ? { stderr: result.stderr } : {}),
        ...cut(result),
      };
    case 'guest-error':
      return { status: 'guest-error', message: result.message ?? '', ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}), ...cut(result) };
    case 'trap':
      return { status: 'trap', trap: result.trap ?? 'other', ...(result.message ? { message: result.message } : {}), ...cut(result) };
    case 'timeout':
      return { status: 'timeout', ...(result.message ? { message: result.message } : {}), ...cut(result) };
    case 'error':
      return { status: 'error', message: result.message ?? 'error', ...(result.phase ? { phase: result.phase } : {}) };
    case 'crash':
    case 'hang':
      return { status: result.status, message: result.message };
  }
}

/** What the guest of an exec wrote, kept for its cell whatever the status (for a crash or hang, what it wrote through before the worker died). */
export function guestOutputOfExec(result: ExecResult): { guestOutput?: GuestOutput } {
  const kept = guestOutputOf(result);
  return kept ? { guestOutput: kept } : {};
}
