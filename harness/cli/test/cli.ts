// Runs the compiled CLI as a user would, capturing output and exit code.
import { execa } from 'execa';
import { join } from 'node:path';
import { projectRoot } from '../../paths.js';

export const cliPath = join(projectRoot, 'dist', 'harness', 'cli', 'main.js');

export async function cli(args: string[], opts: { env?: Record<string, string>; timeout?: number } = {}) {
  const r = await execa('node', [cliPath, ...args], { reject: false, env: opts.env, timeout: opts.timeout ?? 300_000 });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
