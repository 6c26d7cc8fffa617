#!/usr/bin/env node
// wasm-matrix command line: parses arguments (commander) and hands each
// command to its stage. Every command prints human text by default and JSON
// with --json; errors go to stderr with the exit codes of cli/exit.ts.
import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
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
import { registerBisectCommand } from './commands/bisect.js';

export function buildProgram(): Command {
  const program = new Command('wasm-matrix')
    .description('Run WebAssembly guests (C#, C, WAT) on several pinned Wasmtime versions; compare, benchmark, rehearse upgrades.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRunCommand(program);
  registerBuildCommand(program);
  registerDoctorCommand(program);
  registerRuntimeCommands(program);
  registerExecCommand(program);
  registerToolchainCommands(program);
  registerCutoverCommand(program);
  registerCacheCommands(program);
  registerCiCommands(program);
  registerBenchCommand(program);
  registerBenchOverheadCommand(program);
  registerBisectCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`wasm-matrix: ${e.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`wasm-matrix: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_FAILED;
  }
}

const code = await main(process.argv);
process.exit(code);
