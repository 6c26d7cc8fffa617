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
// runCutover below runs these steps (cutover/steps.ts) in a run session of
// kind `cutover`: the golden comparison as cells, the rest in the report's
// `cutover` section (cutover/schema.ts).
import { UsageError } from '../errors.js';
import { verdictOf } from '../model/verdict.js';
import type { Report } from '../report/schema.js';
import { artifactRecord, flavorRecords, RunSession } from '../run/session.js';
import { detectAll } from '../toolchains/registry.js';
import { RuntimeWorker } from '../workers/runtime-worker.js';
import { assertWritableCache } from './cache.js';
import { engineKey, engineLabel } from './engines.js';
import { buildAll, type FillResult } from './fill.js';
import { type Candidate, goldenCandidates } from './golden.js';
import { CUTOVER_SCHEMA_VERSION, CutoverSection, type Mismatch } from './schema.js';
import type { ServingStream } from './stream.js';
import type { CutoverOptions, CutoverSeams } from './options.js';
import {
  checkNewEntries,
  checkOldRefused,
  coldStarts,
  compareGoldens,
  corruptionDrill,
  fillNew,
  goldensOnOld,
  type Rehearsal,
  startServing,
  switchOver,
} from './steps.js';

/** The rehearsal's options (cutover/options.ts). */
export type { CutoverOptions, CutoverSeams };

/** What runCutover returns. */
export interface CutoverResult {
  report: Report;
  cutover: CutoverSection;
  exitCode: 0 | 1 | 2 | 130;
}

/** Step 1: the artifacts of the dispatcher suites, and the candidate golden calls over them. */
async function prepareArtifacts(options: CutoverOptions) {
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
  const allArtifacts = [...artifacts, ...[...newArtifacts.values()].filter((a) => !artifacts.includes(a))];
  return { detections, artifacts, allArtifacts, notBuilt, candidates };
}

/** The rehearsal (see the top of this file), step by step, in a run session of kind `cutover`. */
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

  const prepared = await prepareArtifacts(options);
  const { candidates } = prepared;
  mark(`${prepared.artifacts.length} artifacts, ${candidates.length} candidate calls`);

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
  const session = new RunSession(
    options.outDir,
    {
      kind: 'cutover',
      startedAt,
      runtimes: [
        { id: from.id, wasmtimeVersion: fromInfo.wasmtimeVersion, compatibilityHash: fromInfo.compatibilityHash },
        { id: to.id, wasmtimeVersion: toInfo.wasmtimeVersion, compatibilityHash: toInfo.compatibilityHash },
      ],
      flavors: flavorRecords(options.flavors.filter((f) => f.target === 'wasm'), prepared.detections),
      artifacts: prepared.allArtifacts.map(artifactRecord),
    },
    { quiet: true, onInterrupt: (signal) => `${signal} during the cut-over rehearsal`, close: () => Promise.all(workers.map((w) => w.close())) },
  );
  const r: Rehearsal = { options, from, to, root, oldServe, newFill, newServe, emit: session.emit, mark, reasons: [] };

  try {
    const old = await goldensOnOld(r, candidates);
    const { goldens } = old;
    let fill: FillResult | undefined;
    let mismatches: Mismatch[] = [];
    let refusals: CutoverSection['refusals'] = [];
    let corruptionFound: CutoverSection['corruption']['found'] = [];
    let drill: CutoverSection['corruption']['drill'];
    let streamSummary: CutoverSection['stream'] = emptyStream(concurrency);
    let latency: CutoverSection['latency'] = [];
    let coldStart: CutoverSection['coldStart']['items'] = [];

    if (goldens.length === 0) {
      r.reasons.push('no golden cases: nothing in the chosen suites and flavors runs correctly on the old runtime');
    } else {
      const serving = startServing(r, goldens, old.oldRequests, concurrency);
      stream = serving.stream;
      await sleep(beforeMs);
      const filled = await fillNew(r, candidates, serving.stream);
      fill = filled.fill;
      const checked = await checkNewEntries(r, filled.fill, filled.targets);
      corruptionFound = checked.corruptionFound;
      const compared = await compareGoldens(r, goldens, checked.newEntryOf);
      mismatches = compared.mismatches;
      refusals = await checkOldRefused(r, goldens, old.oldEntryOf, filled.fill, fromInfo.compatibilityHash === toInfo.compatibilityHash);
      drill = await corruptionDrill(r, goldens, compared.newRequests, checked.newEntryOf);
      coldStart = await coldStarts(r, goldens, compared.newRequests, checked.newEntryOf, coldRounds);
      const switched = await switchOver(r, serving, goldens, compared.newRequests, { oldServingMs, afterMs });
      stream = undefined;
      streamSummary = switched.summary;
      latency = switched.latency;
    }

    const reasons = r.reasons;
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
      golden: { cases: goldens.length, excluded: old.excluded, notBuilt: prepared.notBuilt },
      mismatches,
      stream: streamSummary,
      latency,
      oldCache: old.oldFill.summary,
      fill: fill?.summary ?? emptyFill(to.id, toInfo.wasmtimeVersion),
      refusals,
      corruption: { ...(drill ? { drill } : {}), found: corruptionFound },
      coldStart: { rounds: coldRounds, items: coldStart },
      engines: await enginesUsed(candidates, old.oldFill, fill),
      timeline,
    });
    const report = session.finish(undefined, { cutover });
    mark(`verdict: ${cutover.verdict}${reasons.length ? ` (${reasons.length} reason${reasons.length === 1 ? '' : 's'})` : ''}; reports in ${options.outDir}`);
    return { report, cutover, exitCode: verdictOf(report).exitCode };
  } finally {
    session.release();
    if (stream) await stream.stop();
    await Promise.all(workers.map((w) => w.close()));
  }
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
