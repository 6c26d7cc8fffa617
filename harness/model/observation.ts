// What the harness saw of one call, in a form that compares exactly and reads
// well side by side. Floats compare by bits with every NaN canonicalised;
// everything else compares as written.
import { z } from 'zod';
import type { HostStatus } from './status.js';

/** One side of a comparison, in a form people can read side by side. */
export const Observed = z
  .object({
    output: z.object({ utf8: z.string().optional(), hex: z.string() }).optional(),
    values: z.array(z.string()).optional(),
    exitCode: z.number().int().optional(),
    stdout: z.string().optional(),
    stderr: z.string().optional(),
    trap: z.string().optional(),
    guestError: z.string().optional(),
    timeout: z.boolean().optional(),
    /** A host-side error (the call could not be made). */
    error: z.string().optional(),
    /** The guest wrote more than the capture cap; `stdout` holds only the first bytes. */
    stdoutTruncated: z.literal(true).optional(),
    /** The guest wrote more than the capture cap; `stderr` holds only the first bytes. */
    stderrTruncated: z.literal(true).optional(),
    /** Calls of `record` host imports, each `module.name(TYPE:VALUE, ...)`, in order. */
    hostCalls: z.array(z.string()).optional(),
    /** The life-cycle export that trapped, timed out or failed before the call. */
    lifecycleExport: z.string().optional(),
    /** Calls of the `bench.start` / `bench.end` hooks during one run (sightglass benchmarks call each exactly once). */
    benchMarks: z.object({ starts: z.number().int().nonnegative(), ends: z.number().int().nonnegative() }).strict().optional(),
  })
  .strict();
/** One observed (or expected) answer. */
export type Observed = z.infer<typeof Observed>;

/** How much of a guest's stdout and stderr a cell keeps (per stream), in UTF-8 bytes; the end is kept, where a panic message is. */
export const GUEST_OUTPUT_KEEP_BYTES = 16 * 1024;

/**
 * What the guest wrote to stdout and stderr during a cell, whatever its status
 * (a trap's panic message is often the one line that explains it). Never read
 * by the judge: command cells compare `actual.stdout`/`stderr`.
 */
export const GuestOutput = z
  .object({
    /** The last GUEST_OUTPUT_KEEP_BYTES of what was captured (invalid UTF-8 as U+FFFD). */
    stdout: z.string().optional(),
    stderr: z.string().optional(),
    /** Bytes captured, when more than the kept text (its start was dropped). */
    stdoutBytes: z.number().int().optional(),
    stderrBytes: z.number().int().optional(),
    /** The guest wrote more than the worker's capture cap: the end of what it wrote is lost. */
    stdoutTruncated: z.literal(true).optional(),
    stderrTruncated: z.literal(true).optional(),
  })
  .strict();
/** A cell's kept guest output. */
export type GuestOutput = z.infer<typeof GuestOutput>;

/** The kept form of one captured stream: its last GUEST_OUTPUT_KEEP_BYTES, on a character boundary. */
function keepTail(bytes: Uint8Array): { text: string; bytes?: number } {
  if (bytes.length <= GUEST_OUTPUT_KEEP_BYTES) return { text: new TextDecoder().decode(bytes) };
  let from = bytes.length - GUEST_OUTPUT_KEEP_BYTES;
  while (from < bytes.length && (bytes[from]! & 0xc0) === 0x80) from++; // not inside a UTF-8 sequence
  return { text: new TextDecoder().decode(bytes.subarray(from)), bytes: bytes.length };
}

/** The guest output a cell keeps of captured streams; undefined when the guest wrote nothing. */
export function guestOutputOf(captured: { stdout?: Uint8Array | undefined; stderr?: Uint8Array | undefined; stdoutTruncated?: true | undefined; stderrTruncated?: true | undefined }): GuestOutput | undefined {
  const out: GuestOutput = {};
  for (const stream of ['stdout', 'stderr'] as const) {
    const bytes = captured[stream];
    if (!bytes || bytes.length === 0) continue;
    const kept = keepTail(bytes);
    out[stream] = kept.text;
    if (kept.bytes !== undefined) out[`${stream}Bytes`] = kept.bytes;
  }
  if (captured.stdoutTruncated) out.stdoutTruncated = true;
  if (captured.stderrTruncated) out.stderrTruncated = true;
  return Object.keys(out).length ? out : undefined;
}

/** The last `n` lines of a text (without a trailing empty line). */
export function lastLines(text: string, n: number): string[] {
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  return lines.slice(-n);
}

/**
 * What a call gave: the observed answer, and when the host failed it (the
 * worker crashed or hung, or the runtime could not load or instantiate the
 * module) that failure, which ends the cell whatever the oracle says; a
 * case whose own set-up failed (host-import declarations that disagree with
 * the module) is a `mismatch` of the same kind.
 */
export interface Observation {
  observed: Observed;
  hostFailure?: { status: Extract<HostStatus, 'crash' | 'hang' | 'unsupported'> | 'mismatch'; message: string };
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

/** `f64:nan` for any NaN; otherwise the runtime's own exact rendering. */
export function canonicalValue(v: { type: string; value: string }): string {
  if ((v.type === 'f32' || v.type === 'f64') && v.value.toLowerCase().includes('nan')) return `${v.type}:nan`;
  return `${v.type}:${v.value}`;
}

/** What kind of answer an observation is, in the words reasons use. */
export function answerKind(o: Observed): 'trap' | 'timeout' | 'guest-error' | 'error' | 'ok' {
  if (o.trap !== undefined) return 'trap';
  if (o.timeout) return 'timeout';
  if (o.guestError !== undefined) return 'guest-error';
  if (o.error !== undefined) return 'error';
  return 'ok';
}
