// `doctor`: what each flavor and runtime needs, what is there, what to do.
import type { Command } from 'commander';
import { allFlavors, detectAll } from '../../toolchains/registry.js';
import { printJson } from '../output.js';
import { detectValgrind, VALGRIND_ENV } from '../../bench/callgrind.js';
import { runtimeStatuses } from './runtimes.js';

/** The `doctor` command. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check every flavor toolchain and runtime addon; say what is missing and how to get it')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const [detections, runtimes] = await Promise.all([detectAll(allFlavors), runtimeStatuses()]);
      const flavors = allFlavors.map((f) => ({ id: f.id, ...detections.get(f.id)! }));
      // bench --measure instructions|both counts under valgrind's callgrind.
      const valgrind = detectValgrind();
      const measures = { instructions: valgrind.available ? { available: true, valgrind: valgrind.version, command: valgrind.command } : { available: false, command: valgrind.command, reason: valgrind.reason } };
      if (opts.json) {
        printJson({ flavors, runtimes, measures });
        return;
      }
      process.stdout.write('Flavors\n');
      for (const f of flavors) {
        const versions = Object.entries(f.versions).map(([k, v]) => `${k} ${v}`).join(', ');
        process.stdout.write(`  ${f.available ? 'ok     ' : 'MISSING'} ${f.id}${versions ? `  (${versions})` : ''}\n`);
        for (const m of f.missing) process.stdout.write(`          missing: ${m}\n`);
        if (f.provisionCommand) process.stdout.write(`          provision: ${f.provisionCommand}\n`);
        if (f.howToGet) process.stdout.write(`          note: ${f.howToGet}\n`);
      }
      process.stdout.write('Runtimes\n');
      for (const r of runtimes) {
        process.stdout.write(`  ${r.wasmtimeVersion ? 'ok     ' : 'MISSING'} ${r.id}  pinned ${r.pinned}${r.wasmtimeVersion ? `  hash ${r.compatibilityHash}` : `  ${r.error ?? ''}`}\n`);
      }
      process.stdout.write('Measures\n');
      process.stdout.write('  ok      time  (wall clock)\n');
      process.stdout.write(
        valgrind.available
          ? `  ok      instructions  (${valgrind.version}, ${valgrind.command}: bench --measure instructions|both)\n`
          : `  MISSING instructions  ${valgrind.reason} (or name the binary in ${VALGRIND_ENV})\n`,
      );
    });
}
