// `toolchains provision FLAVOR`: install a pinned toolchain into the cache.
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { flavorById } from '../../toolchains/registry.js';

/** The `toolchains` commands. */
export function registerToolchainCommands(program: Command): void {
  const toolchains = program.command('toolchains').description('pinned toolchains in the cache');
  toolchains
    .command('provision')
    .argument('<flavor>', 'the flavor whose toolchain to install')
    .description('download (checked against its pinned sha256 or SHA-512) and install a flavor toolchain; does nothing when its version stamp is present')
    .action(async (id: string) => {
      const flavor = flavorById(id);
      if (!flavor.provision) {
        const d = await flavor.detect();
        throw new UsageError(`${id} is not provisioned by wasm-matrix${d.provisionCommand ? `; install it with: ${d.provisionCommand}` : ''}`);
      }
      await flavor.provision((line) => process.stderr.write(`${line}\n`));
      const after = await flavor.detect();
      process.stdout.write(after.available ? `${id}: ready\n` : `${id}: still missing ${after.missing.join('; ')}\n`);
      if (!after.available) process.exitCode = 1;
    });
}
