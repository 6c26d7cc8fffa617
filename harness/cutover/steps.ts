// The steps of the cut-over rehearsal after the build (rehearsal.ts runs
// them in order): golden answers on the old runtime, serving, the new fill,
// the checks of the new cache, the comparison, the refusals, the corruption
// drill, cold starts and the switch. Each step adds its no-go reasons to the
// shared Rehearsal and returns what later steps need.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltArtifact } from '../build/build.js';
import type { Runtime } from '../config/runtimes.js';
import { type RawResult, rawFromExec } from '../compare/observe.js';
import type { Cell } from '../model/cell.js';
import { unanswered } from '../model/judge.js';
import { execOn } from '../workers/exec.js';
import type { ExecRequest } from '../workers/protocol.js';
import type { RuntimeWorker } from '../workers/runtime-worker.js';
import { type CacheEntry, ensureEntry, lookupEntry } from './cache.js';
import { type ColdItem, measureColdStarts } from './cold.js';
import { engineKey, engineLabel } from './engines.js';
import { entryKey, fillCache, type FillResult, type FillTarget } from './fill.js';
import { type Candidate, goldenOnOld, isCutoverProblem, judgeAgainstGolden, judgeOld, notStreamedBecause, oldCellKey, requestFor, toCell } from './golden.js';
import type { CutoverOptions } from './options.js';
import type { CutoverSection, Mismatch } from './schema.js';
import { ServingStream, type StreamCase, type StreamTarget } from './stream.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (ns: number) => ns / 1e6;

/** A golden case: the candidate and the old runtime's answer. */
export interface Golden {
  c: Candidate;
  /** The old runtime's answer: the golden one. */
  raw: RawResult;
}

/** Fill targets, each (artifact, engine) once. */
export function uniqueTargets(list: { artifact: BuiltArtifact; engine: Candidate['engine'] }[]): FillTarget[] {
  const seen = new Map<string, FillTarget>();
  for (const t of list) seen.set(`${t.artifact.hash}/${engineKey(t.engine)}`, t);
  return [...seen.values()];
}

/** The rehearsal's shared state: options, the three workers, the timeline and the no-go reasons. */
export interface Rehearsal {
  options: CutoverOptions;
  from: Runtime;
  to: Runtime;
  root: string;
  oldServe: RuntimeWorker;
  newFill: RuntimeWorker;
  newServe: RuntimeWorker;
  emit: (cell: Cell) => void;
  mark: (event: string) => void;
  reasons: string[];
}

/** Step 2: the old runtime's own cache (the cache a host already has) and its answers: the golden ones. */
export async function goldensOnOld(r: Rehearsal, candidates: Candidate[]) {
  const oldFill = await fillCache({ root: r.root, worker: r.oldServe, targets: uniqueTargets(candidates.map((c) => ({ artifact: c.artifact, engine: c.engine }))) });
  r.mark(`old cache: ${oldFill.summary.counts.present} present, ${oldFill.summary.counts.filled + oldFill.summary.counts.replaced} made, ${oldFill.summary.counts.failed} failed`);
  const oldEntryOf = async (c: Candidate): Promise<CacheEntry | undefined> => oldFill.entries.get(entryKey(await oldFill.hashes.of(c.engine), c.artifact.hash));

  const goldens: Golden[] = [];
  const excluded: CutoverSection['golden']['excluded'] = r.options.suites
    .filter((s) => s.kind !== 'dispatcher')
    .map((s) => ({ key: s.name, reason: 'a command suite: golden calls come from dispatcher and export cases' }));
  const oldRequests = new Map<string, ExecRequest>();
  for (const c of candidates) {
    const entry = await oldEntryOf(c);
    if (!entry) {
      const compat = await oldFill.hashes.of(c.engine);
      const failure = oldFill.summary.items.find((i) => i.artifactHash === c.artifact.hash && i.compatibilityHash === compat && i.status === 'failed');
      excluded.push({ key: c.key, reason: `the old runtime's cache entry could not be made (${engineLabel(c.engine)} engine): ${failure?.message ?? 'unknown'}` });
      continue;
    }
    const request = requestFor(c, c.artifact, { kind: 'cwasm', path: entry.path, record: entry.record });
    const result = await execOn(r.oldServe, request);
    const raw = rawFromExec(result);
    const j = judgeOld(c, raw);
    const golden = goldenOnOld(c, j);
    if (!golden.golden) {
      excluded.push({ key: c.key, reason: golden.reason });
      continue;
    }
    goldens.push({ c, raw });
    oldRequests.set(c.key, request);
    r.emit(toCell(c, r.from.id, c.artifact, j, { pid: result.pid, ...timingsOf(result) }));
  }
  r.mark(`${goldens.length} golden cases on ${r.from.id} (${excluded.length} left out)`);
  return { oldFill, oldEntryOf, goldens, excluded, oldRequests };
}

