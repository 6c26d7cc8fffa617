// Pieces every C# flavor's build shares: the suite's sources, the symbols
// defined for the guest, and turning a tool run into a BuildResult.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import type { Suite } from '../../config/suite.js';
import { hasErrors, parseDiagnostics } from '../diagnostics.js';
import type { BuildOptions, BuildResult, Diagnostic } from '../flavor.js';
import { DEFINE } from './sdk.js';
import type { ToolRun } from './run-tool.js';

/** The assembly (and project) name of every generated guest project. */
export const GUEST_ASSEMBLY = 'WasmMatrixGuest';

/** A suite's C# sources as absolute paths. */
export const csharpSources = (suite: Suite): string[] => (suite.sources.csharp ?? []).map((s) => resolve(suite.dir, s));

const SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Defines reach a compiler command line or an MSBuild property, so only plain identifiers pass. */
export function checkDefines(defines: string[]): void {
  for (const d of defines) {
    if (!SYMBOL.test(d)) throw new UsageError(`build option defines: "${d}" is not a C# conditional compilation symbol`);
  }
}

/** Symbols for the guest: the flavor's own, the suite kind, the reflection toggle, then the user's. */
export function guestDefines(flavorSymbol: string, suite: Suite, options: BuildOptions): string[] {
  checkDefines(options.defines);
  return [
    flavorSymbol,
    ...(suite.kind === 'command' ? [DEFINE.command] : []),
    ...(options.reflection ? [] : [DEFINE.noReflection]),
    ...options.defines,
  ];
}

/** A failed build result with one message. */
export const failure = (message: string, commands: string[] = []): BuildResult => ({
  ok: false,
  diagnostics: [{ severity: 'error', message }],
  commands,
});

/** Sources missing for this flavor: a clear build error rather than a compiler's confusing one. */
export function sourcesProblem(suite: Suite): string | undefined {
  if (csharpSources(suite).length === 0) return `suite ${suite.name} has no C# sources (sources.csharp in ${suite.file})`;
  return undefined;
}

/**
 * The result of a build tool run: diagnostics from its output, success only when it
 * exited 0 and produced `built`, which is then copied to `outPath`.
 */
export function finishBuild(
  run: ToolRun,
  built: string | undefined,
  outPath: string,
  commands: string[],
  where?: { expected: string; searched: string },
): BuildResult {
  const diagnostics: Diagnostic[] = parseDiagnostics(run.output);
  const problem =
    run.error ??
    (run.exitCode !== 0 ? `${run.commandLine.split(' ')[0]} exited with code ${run.exitCode}` : undefined) ??
    (built && existsSync(built) ? undefined : missingOutput(built, where));
  if (problem) {
    // Always at least one error, even when the tool's output had none we could parse.
    if (!hasErrors(diagnostics)) diagnostics.push({ severity: 'error', message: problem });
    return { ok: false, diagnostics, commands };
  }
  if (resolve(built!) !== resolve(outPath)) {
    mkdirSync(dirname(outPath), { recursive: true });
    copyFileSync(built!, outPath);
  }
  return { ok: true, diagnostics, commands };
}

/** Every .wasm under a folder (a few levels deep), to show where a build really wrote its module. */
export function wasmFilesUnder(dir: string, depth = 6): string[] {
  if (depth < 0 || !existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return wasmFilesUnder(path, depth - 1);
    return e.isFile() && e.name.endsWith('.wasm') ? [path] : [];
  });
}

function missingOutput(built: string | undefined, where?: { expected: string; searched: string }): string {
  if (!where) return `the build reported success but produced no ${built ?? 'output'}`;
  const found = wasmFilesUnder(where.searched);
  const wrote = found.length ? `it wrote ${found.join(', ')}` : `there is no .wasm under ${where.searched}`;
  return `the build reported success but produced no ${where.expected}: ${wrote}`;
}

/** `<binDir>/<configuration>/<tfm>/<...tail>/<file>` for whichever target framework was built. */
export function findBuilt(configurationDir: string, tail: string[], file: string): string | undefined {
  if (!existsSync(configurationDir)) return undefined;
  for (const tfm of readdirSync(configurationDir)) {
    const candidate = join(configurationDir, tfm, ...tail, file);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
