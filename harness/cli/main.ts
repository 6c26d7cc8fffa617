#!/usr/bin/env node
// wasm-matrix command line: parses arguments (commander) and hands each
// command to its stage. Every command prints human text by default and JSON
// with --json; errors go to stderr with the exit codes of cli/exit.ts.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { setSuitesRoot } from '../config/suite.js';
import { leftOutInputs } from './commands/selection.js';
import { EXIT_FAILED, EXIT_USAGE } from './exit.js';
import { registerRuntimeCommands } from './commands/runtimes.js';
import { registerExecCommand } from './commands/exec.js';
import { registerBenchOverheadCommand } from './commands/bench-overhead.js';
import { registerBuildCommand } from './commands/build.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerRunCommand } from './commands/run.js';
import { registerToolchainCommands } from './commands/toolchains.js';
import { registerCutoverCommand } from './commands/cutover.js';
import { registerCacheCommands } from './commands/cache.js';
import { registerCiCommands } from './commands/ci.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerReportCommand } from './commands/report.js';
import { registerBisectCommand } from './commands/bisect.js';

/** Every command of wasm-matrix. */
export function buildProgram(): Command {
  const program = new Command('wasm-matrix')
    .description('Run WebAssembly guests (C#, C, WAT) on several pinned Wasmtime versions; compare, benchmark, rehearse upgrades.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .option('--suites <dir>', 'the folder of suites (default: the repository\'s suites/, or WASM_MATRIX_SUITES_DIR)')
    .exitOverride();
  program.hook('preAction', () => {
    const dir = program.opts<{ suites?: string }>().suites;
    if (dir !== undefined) setSuitesRoot(dir);
  });
  registerRunCommand(program);
  registerBuildCommand(program);
  registerDoctorCommand(program);
  registerRuntimeCommands(program);
  registerExecCommand(program);
  registerToolchainCommands(program);
  registerCutoverCommand(program);
  registerCacheCommands(program);
  registerCiCommands(program);
  registerReportCommand(program);
  registerBenchCommand(program);
  registerBenchOverheadCommand(program);
  registerBisectCommand(program);
  return program;
}

// A file system error on a path the user named (a file where a folder was
// expected, no permission, no such file) is bad input: one line, exit 2.
const FILE_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS', 'ELOOP', 'ENAMETOOLONG', 'ENOSPC', 'EFBIG', 'ERR_FS_FILE_TOO_LARGE']);

function fileProblem(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || !err.code || !FILE_CODES.has(err.code)) return undefined;
  const where = err.path ? `${err.path}: ` : '';
  return `${where}${err.message.replace(/^[A-Z_]+: /, '').replace(/, \w+ '[^']*'$/, '')}`;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    const code = process.exitCode === undefined ? 0 : Number(process.exitCode);
    // A broken suite was left out while the others ran: bad input, exit 2.
    return leftOutInputs().length && code < EXIT_USAGE ? EXIT_USAGE : code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`wasm-matrix: ${e.message}\n`);
      return EXIT_USAGE;
    }
    const fsProblem = fileProblem(e);
    if (fsProblem) {
      process.stderr.write(`wasm-matrix: ${fsProblem}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`wasm-matrix: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_FAILED;
  }
}

// Run only as the program: tests import buildProgram to parse command lines (the
// example workflow's) with the same commander tree.
const invoked = process.argv[1] ? pathToFileURL(realpathSync(process.argv[1])).href : '';
if (invoked === import.meta.url) {
  const code = await main(process.argv);
  process.exit(code);
}