/** Step 3: the old runtime serves a steady stream of golden calls. */
export function startServing(r: Rehearsal, goldens: Golden[], oldRequests: Map<string, ExecRequest>, concurrency: number) {
  const notStreamed = goldens.flatMap((g) => {
    const reason = notStreamedBecause(g.c);
    return reason ? [{ key: g.c.key, reason }] : [];
  });
  const streamed = goldens.filter((g) => notStreamedBecause(g.c) === undefined);
  const streamCases: StreamCase[] = (streamed.length ? streamed : goldens).map((g) => ({
    key: g.c.key,
    check: (raw) => {
      const j = judgeAgainstGolden(g.c, raw, g.raw, r.from.id);
      return isCutoverProblem(j) ? { ok: false, reason: `${j.status}${j.reason ? `: ${j.reason}` : ''}` } : { ok: true };
    },
  }));
  const oldTarget: StreamTarget = { runtime: r.from.id, worker: r.oldServe, request: (sc) => oldRequests.get(sc.key)! };
  const stream = new ServingStream(streamCases, oldTarget, { concurrency, watchdogMs: 30_000 });
  const startedAt = performance.now();
  stream.start('before-fill');
  r.mark(`${r.from.id} serving ${streamCases.length} golden calls, ${concurrency} in flight`);
  return { stream, streamCases, notStreamed, startedAt };
}

/** Step 4: the new runtime fills its cache in its own worker while the old one serves. */
export async function fillNew(r: Rehearsal, candidates: Candidate[], stream: ServingStream) {
  stream.setWindow('during-fill');
  r.mark(`${r.to.id} filling the cache`);
  // Every artifact, for every engine its cases use (not only those with golden cases): the whole cache the host will load.
  const targets = uniqueTargets(candidates.map((c) => ({ artifact: c.newArtifact, engine: c.engine })));
  const fill = await fillCache({ root: r.root, worker: r.newFill, targets });
  stream.setWindow('after-fill');
  r.mark(`cache filled in ${fill.summary.wallMs.toFixed(0)} ms (${fill.summary.counts.filled} filled, ${fill.summary.counts.present} present, ${fill.summary.counts.failed} failed)`);
  if (fill.summary.counts.failed) r.reasons.push(`${fill.summary.counts.failed} cache entries could not be filled: ${fill.summary.items.filter((i) => i.status === 'failed').map((i) => `${i.suite}/${i.flavor} (${i.message})`).join('; ')}`);
  await r.options.seams?.afterFill?.({ root: r.root, entries: [...fill.entries.values()] });
  return { fill, targets };
}

