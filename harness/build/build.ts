// The build stage: one (suite, flavor) to one cached artifact, or a skip with
// the exact reason, or a failure with parsed diagnostics.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { FlavorId, Suite } from '../config/suite.js';
import { cacheDir, projectRoot } from '../paths.js';
import type { BuildOptions, Detection, Diagnostic, Flavor } from '../toolchains/flavor.js';
import type { Lifecycle } from '../workers/protocol.js';
import { artifactHash, lookup, sha256Hex, store } from './artifact-cache.js';
import { findShipped } from './shipped.js';
import { shapeProblems } from './shape.js';
import { summarize, type WasmSummary } from '../util/wasm-summary.js';
import { componentInterfaces } from './component-summary.js';

/** A built artifact: its file, hash, kind and how it starts. */
export interface BuiltArtifact {
  suite: string;
  flavor: FlavorId;
  hash: string;
  path: string;
  kind: 'core-module' | 'component' | 'native';
  sizeBytes: number;
  cacheHit: boolean;
  lifecycle: Lifecycle;
  target: 'wasm' | 'native';
  imports: WasmSummary['imports'];
  exports: WasmSummary['exports'];
}

/** A build: built (with the artifact), skipped (a missing toolchain) or failed (diagnostics). */
export type BuildOutcome =
  | { status: 'built'; artifact: BuiltArtifact; note?: string }
  | { status: 'skipped'; suite: string; flavor: FlavorId; reason: string }
  | { status: 'failed'; suite: string; flavor: FlavorId; diagnostics: Diagnostic[]; log: string[] };

/** Whether the suite has sources in the flavor's language at all. */
export function applies(suite: Suite, flavor: Flavor): boolean {
  const s = suite.sources;
  switch (flavor.language) {
    case 'csharp':
      return !!s.csharp?.length;
    case 'c':
      return !!s.c?.length;
    case 'wat':
      return !!s.wat;
    case 'prebuilt':
      return !!s.prebuilt;
  }
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).isFile())
      .sort();
  } catch {
    return [];
  }
}

/** Every file whose bytes can change the artifact: the suite's sources and the SDK. */
export function inputFiles(suite: Suite, flavor: Flavor): string[] {
  const s = suite.sources;
  const own = (list: string[] | undefined) => (list ?? []).map((p) => resolve(suite.dir, p));
  const sdk = (lang: string) => filesUnder(join(projectRoot, 'suites', 'sdk', lang));
  return [...languageInputs(), ...(flavor.extraInputs ?? [])];
  function languageInputs(): string[] {
  switch (flavor.language) {
    case 'csharp':
      return [...own(s.csharp), ...sdk('csharp')];
    case 'c':
      return [...own(s.c), ...sdk('c')];
    case 'wat':
      return own(s.wat ? [s.wat] : []);
    case 'prebuilt':
      return own(s.prebuilt ? [s.prebuilt.path] : []);
  }
  }
}

/**
 * What an artifact is built from, without the toolchain versions (which a job
 * without the toolchain cannot detect): the key of shipped artifacts.
 */
export function shippingKey(suite: Suite, flavor: Flavor, options: BuildOptions): string {
  const sources = inputFiles(suite, flavor).map((path) => [relative(projectRoot, path), sha256Hex(readFileSync(path))]).sort();
  return sha256Hex(JSON.stringify({ key: 'shipping-v1', flavor: flavor.id, options: { ...options, suiteKind: suite.kind, abi: suite.sources.prebuilt?.abi }, sources }));
}

/** Why a flavor is skipped: what is missing and how to get it. */
export function skipReason(flavor: Flavor, detection: Detection): string {
  const parts = [`${flavor.id} toolchain unavailable: missing ${detection.missing.join('; ')}`];
  if (detection.provisionCommand) parts.push(`provision with: ${detection.provisionCommand}`);
  if (detection.howToGet) parts.push(detection.howToGet);
  return parts.join('. ');
}

