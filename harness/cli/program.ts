// The wasm-matrix command tree (commander), without running anything: main.ts
// parses with it, and tests check command lines (the example workflow's)
// against the same parser.
import { Command } from 'commander';
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
  return program;
}

