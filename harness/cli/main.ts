#!/usr/bin/env node
// wasm-matrix command line: parses arguments (commander) and hands each
// command to its stage. Every command prints human text by default and JSON
// with --json; errors go to stderr with the exit codes of cli/exit.ts.
import { CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { EXIT_FAILED, EXIT_USAGE } from './exit.js';
import { buildProgram } from './program.js';

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