/** Builds one (suite, flavor), or takes it from the artifact cache. */
export async function buildArtifact(
  suite: Suite,
  flavor: Flavor,
  options: BuildOptions,
  detection: Detection,
  log: (line: string) => void = () => {},
): Promise<BuildOutcome> {
  if (!detection.available) {
    // A job without this toolchain runs what a toolchain job built and packed (harness/build/shipped.ts).
    const shipped = findShipped(suite.name, flavor.id, shippingKey(suite, flavor, options));
    if (shipped) return { status: 'built', artifact: describe(suite, flavor, shipped.record, shipped.path, true), note: shipped.note };
    return { status: 'skipped', suite: suite.name, flavor: flavor.id, reason: skipReason(flavor, detection) };
  }
  const sources = inputFiles(suite, flavor).map((path) => ({ path: relative(projectRoot, path), bytes: readFileSync(path) }));
  const hash = artifactHash({
    flavor: flavor.id,
    toolchains: detection.versions,
    options: { ...options, suiteKind: suite.kind, abi: suite.sources.prebuilt?.abi },
    sources,
  });
  const found = lookup(hash);
  if ('hit' in found) return { status: 'built', artifact: describe(suite, flavor, found.hit.record, found.hit.path, true) };

  const tmpRoot = join(cacheDir(), 'build-tmp');
  mkdirSync(tmpRoot, { recursive: true });
  const workDir = mkdtempSync(join(tmpRoot, `${suite.name}-${flavor.id}-`));
  const fileName = flavor.target === 'native' ? 'program.exe' : 'module.wasm';
  const outPath = join(workDir, fileName);
  const lines: string[] = [];
  try {
    const result = await flavor.build({ suite, options, workDir, outPath, log: (l) => (lines.push(l), log(l)) });
    if (!result.ok) return { status: 'failed', suite: suite.name, flavor: flavor.id, diagnostics: result.diagnostics, log: lines };
    const bytes = readFileSync(outPath);
    let summary: WasmSummary = { kind: 'core-module', imports: [], exports: [] };
    if (flavor.target === 'wasm') {
      try {
        summary = summarize(bytes);
        if (summary.kind === 'component') {
          // Interfaces stand where a core module's imports name module and field.
          const items = await componentInterfaces(bytes);
          summary.imports = (items?.imports ?? []).map((name) => ({ module: name, name: '', kind: 'instance' }));
          summary.exports = (items?.exports ?? []).map((name) => ({ name, kind: 'instance' }));
        }
      } catch (e) {
        const diagnostics: Diagnostic[] = [{ file: outPath, severity: 'error', message: `the build produced invalid wasm: ${(e as Error).message}` }];
        return { status: 'failed', suite: suite.name, flavor: flavor.id, diagnostics, log: lines };
      }
      const problems = shapeProblems(flavor.id, suite.kind, summary);
      if (problems.length) {
        const diagnostics: Diagnostic[] = problems.map((message) => ({ file: outPath, severity: 'error', message }));
        return { status: 'failed', suite: suite.name, flavor: flavor.id, diagnostics, log: lines };
      }
    }
    const stored = store(
      {
        hash,
        suite: suite.name,
        flavor: flavor.id,
        fileName,
        kind: flavor.target === 'native' ? 'native' : summary.kind,
        toolchains: detection.versions,
        options,
        imports: summary.imports,
        exports: summary.exports,
      },
      bytes,
    );
    const outcome: BuildOutcome = { status: 'built', artifact: describe(suite, flavor, stored.record, stored.path, false) };
    if ('corrupt' in found && found.corrupt) outcome.note = found.corrupt;
    return outcome;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function describe(
  suite: Suite,
  flavor: Flavor,
  record: { hash: string; kind: BuiltArtifact['kind']; sizeBytes: number; imports: BuiltArtifact['imports']; exports: BuiltArtifact['exports'] },
  path: string,
  cacheHit: boolean,
): BuiltArtifact {
  return {
    suite: suite.name,
    flavor: flavor.id,
    hash: record.hash,
    path,
    kind: record.kind,
    sizeBytes: record.sizeBytes,
    cacheHit,
    lifecycle: flavor.lifecycle,
    target: flavor.target,
    imports: record.imports,
    exports: record.exports,
  };
}

/** A (suite, flavor) of a selection and its build. */
export interface SelectionBuild {
  suite: Suite;
  flavor: Flavor;
  outcome: BuildOutcome;
}

/**
 * Builds every (suite, flavor) of a selection that applies, one at a time
 * (two cores are better spent on one build), in selection order.
 */
export async function buildSelection(
  suites: Suite[],
  flavors: Flavor[],
  options: BuildOptions,
  detections: Map<string, Detection>,
  hooks: { onStart?: (suite: Suite, flavor: Flavor) => void; log?: (suite: Suite, flavor: Flavor) => ((line: string) => void) | undefined } = {},
): Promise<SelectionBuild[]> {
  const builds: SelectionBuild[] = [];
  for (const suite of suites) {
    for (const flavor of flavors) {
      if (!applies(suite, flavor)) continue;
      hooks.onStart?.(suite, flavor);
      const outcome = await buildArtifact(suite, flavor, options, detections.get(flavor.id)!, hooks.log?.(suite, flavor));
      builds.push({ suite, flavor, outcome });
    }
  }
  return builds;
}

/** A failed build in one line: its first error with file and line, or the log's tail. */
export function failureSummary(build: Extract<BuildOutcome, { status: 'failed' }>): string {
  const d = build.diagnostics.find((x) => x.severity === 'error') ?? build.diagnostics[0];
  if (!d) return build.log.slice(-3).join(' | ') || 'no diagnostics';
  return `${d.file ?? ''}${d.line ? `:${d.line}` : ''} ${d.code ?? ''} ${d.message}`.replace(/\s+/g, ' ').trim();
}