/** Step 5: every entry is checked before use; a corrupt one is refused, removed and recompiled. */
export async function checkNewEntries(r: Rehearsal, fill: FillResult, targets: FillTarget[]) {
  const entries = new Map<string, CacheEntry>();
  const corruptionFound: CutoverSection['corruption']['found'] = [];
  for (const t of targets) {
    const compat = await fill.hashes.of(t.engine);
    const key = entryKey(compat, t.artifact.hash);
    if (entries.has(key)) continue;
    const found = lookupEntry(r.root, compat, t.artifact.hash);
    if (found.state === 'hit') {
      entries.set(key, found.entry);
      continue;
    }
    if (found.state === 'miss' && !fill.entries.has(key)) continue; // its fill failed (reported above)
    const reason = found.state === 'corrupt' ? found.reason : `${key}: disappeared after the fill`;
    const ensured = await ensureEntry({ root: r.root, worker: r.newFill, engine: t.engine, compatibilityHash: compat, artifact: t.artifact });
    corruptionFound.push({
      entry: key,
      reason,
      recompiled: ensured.status !== 'failed',
      ...(ensured.status === 'failed' ? { message: ensured.message } : {}),
    });
    if (ensured.status !== 'failed') entries.set(key, ensured.entry);
    else r.reasons.push(`corrupt entry ${key} could not be recompiled: ${ensured.message}`);
    r.mark(`refused corrupt entry ${key}; ${ensured.status === 'failed' ? 'recompiling failed' : 'recompiled'}`);
  }
  const newEntryOf = async (c: Candidate) => entries.get(entryKey(await fill.hashes.of(c.engine), c.newArtifact.hash));
  return { newEntryOf, corruptionFound };
}

/** Step 6: a fresh worker of the new runtime answers every golden case from the cache, judged against the old answers. */
export async function compareGoldens(r: Rehearsal, goldens: Golden[], newEntryOf: (c: Candidate) => Promise<CacheEntry | undefined>) {
  const newRequests = new Map<string, ExecRequest>();
  const mismatches: Mismatch[] = [];
  for (const g of goldens) {
    const c = g.c;
    const entry = await newEntryOf(c);
    if (!entry) {
      const j = unanswered(`no cache entry for ${r.to.id}: the fill failed`);
      r.emit(toCell(c, r.to.id, c.newArtifact, j, { referenceCell: oldCellKey(c, r.from.id) }));
      mismatches.push({ key: c.key, suite: c.suite.name, case: c.testCase.name, flavor: c.flavor, reason: j.reason! });
      continue;
    }
    const request = requestFor(c, c.newArtifact, { kind: 'cwasm', path: entry.path, record: entry.record });
    newRequests.set(c.key, request);
    const result = await execOn(r.newServe, request);
    const j = judgeAgainstGolden(c, rawFromExec(result), g.raw, r.from.id);
    r.emit(toCell(c, r.to.id, c.newArtifact, j, { pid: result.pid, referenceCell: oldCellKey(c, r.from.id), ...timingsOf(result) }));
    if (isCutoverProblem(j)) {
      mismatches.push({
        key: c.key,
        suite: c.suite.name,
        case: c.testCase.name,
        flavor: c.flavor,
        reason: `${j.status}${j.reason ? `: ${j.reason}` : ''}`,
        ...(j.expected ? { old: j.expected } : {}),
        ...(j.actual ? { new: j.actual } : {}),
      });
    }
  }
  r.mark(`compared ${goldens.length} golden cases: ${mismatches.length} mismatches`);
  if (mismatches.length) {
    const names = mismatches.slice(0, 10).map((m) => m.key);
    r.reasons.push(`${mismatches.length} golden case${mismatches.length === 1 ? '' : 's'} answer differently on ${r.to.id}: ${names.join(', ')}${mismatches.length > names.length ? ', ...' : ''}`);
  }
  return { newRequests, mismatches };
}

