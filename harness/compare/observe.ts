// Turning raw call results and suite expectations into `Observed` values that
// compare exactly and read well side by side. Floats compare by bits with
// every NaN canonicalised to `nan`; everything else compares as written.
import type { CaseSpec, Expectation } from '../config/suite.js';
import { materialize } from '../config/bytes.js';
import type { Observed } from '../report/schema.js';
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
  | { status: 'trap'; trap: string; message?: string }
  | { status: 'timeout'; message?: string }
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

export function bytesObserved(bytes: Uint8Array): { utf8?: string; hex: string } {
  const hex = Buffer.from(bytes).toString('hex');
  try {
    return { utf8: decoder.decode(bytes), hex };
  } catch {
    return { hex };
  }
}

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

/** `f64:nan` for any NaN; otherwise the runtime's own exact rendering. */
export function canonicalValue(v: WasmValue): string {
  if ((v.type === 'f32' || v.type === 'f64') && v.value.toLowerCase().includes('nan')) return `${v.type}:nan`;
  return `${v.type}:${v.value}`;
}

/** The cut-output markers of a result, in every call style. */
function cutMarkers(raw: RawResult): Observed {
  if (raw.status !== 'ok' && raw.status !== 'guest-error') return {};
  return { ...(raw.stdoutTruncated ? { stdoutTruncated: true } : {}), ...(raw.stderrTruncated ? { stderrTruncated: true } : {}) };
}

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
    case 'trap':
      return { trap: raw.trap };
    case 'timeout':
      return { timeout: true };
    case 'error':
      return { error: raw.message };
    case 'crash':
    case 'hang':
      return { error: `${raw.status}: ${raw.message}` };
  }
}

/** Bits of a float written in a suite (`nan`, `inf`, `-inf`, `-0`, decimals). */
function floatKey(type: 'f32' | 'f64', written: string): string {
  const w = written.toLowerCase();
  if (w === 'nan' || w === '-nan') return `${type}:nan`;
  const n = w === 'inf' || w === '+inf' || w === 'infinity' ? Infinity : w === '-inf' || w === '-infinity' ? -Infinity : Number(w);
  if (Number.isNaN(n)) throw new Error(`"${written}" is not a ${type}`);
  const buf = Buffer.alloc(8);
  if (type === 'f32') {
    buf.writeFloatLE(n);
    return `${type}:bits:${buf.readUInt32LE().toString(16)}`;
  }
  buf.writeDoubleLE(n);
  return `${type}:bits:${buf.readBigUInt64LE().toString(16)}`;
}

/** A comparison key for a `type:value` string, from a suite or from a runtime. */
export function valueKey(typed: string): string {
  const [type, ...rest] = typed.split(':');
  const value = rest.join(':');
  if (type === 'f32' || type === 'f64') return floatKey(type, value);
  if (type === 'i32' || type === 'i64') {
    const bits = type === 'i32' ? 32 : 64;
    return `${type}:${BigInt.asIntN(bits, BigInt(value)).toString()}`;
  }
  return typed;
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
