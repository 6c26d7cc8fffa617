// Writes a `.cwasm` and its integrity record so that a reader never sees a
// half-written entry: each goes to a temporary file that is renamed into
// place, the record last, so a record on disk means the entry is complete.
import { readFileSync } from 'node:fs';
import { writeAtomically } from '../util/atomic-write.js';
import type { z } from 'zod';
import type { Precompiled, PrecompileRequest } from './protocol.js';
import { PhaseError, type WorkerHost } from './worker-host.js';
import { precompileAny } from './code.js';

/** The integrity record's path of a `.cwasm`. */
export function recordPathOf(cwasmPath: string): string {
  return `${cwasmPath}.json`;
}

/** Precompiles a module and writes the `.cwasm` and its record atomically. */
export function writePrecompiled(host: WorkerHost, request: z.output<typeof PrecompileRequest>): Precompiled {
  const engine = host.engine(request.engine);
  let bytes: Buffer;
  try {
    bytes = readFileSync(request.modulePath);
  } catch (e) {
    throw new PhaseError('load', `cannot read ${request.modulePath}: ${(e as Error).message}`);
  }
  const start = process.hrtime.bigint();
  let compiled: ReturnType<typeof precompileAny>;
  try {
    compiled = precompileAny(engine, bytes);
  } catch (e) {
    throw new PhaseError('load', `${request.modulePath}: ${(e as Error).message}`);
  }
  const { cwasm, kind } = compiled;
  const precompileNs = Number(process.hrtime.bigint() - start);
  const record = {
    ...engine.integrityRecord(cwasm),
    kind,
    ...(request.artifactHash ? { artifactHash: request.artifactHash } : {}),
  };
  writeAtomically(request.outPath, cwasm);
  writeAtomically(recordPathOf(request.outPath), `${JSON.stringify(record, null, 2)}\n`);
  return { record, bytes: cwasm.length, precompileNs };
}