/** Step 7: the new engine must refuse the old runtime's entries (as they are, and once relabelled). */
export async function checkOldRefused(r: Rehearsal, goldens: Golden[], oldEntryOf: (c: Candidate) => Promise<CacheEntry | undefined>, fill: FillResult, sameEngine: boolean) {
  const refusals: CutoverSection['refusals'] = [];
  const checkedOld = new Set<string>();
  for (const g of goldens) {
    const c = g.c;
    const oldEntry = await oldEntryOf(c);
    if (!oldEntry) continue;
    const key = entryKey(oldEntry.compatibilityHash, oldEntry.artifactHash);
    if (checkedOld.has(key)) continue;
    checkedOld.add(key);
    const newCompat = await fill.hashes.of(c.engine);
    const tries: { mode: 'as-is' | 'relabelled'; record: CacheEntry['record'] }[] = [{ mode: 'as-is', record: oldEntry.record }];
    // Defence in depth, once: the old bytes with a record claiming the new engine; Wasmtime's own header check must refuse them.
    if (checkedOld.size === 1 && newCompat !== oldEntry.compatibilityHash) tries.push({ mode: 'relabelled', record: { ...oldEntry.record, compatibilityHash: newCompat } });
    for (const attempt of tries) {
      const result = await execOn(r.newServe, { ...requestFor(c, c.artifact, { kind: 'cwasm', path: oldEntry.path, record: attempt.record }) });
      const message = 'message' in result && result.message ? result.message : result.status;
      const refused = result.status === 'error' && 'phase' in result && result.phase === 'load' && /refused \.cwasm/.test(message);
      refusals.push({ entry: key, artifact: `${c.suite.name}/${c.flavor}`, mode: attempt.mode, refused, message });
    }
  }
  const loaded = refusals.filter((x) => !x.refused);
  if (sameEngine) {
    r.mark(`${r.from.id} and ${r.to.id} share an engine hash: old entries are valid on the new engine`);
  } else if (loaded.length) {
    r.reasons.push(`the new engine did not refuse ${loaded.length} old entr${loaded.length === 1 ? 'y' : 'ies'}: ${loaded.map((x) => `${x.entry} (${x.mode}): ${x.message}`).join('; ')}`);
  }
  r.mark(`old entries on ${r.to.id}: ${refusals.filter((x) => x.refused).length} of ${refusals.length} refused`);
  return refusals;
}

