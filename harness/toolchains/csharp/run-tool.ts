// Runs a build tool, streaming each output line to the build log as it
// arrives and keeping the whole output for the diagnostics parser.
import { createInterface } from 'node:readline';
import { execa } from 'execa';

/** A finished tool run: exit code, output and the command line. */
export interface ToolRun {
  /** -1 when the tool could not be started (see `error`). */
  exitCode: number;
  /** stdout and stderr, interleaved as the tool wrote them. */
  output: string;
  commandLine: string;
  error?: string;
}

/** How to run a tool: folder, env, timeout. */
export interface ToolOptions {
  cwd?: string;
  /** Added to the parent's environment. */
  env?: Record<string, string>;
  log?: (line: string) => void;
  timeoutMs?: number;
}

/** A shell-readable rendering of a command, for build logs. */
export function formatCommand(file: string, args: string[]): string {
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [file, ...args].map(quote).join(' ');
}

/** Runs a tool to the end, never throwing for a non-zero exit. */
export async function runTool(file: string, args: string[], opts: ToolOptions = {}): Promise<ToolRun> {
  const commandLine = formatCommand(file, args);
  const subprocess = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    stdin: 'ignore',
    all: true,
    reject: false,
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
  });
  if (opts.log && subprocess.all) {
    const log = opts.log;
    createInterface({ input: subprocess.all, crlfDelay: Infinity }).on('line', (line) => log(line));
  }
  const result = await subprocess;
  const started = result.exitCode !== undefined;
  return {
    exitCode: result.exitCode ?? -1,
    output: typeof result.all === 'string' ? result.all : '',
    commandLine,
    ...(started && !result.timedOut ? {} : { error: result.timedOut ? `timed out after ${opts.timeoutMs} ms` : result.shortMessage }),
  };
}
