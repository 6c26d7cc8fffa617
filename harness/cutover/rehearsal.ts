// The cut-over rehearsal (DESIGN.md, "Cut-over rehearsal"):
//
//   1. build the artifacts; the old runtime makes sure its own cache entries
//      exist (the cache a host already has) and answers every candidate once:
//      those it gets right are the golden cases;
//   2. the old runtime serves a steady stream of golden calls from its worker
//      ("before-fill"), while the new runtime fills its cache in another worker
//      ("during-fill");
//   3. while the old one keeps serving ("after-fill"): every entry is checked
//      before use (a corrupt one is refused and recompiled), a fresh worker of
//      the new runtime answers every golden case from the cache and is compared
//      with the old answers, the new engine must refuse the old entries, a
//      corrupted copy of an entry must be refused, and cold starts are timed;
//   4. the stream switches to the new runtime's worker ("after-switch"); every
//      call issued is counted until it has exactly one answer.
//
// Everything lands in a report written through ReportWriter (kind `cutover`):
// the golden comparison as cells, the rest in `cutover` (cutover/schema.ts).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltArtifact } from '../build/build.js';
import type { Runtime } from '../config/runtimes.js';
import type { Suite } from '../config/suite.js';
import type { RawResult } from '../compare/observe.js';
import { UsageError } from '../errors.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../report/schema.js';
import { ReportWriter } from '../report/writer.js';
import { detectAll } from '../toolchains/registry.js';
import { rawFromExec } from '../run/requests.js';
import type { BuildOptions, Flavor } from '../toolchains/flavor.js';
import { execOn } from '../workers/exec.js';
import type { ExecRequest } from '../workers/protocol.js';
import { RuntimeWorker } from '../workers/runtime-worker.js';
import { assertWritableCache, type CacheEntry, ensureEntry, lookupEntry } from './cache.js';
import { type ColdItem, measureColdStarts } from './cold.js';
import { engineKey, engineLabel } from './engines.js';
import { buildAll, entryKey, fillCache, type FillResult, type FillTarget } from './fill.js';
import {
  type Candidate,
  goldenCandidates,
  goldenOnOld,
  isCutoverProblem,
  judgeAgainstGolden,
  judgeOld,
  notStreamedBecause,
  oldCellKey,
  requestFor,
  toCell,
} from './golden.js';
import { CUTOVER_SCHEMA_VERSION, CutoverSection, type Mismatch } from './schema.js';
import { ServingStream, type StreamCase, type StreamTarget } from './stream.js';

export interface CutoverSeams {
  /** An artifact the new runtime gets in place of `artifact` (a change on the new side only). */
  newArtifact?: (artifact: BuiltArtifact) => BuiltArtifact | undefined;
  /** After the new runtime filled its cache, before anything is loaded from it. */
  afterFill?: (ctx: { root: string; entries: CacheEntry[] }) => void | Promise<void>;
  /** Called once the stream runs on the new runtime. */
  afterSwitch?: (ctx: { oldPid: number | undefined; newPid: number | undefined }) => void | Promise<void>;
}

export interface CutoverOptions {
  from: Runtime;
  to: Runtime;
  suites: Suite[];
  flavors: Flavor[];
  cacheRoot: string;
  outDir: string;
  /** Old serving time is at least 3/4 of it; the new runtime serves the last 1/4. */
  durationS: number;
  buildOptions?: BuildOptions;
  /** Golden calls in flight at once (default 2). */
  concurrency?: number;
  /** Fresh worker processes per cold-start measurement (default 3). */
  coldRounds?: number;
  quiet?: boolean;
  seams?: CutoverSeams;
}

