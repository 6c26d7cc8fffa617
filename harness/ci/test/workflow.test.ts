// The example nightly workflow on its first night: actionlint passes on it,
// and every `wasm-matrix` command line in its `run:` steps parses with the
// CLI's own commander program (unknown commands, options and bad values fail).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseShard } from '../../cli/commands/selection.js';
import { buildProgram } from '../../cli/main.js';
import { flavorById } from '../../toolchains/registry.js';
import { projectRoot } from '../../paths.js';
import { ci } from './helpers.js';

const WORKFLOW = join(projectRoot, '.github', 'workflows', 'nightly.example.yml');
const CLI = 'node dist/harness/cli/main.js';

/** The text of every `run:` step: one-line values and `|` blocks. */
export function runScripts(yaml: string): string[] {
  const lines = yaml.split('\n');
  const scripts: string[] = [];
  lines.forEach((line, i) => {
    const m = /^(\s*)(?:- )?run: (.*)$/.exec(line);
    if (!m) return;
    if (m[2] !== '|') return void scripts.push(m[2]!);
    const indent = line.search(/\S/);
    const block: string[] = [];
    for (let j = i + 1; j < lines.length && (lines[j]!.trim() === '' || lines[j]!.search(/\S/) > indent); j++) block.push(lines[j]!.trim());
    scripts.push(block.join('\n'));
  });
  return scripts;
}

/** Shell words of one command (quotes removed, `$VAR` from `vars`). */
export function shellWords(text: string, vars: Record<string, string>): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '$' && quote === '"') {
        const name = /^\$(\w+)/.exec(text.slice(i))![1]!;
        if (!(name in vars)) throw new Error(`unknown variable $${name} in: ${text}`);
        word += vars[name];
        i += name.length;
      } else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started || word) words.push(word);
      word = '';
      started = false;
    } else if (c === '$') {
      const name = /^\$(\w+)/.exec(text.slice(i))![1]!;
      if (!(name in vars)) throw new Error(`unknown variable $${name} in: ${text}`);
      word += vars[name];
      i += name.length;
    } else word += c;
  }
  if (quote) throw new Error(`unterminated quote in: ${text}`);
  if (started || word) words.push(word);
  return words;
}

/** Each wasm-matrix invocation: the words after `node dist/harness/cli/main.js`, up to the shell's next operator. */
export function invocations(script: string, expressions: Record<string, string>, vars: Record<string, string>): string[][] {
  const expanded = script.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in expressions)) throw new Error(`no test value for \${{ ${expr} }}`);
    return expressions[expr]!;
  });
  const found: string[][] = [];
  for (const part of expanded.split(CLI).slice(1)) {
    const args = part.split(/\)|\|\||&&|;|>>|\n/)[0]!;
    found.push(shellWords(args.trim(), vars));
  }
  return found;
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/**
 * Parses argv with the real CLI program, every action replaced by one that only checks
 * the values the real actions check first (shards, flavor names); throws what commander
 * or those checks throw.
 */
export async function parseWithCli(argv: string[]): Promise<string> {
  const program = buildProgram();
  let ran = '';
  for (const cmd of allCommands(program)) {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    if (cmd === program) continue;
    cmd.action((...args: unknown[]) => {
      const opts = cmd.opts() as { shard?: string; flavor?: string[] };
      parseShard(opts.shard);
      for (const f of opts.flavor ?? []) flavorById(f);
      if (cmd.name() === 'provision') flavorById(String(args[0]));
      ran = cmd.name();
    });
  }
  await program.parseAsync(['node', 'wasm-matrix', ...argv]);
  if (!ran) throw new Error(`no command ran for: ${argv.join(' ')}`);
  return ran;
}

function findActionlint(): string | undefined {
  const candidates = [process.env.ACTIONLINT, join(process.env.GOPATH ?? join(homedir(), 'go'), 'bin', 'actionlint')].filter((p): p is string => !!p);
  for (const c of candidates) if (existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v actionlint'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

const actionlint = findActionlint();
if (!actionlint) console.warn('actionlint test skipped: actionlint is not installed (harness/setup.sh installs it with `go install` when Go is present)');

describe('the example nightly workflow', () => {
  it.skipIf(!actionlint)('passes actionlint', () => {
    const out = spawnSync(actionlint!, ['-no-color', WORKFLOW], { encoding: 'utf8' });
    expect(out.stdout + out.stderr).toBe('');
    expect(out.status).toBe(0);
  });

  it.skipIf(!actionlint)('actionlint does fail on a broken workflow (the check can fail)', () => {
    const broken = readFileSync(WORKFLOW, 'utf8').replace('needs: [toolchain, plan]', 'needs: [toolchain, plan, nosuchjob]');
    const out = spawnSync(actionlint!, ['-no-color', '-'], { input: broken, encoding: 'utf8' });
    expect(out.status).not.toBe(0);
    expect(out.stdout).toMatch(/nosuchjob/);
  });

  it('uses only wasm-matrix commands, options and values that the CLI parses', async () => {
    // The matrix args are what `plan --format github` really prints.
    const plan = await ci(['plan', '--shards', '4', '--format', 'github']);
    expect(plan.code, plan.stderr).toBe(0);
    const include = (JSON.parse(plan.stdout) as { include: Array<{ args: string }> }).include;
    const expressions = {
      'matrix.args': include[0]!.args,
      'needs.toolchain.outputs.pack_sha256': 'a'.repeat(64),
      'vars.EXTERNAL_WASM_DIR': 'external-programs',
      'vars.WASI_SDK_20_SHA256': 'b'.repeat(64),
    };
    const vars = { SHARDS: '4', RUNNER_TEMP: '/tmp/runner', WASI_SDK_20_SHA256: 'b'.repeat(64), archive: '/tmp/a.tgz', GITHUB_ENV: '/tmp/env', GITHUB_OUTPUT: '/tmp/out', GITHUB_STEP_SUMMARY: '/tmp/sum', code: '0' };
    const calls = runScripts(readFileSync(WORKFLOW, 'utf8')).flatMap((s) => invocations(s, expressions, vars));
    const ran: string[] = [];
    for (const argv of calls) ran.push(`${await parseWithCli(argv).catch((e: Error) => `FAILED ${argv.join(' ')}: ${e.message}`)}`);
    expect(ran.filter((r) => r.startsWith('FAILED'))).toEqual([]);
    expect(ran).toEqual(['provision', 'provision', 'doctor', 'pack', 'plan', 'unpack', 'run', 'run', 'merge']);
  });

  it('the parser check fails on an option or a value the CLI does not have', async () => {
    await expect(parseWithCli(['toolchains', 'provision', 'mono-interp', '--no-such-flag'])).rejects.toThrow(/unknown option '--no-such-flag'/);
    await expect(parseWithCli(['run', '--shard', '5/4'])).rejects.toThrow(/shard/);
    await expect(parseWithCli(['toolchains', 'provision', 'mono-interpp'])).rejects.toThrow(/mono-interpp/);
    await expect(parseWithCli(['unpack'])).rejects.toThrow(/missing required argument 'file'/);
    await expect(parseWithCli(['nosuchcommand'])).rejects.toThrow(/unknown command|no command ran/);
  });
});
