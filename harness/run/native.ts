// The csharp-native reference column: the same C# case code on desktop Mono.
// Dispatcher suites run as one batch per artifact (one mono process); command
// suites run once per case in a fresh working folder holding the case's dirs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BuiltArtifact } from '../build/build.js';
import { materialize } from '../config/bytes.js';
import type { RawResult } from '../compare/observe.js';
import { runNativeCommand, runNativeDispatcher, type NativeCallResult } from '../toolchains/csharp/index.js';
import type { PlannedCell } from './plan.js';
import { joinInside } from '../util/inside.js';

/** A whole batch may take this long at most, whatever the cases ask. */
const MAX_BATCH_MS = 300_000;

function fromDispatcher(result: NativeCallResult): RawResult {
  return result.status === 'ok' ? { status: 'ok', output: result.output } : result;
}

/** A working folder where each of the case's dirs sits at its guest path. */
function workingFolder(dirs: { guest: string; files: Record<string, string> }[]): string {
  const cwd = mkdtempSync(join(tmpdir(), 'wasm-matrix-native-'));
  try {
    for (const dir of dirs) {
      // The schema refuses `..`; checked again here, where the files are written.
      const base = joinInside(cwd, dir.guest, 'guest folder');
      mkdirSync(base, { recursive: true });
      for (const [rel, content] of Object.entries(dir.files)) {
        const path = joinInside(base, rel, 'fixture file');
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
    }
  } catch (e) {
    rmSync(cwd, { recursive: true, force: true });
    throw e;
  }
  return cwd;
}

async function runCommandCell(cell: PlannedCell, exe: string): Promise<RawResult> {
  const call = cell.testCase.call;
  if (call.style !== 'command') return { status: 'error', phase: 'call', message: `a command suite cannot run a ${call.style} case` };
  const cwd = workingFolder(call.dirs);
  try {
    const result = await runNativeCommand(exe, {
      args: call.args,
      env: call.env,
      ...(call.stdin ? { stdin: materialize(call.stdin) } : {}),
      cwd,
      timeoutMs: cell.testCase.timeoutMs ?? cell.suite.defaultTimeoutMs,
    });
    if ('status' in result) return result;
    return { status: 'ok', exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** Runs the csharp-native reference cells on desktop Mono. */
export async function runNativeCells(cells: PlannedCell[], done: (cell: PlannedCell, raw: RawResult) => void): Promise<void> {
  const byArtifact = new Map<string, PlannedCell[]>();
  for (const cell of cells) {
    const artifact = (cell.build as { artifact: BuiltArtifact }).artifact;
    const group = byArtifact.get(artifact.path);
    if (group) group.push(cell);
    else byArtifact.set(artifact.path, [cell]);
  }
  for (const [exe, group] of byArtifact) {
    const dispatcher = group.filter((c) => c.testCase.call.style === 'invoke');
    for (const cell of group.filter((c) => c.testCase.call.style !== 'invoke')) {
      done(cell, cell.suite.kind === 'command' ? await runCommandCell(cell, exe) : { status: 'error', phase: 'call', message: 'raw export calls have no native equivalent' });
    }
    if (dispatcher.length === 0) continue;
    const timeoutMs = Math.min(MAX_BATCH_MS, dispatcher.reduce((sum, c) => sum + (c.testCase.timeoutMs ?? c.suite.defaultTimeoutMs), 0));
    const calls = dispatcher.map((c) => ({ case: c.testCase.name, input: materialize((c.testCase.call as { input: Parameters<typeof materialize>[0] }).input) }));
    const results = await runNativeDispatcher(exe, calls, { timeoutMs });
    dispatcher.forEach((cell, i) => done(cell, fromDispatcher(results[i] ?? { status: 'crash', message: 'no answer from the native runner' })));
  }
}