export interface CutoverResult {
  report: Report;
  cutover: CutoverSection;
  exitCode: 0 | 1;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (ns: number) => ns / 1e6;

interface Golden {
  c: Candidate;
  /** The old runtime's answer: the golden one. */
  raw: RawResult;
}

function uniqueTargets(list: { artifact: BuiltArtifact; engine: Candidate['engine'] }[]): FillTarget[] {
  const seen = new Map<string, FillTarget>();
  for (const t of list) seen.set(`${t.artifact.hash}/${engineKey(t.engine)}`, t);
  return [...seen.values()];
}

export async function runCutover(options: CutoverOptions): Promise<CutoverResult> {
  const { from, to } = options;
  if (from.id === to.id) throw new UsageError(`--from and --to are both ${from.id}: a cut-over needs two different runtimes`);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const root = options.cacheRoot;
  const timeline: CutoverSection['timeline'] = [];
  const mark = (event: string) => {
    timeline.push({ atMs: performance.now() - t0, event });
    if (!options.quiet) process.stderr.write(`cutover: ${event}\n`);
  };
  assertWritableCache(root);
  const durationMs = options.durationS * 1000;
  const beforeMs = Math.max(300, durationMs / 4);
  const oldServingMs = Math.max(900, (durationMs * 3) / 4);
  const afterMs = Math.max(300, durationMs / 4);
  const concurrency = options.concurrency ?? 2;
  const coldRounds = options.coldRounds ?? 3;

  // 1. Artifacts.
  const detections = await detectAll(options.flavors);
  // Golden calls come from dispatcher suites; a command suite's programs are run per case, not served.
  const served = options.suites.filter((s) => s.kind === 'dispatcher');
  const { builds, artifacts } = await buildAll(served, options.flavors, options.buildOptions, detections);
  const notBuilt = builds.flatMap((b) => {
    if (b.status === 'skipped') return [{ suite: b.suite, flavor: b.flavor, reason: b.reason }];
    if (b.status === 'failed') return [{ suite: b.suite, flavor: b.flavor, reason: `build failed: ${b.diagnostics[0]?.message ?? 'no diagnostics'}` }];
    if (b.artifact.kind === 'native') return [{ suite: b.artifact.suite, flavor: b.artifact.flavor, reason: 'a native program: not cached' }];
    return [];
  });
  const newArtifacts = new Map(artifacts.map((a) => [a.hash, options.seams?.newArtifact?.(a) ?? a]));
  const candidates = goldenCandidates(options.suites, artifacts, (a) => newArtifacts.get(a.hash) ?? a);
  mark(`${artifacts.length} artifacts, ${candidates.length} candidate calls`);

  // Workers: the old runtime serves; the new one fills in one worker and serves from another.
  const oldServe = new RuntimeWorker(from);
  const newFill = new RuntimeWorker(to);
  const newServe = new RuntimeWorker(to);
  const workers = [oldServe, newFill, newServe];
  let stream: ServingStream | undefined;

  let fromInfo, toInfo;
  try {
    [fromInfo, toInfo] = await Promise.all([oldServe.describe(), newFill.describe()]);
  } catch (e) {
    await Promise.all(workers.map((w) => w.close()));
    throw e;
  }
  const allArtifacts = [...artifacts, ...[...newArtifacts.values()].filter((a) => !artifacts.includes(a))];
  const writer = new ReportWriter(options.outDir, {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'wasm-matrix',
    kind: 'cutover',
    startedAt,
    complete: false,
    host: { platform: process.platform, arch: process.arch, node: process.version, cpus: cpus().length },
    runtimes: [
      { id: from.id, wasmtimeVersion: fromInfo.wasmtimeVersion, compatibilityHash: fromInfo.compatibilityHash },
      { id: to.id, wasmtimeVersion: toInfo.wasmtimeVersion, compatibilityHash: toInfo.compatibilityHash },
    ],
    flavors: options.flavors
      .filter((f) => f.target === 'wasm')
      .map((f) => {
        const d = detections.get(f.id)!;
        return { id: f.id, available: d.available, versions: d.versions, ...(d.available ? {} : { reason: d.missing.join('; ') }) };
      }),
    artifacts: allArtifacts.map((a) => ({ suite: a.suite, flavor: a.flavor, hash: a.hash, sizeBytes: a.sizeBytes, kind: a.kind, cacheHit: a.cacheHit })),
  });

  const onSignal = (signal: NodeJS.Signals) => {
    writer.markInterrupted(`${signal} during the cut-over rehearsal`);
    for (const w of workers) void w.close();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // 1b. The old runtime's own cache, and its answers: the golden ones.
    const oldFill = await fillCache({ root, worker: oldServe, targets: uniqueTargets(candidates.map((c) => ({ artifact: c.artifact, engine: c.engine }))) });
    mark(`old cache: ${oldFill.summary.counts.present} present, ${oldFill.summary.counts.filled + oldFill.summary.counts.replaced} made, ${oldFill.summary.counts.failed} failed`);
    const oldEntryOf = async (c: Candidate): Promise<CacheEntry | undefined> => oldFill.entries.get(entryKey(await oldFill.hashes.of(c.engine), c.artifact.hash));

    const goldens: Golden[] = [];
    const excluded: CutoverSection['golden']['excluded'] = options.suites
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
      const result = await execOn(oldServe, request);
      const raw = rawFromExec(result);
      const j = judgeOld(c, raw);
      const golden = goldenOnOld(c, j);
      if (!golden.golden) {
        excluded.push({ key: c.key, reason: golden.reason });
        continue;
      }
      goldens.push({ c, raw });
      oldRequests.set(c.key, request);
      writer.addCell(toCell(c, from.id, c.artifact, j, { pid: result.pid, ...timingsOf(result) }));
    }
    mark(`${goldens.length} golden cases on ${from.id} (${excluded.length} left out)`);

    const reasons: string[] = [];
    const mismatches: Mismatch[] = [];
    const refusals: CutoverSection['refusals'] = [];
    const corruptionFound: CutoverSection['corruption']['found'] = [];
    let drill: CutoverSection['corruption']['drill'];
    let fill: FillResult | undefined;
    let coldItems: ColdItem[] = [];
    let streamSummary: CutoverSection['stream'] = emptyStream(concurrency);
    let latency: CutoverSection['latency'] = [];
    let coldStart: CutoverSection['coldStart']['items'] = [];

    if (goldens.length === 0) {
      reasons.push('no golden cases: nothing in the chosen suites and flavors runs correctly on the old runtime');
    } else {
      // 2. The old runtime serves; the new one fills.
      const byKey = new Map(goldens.map((g) => [g.c.key, g]));
      const notStreamed = goldens.flatMap((g) => {
        const reason = notStreamedBecause(g.c);
        return reason ? [{ key: g.c.key, reason }] : [];
      });
      const streamed = goldens.filter((g) => notStreamedBecause(g.c) === undefined);
      const streamCases: StreamCase[] = (streamed.length ? streamed : goldens).map((g) => ({
        key: g.c.key,
        check: (raw) => {
          const j = judgeAgainstGolden(g.c, raw, g.raw, from.id);
          return isCutoverProblem(j) ? { ok: false, reason: `${j.status}${j.reason ? `: ${j.reason}` : ''}` } : { ok: true };
        },
      }));
      const oldTarget: StreamTarget = { runtime: from.id, worker: oldServe, request: (sc) => oldRequests.get(sc.key)! };
      stream = new ServingStream(streamCases, oldTarget, { concurrency, watchdogMs: 30_000 });
      const streamStart = performance.now();
      stream.start('before-fill');
      mark(`${from.id} serving ${streamCases.length} golden calls, ${concurrency} in flight`);
      await sleep(beforeMs);

      stream.setWindow('during-fill');
      mark(`${to.id} filling the cache`);
      // Every artifact, for every engine its cases use (not only those with golden cases): the whole cache the host will load.
      const newTargets = uniqueTargets(candidates.map((c) => ({ artifact: c.newArtifact, engine: c.engine })));
      fill = await fillCache({ root, worker: newFill, targets: newTargets });
      stream.setWindow('after-fill');
      mark(`cache filled in ${fill.summary.wallMs.toFixed(0)} ms (${fill.summary.counts.filled} filled, ${fill.summary.counts.present} present, ${fill.summary.counts.failed} failed)`);
      if (fill.summary.counts.failed) reasons.push(`${fill.summary.counts.failed} cache entries could not be filled: ${fill.summary.items.filter((i) => i.status === 'failed').map((i) => `${i.suite}/${i.flavor} (${i.message})`).join('; ')}`);
      await options.seams?.afterFill?.({ root, entries: [...fill.entries.values()] });

      // 3a. Every entry is checked before use; a corrupt one is refused, removed and recompiled.
      const newEntries = new Map<string, CacheEntry>();
      for (const t of newTargets) {
        const compat = await fill.hashes.of(t.engine);
        const key = entryKey(compat, t.artifact.hash);
        if (newEntries.has(key)) continue;
        const found = lookupEntry(root, compat, t.artifact.hash);
        if (found.state === 'hit') {
          newEntries.set(key, found.entry);
          continue;
        }
        if (found.state === 'miss' && !fill.entries.has(key)) continue; // its fill failed (reported above)
        const reason = found.state === 'corrupt' ? found.reason : `${key}: disappeared after the fill`;
        const ensured = await ensureEntry({ root, worker: newFill, engine: t.engine, compatibilityHash: compat, artifact: t.artifact });
        corruptionFound.push({
          entry: key,
          reason,
          recompiled: ensured.status !== 'failed',
          ...(ensured.status === 'failed' ? { message: ensured.message } : {}),
        });
        if (ensured.status !== 'failed') newEntries.set(key, ensured.entry);
        else reasons.push(`corrupt entry ${key} could not be recompiled: ${ensured.message}`);
        mark(`refused corrupt entry ${key}; ${ensured.status === 'failed' ? 'recompiling failed' : 'recompiled'}`);
      }
      const newEntryOf = async (c: Candidate) => newEntries.get(entryKey(await fill!.hashes.of(c.engine), c.newArtifact.hash));

      // 3b. The new runtime answers every golden case from the cache, in a fresh worker.
      const newRequests = new Map<string, ExecRequest>();
      for (const g of goldens) {
        const c = g.c;
        const entry = await newEntryOf(c);
        if (!entry) {
          const j = { status: 'mismatch' as const, oracle: 'none' as const, reason: `no cache entry for ${to.id}: the fill failed` };
          writer.addCell(toCell(c, to.id, c.newArtifact, j, { referenceCell: oldCellKey(c, from.id) }));
          mismatches.push({ key: c.key, suite: c.suite.name, case: c.testCase.name, flavor: c.flavor, reason: j.reason });
          continue;
        }
        const request = requestFor(c, c.newArtifact, { kind: 'cwasm', path: entry.path, record: entry.record });
        newRequests.set(c.key, request);
        const result = await execOn(newServe, request);
        const j = judgeAgainstGolden(c, rawFromExec(result), g.raw, from.id);
        writer.addCell(toCell(c, to.id, c.newArtifact, j, { pid: result.pid, referenceCell: oldCellKey(c, from.id), ...timingsOf(result) }));
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
      mark(`compared ${goldens.length} golden cases: ${mismatches.length} mismatches`);
      if (mismatches.length) {
        const names = mismatches.slice(0, 10).map((m) => m.key);
        reasons.push(`${mismatches.length} golden case${mismatches.length === 1 ? '' : 's'} answer differently on ${to.id}: ${names.join(', ')}${mismatches.length > names.length ? ', ...' : ''}`);
      }

      // 3c. The new engine must refuse the old runtime's entries.
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
          const result = await execOn(newServe, { ...requestFor(c, c.artifact, { kind: 'cwasm', path: oldEntry.path, record: attempt.record }) });
          const message = 'message' in result && result.message ? result.message : result.status;
          const refused = result.status === 'error' && 'phase' in result && result.phase === 'load' && /refused \.cwasm/.test(message);
          refusals.push({ entry: key, artifact: `${c.suite.name}/${c.flavor}`, mode: attempt.mode, refused, message });
        }
      }
      const loaded = refusals.filter((r) => !r.refused);
      if (fromInfo.compatibilityHash === toInfo.compatibilityHash) {
        mark(`${from.id} and ${to.id} share an engine hash: old entries are valid on the new engine`);
      } else if (loaded.length) {
        reasons.push(`the new engine did not refuse ${loaded.length} old entr${loaded.length === 1 ? 'y' : 'ies'}: ${loaded.map((r) => `${r.entry} (${r.mode}): ${r.message}`).join('; ')}`);
      }
      mark(`old entries on ${to.id}: ${refusals.filter((r) => r.refused).length} of ${refusals.length} refused`);

      // 3d. Drill: a copy of one new entry with one byte flipped must be refused.
      const sample = goldens.map((g) => g.c).find((c) => newRequests.has(c.key));
      if (sample) {
        const entry = (await newEntryOf(sample))!;
        const dir = mkdtempSync(join(tmpdir(), 'wasm-matrix-drill-'));
        try {
          const copy = join(dir, 'corrupted.cwasm');
          copyFileSync(entry.path, copy);
          const bytes = readFileSync(copy);
          const at = Math.floor(bytes.length / 2);
          bytes[at] = bytes[at]! ^ 0xff;
          writeFileSync(copy, bytes);
          const result = await execOn(newServe, { ...newRequests.get(sample.key)!, module: { kind: 'cwasm', path: copy, record: entry.record } });
          const message = 'message' in result && result.message ? result.message : result.status;
          const refused = result.status === 'error' && /refused \.cwasm: sha256/.test(message);
          drill = { entry: entryKey(entry.compatibilityHash, entry.artifactHash), refused, message };
          if (!refused) reasons.push(`a corrupted copy of ${drill.entry} was not refused: ${message}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }

      // 3e. Cold start per artifact: compiled against loaded from the cache.
      const perArtifact = new Map<string, ColdItem>();
      for (const g of goldens) {
        const c = g.c;
        if (perArtifact.has(c.newArtifact.hash) || engineKey(c.engine) !== engineKey({}) || c.testCase.expect?.timeout || c.testCase.expect?.trap) continue;
        const entry = await newEntryOf(c);
        const request = newRequests.get(c.key);
        if (!entry || !request) continue;
        perArtifact.set(c.newArtifact.hash, { suite: c.suite.name, flavor: c.flavor, caseName: c.testCase.name, artifact: c.newArtifact, entry, request });
      }
      coldItems = [...perArtifact.values()];
      coldStart = await measureColdStarts(to, coldItems, coldRounds);
      mark(`cold starts measured for ${coldItems.length} artifacts (${coldRounds} rounds)`);

      // 4. Switch, once the old runtime has served its share.
      const waitMore = oldServingMs - (performance.now() - streamStart);
      if (waitMore > 0) await sleep(waitMore);
      // A golden case without a new entry (its fill failed) is still sent to the new runtime, compiling the artifact, and judged.
      const newTarget: StreamTarget = { runtime: to.id, worker: newServe, request: (sc) => newRequests.get(sc.key) ?? compiledRequest(byKey.get(sc.key)!.c) };
      const inFlight = stream.switchTo(newTarget, 'after-switch');
      mark(`switched to ${to.id} with ${inFlight} calls in flight on ${from.id}`);
      await options.seams?.afterSwitch?.({ oldPid: oldServe.pid, newPid: newServe.pid });
      await sleep(afterMs);
      const stopped = await stream.stop();
      stream = undefined;
      streamSummary = { ...stopped.summary, goldenCalls: streamCases.length, notStreamed };
      latency = stopped.latency;
      mark(`stream stopped: ${streamSummary.issued} issued, ${streamSummary.served} served, ${streamSummary.failed} failed, ${streamSummary.lost} lost`);
      if (streamSummary.lost) reasons.push(`${streamSummary.lost} calls were lost (issued, never answered)`);
      if (streamSummary.duplicated) reasons.push(`${streamSummary.duplicated} calls were answered twice`);
      if (streamSummary.failed) {
        const by = streamSummary.byRuntime.filter((r) => r.failed).map((r) => `${r.failed} on ${r.runtime}`).join(', ');
        reasons.push(`${streamSummary.failed} served calls failed (${by}), e.g. ${streamSummary.failures[0]?.key}: ${streamSummary.failures[0]?.reason}`);
      }
    }

    const cutover = CutoverSection.parse({
      schemaVersion: CUTOVER_SCHEMA_VERSION,
      from: { id: from.id, wasmtimeVersion: fromInfo.wasmtimeVersion, compatibilityHash: fromInfo.compatibilityHash },
      to: { id: to.id, wasmtimeVersion: toInfo.wasmtimeVersion, compatibilityHash: toInfo.compatibilityHash },
      cacheDir: root,
      suites: options.suites.map((s) => s.name),
      flavors: options.flavors.map((f) => f.id),
      durationS: options.durationS,
      verdict: reasons.length ? 'no-go' : 'go',
      reasons,
      golden: { cases: goldens.length, excluded, notBuilt },
      mismatches,
      stream: streamSummary,
      latency,
      oldCache: oldFill.summary,
      fill: fill?.summary ?? emptyFill(to.id, toInfo.wasmtimeVersion),
      refusals,
      corruption: { ...(drill ? { drill } : {}), found: corruptionFound },
      coldStart: { rounds: coldRounds, items: coldStart },
      engines: await enginesUsed(candidates, oldFill, fill),
      timeline,
    });
    const report = writer.finish({ cutover });
    mark(`verdict: ${cutover.verdict}${reasons.length ? ` (${reasons.length} reason${reasons.length === 1 ? '' : 's'})` : ''}; reports in ${options.outDir}`);
    return { report, cutover, exitCode: cutover.verdict === 'go' ? 0 : 1 };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (stream) await stream.stop();
    await Promise.all(workers.map((w) => w.close()));
  }
}

function compiledRequest(c: Candidate): ExecRequest {
  return requestFor(c, c.newArtifact, { kind: 'file', path: c.newArtifact.path });
}

function timingsOf(result: Awaited<ReturnType<typeof execOn>>) {
  if (!('timings' in result)) return {};
  const t = result.timings;
  return { timings: { loadMs: ms(t.loadNs), instantiateMs: ms(t.instantiateNs), initMs: ms(t.initNs), callMs: ms(t.callNs), moduleCacheHit: t.moduleCacheHit } };
}

function emptyStream(concurrency: number): CutoverSection['stream'] {
  return { concurrency, goldenCalls: 0, issued: 0, answered: 0, served: 0, failed: 0, lost: 0, duplicated: 0, byRuntime: [], failures: [], notStreamed: [] };
}

function emptyFill(runtime: string, wasmtimeVersion: string): CutoverSection['fill'] {
  return { runtime, wasmtimeVersion, wallMs: 0, precompileMs: 0, entries: 0, counts: { present: 0, filled: 0, replaced: 0, failed: 0 }, bytes: 0, items: [] };
}

async function enginesUsed(candidates: Candidate[], oldFill: FillResult, fill: FillResult | undefined): Promise<CutoverSection['engines']> {
  const seen = new Map<string, Candidate['engine']>();
  for (const c of candidates) seen.set(engineKey(c.engine), c.engine);
  const out: CutoverSection['engines'] = [];
  for (const engine of seen.values()) {
    out.push({ label: engineLabel(engine), options: engine, from: await oldFill.hashes.of(engine), to: fill ? await fill.hashes.of(engine) : '' });
  }
  return out;
}
