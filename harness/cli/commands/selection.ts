// Shared option parsing: which suites, flavors and runtimes a command covers.
// Unknown names are bad usage (exit 2) and the error lists the valid ones.
import type { Command } from 'commander';
import { loadRuntimes, runtimeById, type Runtime } from '../../config/runtimes.js';
import { brokenSuites, loadAllSuites, suiteByName, type Suite } from '../../config/suite.js';
import { UsageError } from '../../errors.js';
import type { BuildOptions, Flavor } from '../../toolchains/flavor.js';
import { allFlavors, flavorById } from '../../toolchains/registry.js';

/** The selection options every run-like command takes. */
export interface SelectionOptions {
  suite?: string[];
  flavor?: string[];
  runtime?: string[];
  configuration?: string;
  reflection?: boolean;
  define?: string[];
  project?: string;
}

/** Adds --suite, --flavor, --runtime and the build options to a command. */
export function addSelectionOptions(command: Command): Command {
  return command
    .option('--suite <name...>', 'only these suites (repeatable)')
    .option('--flavor <id...>', 'only these flavors (repeatable)')
    .option('--runtime <id...>', 'only these runtimes (repeatable)')
    .option('--configuration <cfg>', 'C# build configuration: Release or Debug', 'Release')
    .option('--no-reflection', 'C#: build without reflection (IlcDisableReflection)')
    .option('--define <symbol...>', 'extra preprocessor defines for guest builds')
    .option('--project <path>', 'C#: a user-managed project in place of the generated one');
}

/** The suites, flavors and runtimes chosen. */
export interface Selection {
  suites: Suite[];
  /** Broken suites the selection would have held (all suites chosen): each one line; the command exits 2. */
  inputErrors: string[];
  flavors: Flavor[];
  runtimes: Runtime[];
  buildOptions: BuildOptions;
}

let selectionInputErrors: string[] = [];

/** What the last selection left out (broken suites); main() makes the exit code 2 for it. */
export const leftOutInputs = (): readonly string[] => selectionInputErrors;

/** The chosen suites, flavors and runtimes; unknown names are usage errors listing the valid ones. */
export function resolveSelection(opts: SelectionOptions): Selection {
  const allSuites = loadAllSuites();
  const allRuntimes = loadRuntimes();
  // Named suites must load; with all suites, a broken one is left out and reported.
  const inputErrors = opts.suite ? [] : brokenSuites().map((b) => b.message);
  if (inputErrors.length) selectionInputErrors = inputErrors;
  return {
    inputErrors,
    suites: opts.suite ? opts.suite.map((s) => suiteByName(s, allSuites)) : allSuites,
    flavors: opts.flavor ? opts.flavor.map(flavorById) : allFlavors,
    runtimes: opts.runtime ? opts.runtime.map((r) => runtimeById(r)) : allRuntimes,
    buildOptions: buildOptionsFrom(opts),
  };
}

/** Build options from the command line. */
export function buildOptionsFrom(opts: SelectionOptions): BuildOptions {
  if (opts.configuration !== 'Release' && opts.configuration !== 'Debug') {
    throw new UsageError(`--configuration: "${opts.configuration}" is not Release or Debug`);
  }
  return {
    configuration: opts.configuration,
    reflection: opts.reflection !== false,
    defines: opts.define ?? [],
    ...(opts.project ? { projectPath: opts.project } : {}),
  };
}

/** A `--shard i/n` value; anything out of range is a usage error. */
export function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard: "${text}" is not I/N with 1 <= I <= N`);
  return { index, count };
}