/** Step 8, a drill: a copy of one new entry with one byte flipped must be refused. */
export async function corruptionDrill(r: Rehearsal, goldens: Golden[], newRequests: Map<string, ExecRequest>, newEntryOf: (c: Candidate) => Promise<CacheEntry | undefined>): Promise<CutoverSection['corruption']['drill']> {
  const sample = goldens.map((g) => g.c).find((c) => newRequests.has(c.key));
  if (!sample) return undefined;
  const entry = (await newEntryOf(sample))!;
  const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-drill-'));
  try {
    const copy = join(dir, 'corrupted.cwasm');
    copyFileSync(entry.path, copy);
    const bytes = readFileSync(copy);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(copy, bytes);
    const result = await execOn(r.newServe, { ...newRequests.get(sample.key)!, module: { kind: 'cwasm', path: copy, record: entry.record } });
    const message = 'message' in result && result.message ? result.message : result.status;
    const refused = result.status === 'error' && /refused \.cwasm: sha256/.test(message);
    const drill = { entry: entryKey(entry.compatibilityHash, entry.artifactHash), refused, message };
    if (!refused) r.reasons.push(`a corrupted copy of ${drill.entry} was not refused: ${message}`);
    return drill;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Step 9: cold start per artifact, compiled against loaded from the cache. */
export async function coldStarts(r: Rehearsal, goldens: Golden[], newRequests: Map<string, ExecRequest>, newEntryOf: (c: Candidate) => Promise<CacheEntry | undefined>, rounds: number) {
  const perArtifact = new Map<string, ColdItem>();
  for (const g of goldens) {
    const c = g.c;
    if (perArtifact.has(c.newArtifact.hash) || engineKey(c.engine) !== engineKey({}) || c.testCase.expect?.timeout || c.testCase.expect?.trap) continue;
    const entry = await newEntryOf(c);
    const request = newRequests.get(c.key);
    if (!entry || !request) continue;
    perArtifact.set(c.newArtifact.hash, { suite: c.suite.name, flavor: c.flavor, caseName: c.testCase.name, artifact: c.newArtifact, entry, request });
  }
  const items = [...perArtifact.values()];
  const measured = await measureColdStarts(r.to, items, rounds);
  r.mark(`cold starts measured for ${items.length} artifacts (${rounds} rounds)`);
  return measured;
}

/** Step 10: once the old runtime has served its share, the stream switches to the new runtime; every call is accounted for. */
export async function switchOver(r: Rehearsal, serving: ReturnType<typeof startServing>, goldens: Golden[], newRequests: Map<string, ExecRequest>, timing: { oldServingMs: number; afterMs: number }) {
  const { stream, streamCases, notStreamed } = serving;
  const waitMore = timing.oldServingMs - (performance.now() - serving.startedAt);
  if (waitMore > 0) await sleep(waitMore);
  const byKey = new Map(goldens.map((g) => [g.c.key, g]));
  // A golden case without a new entry (its fill failed) is still sent to the new runtime, compiling the artifact, and judged.
  const newTarget: StreamTarget = { runtime: r.to.id, worker: r.newServe, request: (sc) => newRequests.get(sc.key) ?? compiledRequest(byKey.get(sc.key)!.c) };
  const issuedAtSwitch = stream.issued;
  const inFlight = stream.switchTo(newTarget, 'after-switch');
  r.mark(`switched to ${r.to.id} with ${inFlight} calls in flight on ${r.from.id}`);
  await r.options.seams?.afterSwitch?.({ oldPid: r.oldServe.pid, newPid: r.newServe.pid });
  await sleep(timing.afterMs);
  // The new runtime serves every golden case at least once (cases go round in order),
  // however slowly a busy machine answers: a counted round, not only a timed window.
  while (stream.issued - issuedAtSwitch < streamCases.length) await sleep(10);
  const stopped = await stream.stop();
  const summary: CutoverSection['stream'] = { ...stopped.summary, goldenCalls: streamCases.length, notStreamed };
  r.mark(`stream stopped: ${summary.issued} issued, ${summary.served} served, ${summary.failed} failed, ${summary.lost} lost`);
  r.reasons.push(...streamReasons(summary, r.to.id));
  return { summary, latency: stopped.latency };
}

/**
 * Why the serving stream makes a cut-over no-go: calls lost, answered twice or
 * failed, and a new runtime that served no call at all (traffic that never
 * reached it proves nothing about it).
 */
export function streamReasons(stream: CutoverSection['stream'], newRuntime: string): string[] {
  const reasons: string[] = [];
  const servedByNew = stream.byRuntime.find((r) => r.runtime === newRuntime)?.served ?? 0;
  if (servedByNew === 0) reasons.push(`${newRuntime} served no calls after the switch`);
  if (stream.lost) reasons.push(`${stream.lost} calls were lost (issued, never answered)`);
  if (stream.duplicated) reasons.push(`${stream.duplicated} calls were answered twice`);
  if (stream.failed) {
    const by = stream.byRuntime.filter((r) => r.failed).map((r) => `${r.failed} on ${r.runtime}`).join(', ');
    reasons.push(`${stream.failed} served calls failed (${by}), e.g. ${stream.failures[0]?.key}: ${stream.failures[0]?.reason}`);
  }
  return reasons;
}

/** The golden case's request compiling its artifact (no cache entry). */
function compiledRequest(c: Candidate): ExecRequest {
  return requestFor(c, c.newArtifact, { kind: 'file', path: c.newArtifact.path });
}

/** A cell's timings from an exec result, as cell fields. */
function timingsOf(result: Awaited<ReturnType<typeof execOn>>) {
  if (!('timings' in result)) return {};
  const t = result.timings;
  return { timings: { loadMs: ms(t.loadNs), instantiateMs: ms(t.instantiateNs), initMs: ms(t.initNs), callMs: ms(t.callNs), moduleCacheHit: t.moduleCacheHit } };
}

