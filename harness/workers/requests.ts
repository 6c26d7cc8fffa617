// From a suite case and a built artifact to the worker's exec request: the
// only place that knows how suite call styles map onto the guest ABI. Used by
// run, bench, cutover and ci alike.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { materialize } from '../config/bytes.js';
import type { CaseSpec, Suite } from '../config/suite.js';
import { toHostImport, toLifecycle } from '../config/host-imports.js';
import { joinInside } from '../util/inside.js';
import type { BenchRequest, ExecRequest, Lifecycle, WasmValue } from './protocol.js';

/** What a call runs: its `.wasm` and the life cycle its flavor needs (a BuiltArtifact has both). */
export interface CallTarget {
  path: string;
  lifecycle: Lifecycle;
  /** The flavor that built it: a `prebuilt` module brings its own host imports and life cycle. */
  flavor?: string;
}

/** An exec request and the clean-up of what it needed on disk. */
export interface PreparedCall {
  request: ExecRequest;
  /** Removes the temporary preopened folders. */
  cleanup(): void;
}

/** A suite's `type:value` scalar as a wasm value. */
export function parseScalar(typed: string): WasmValue {
  const [type, ...rest] = typed.split(':');
  return { type: type as WasmValue['type'], value: rest.join(':') };
}

/** Fresh host folders for a command's preopens, filled with the case's files. */
export function makePreopens(dirs: { guest: string; files: Record<string, string> }[]): { preopens: { host: string; guest: string }[]; cleanup(): void } {
  if (dirs.length === 0) return { preopens: [], cleanup() {} };
  const root = mkdtempSync(join(tmpdir(), 'wasm-matrix-dirs-'));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    const preopens = dirs.map((dir, i) => {
      const host = join(root, String(i));
      mkdirSync(host, { recursive: true });
      for (const [rel, content] of Object.entries(dir.files)) {
        // The schema refuses `..`; checked again here, where the files are written.
        const path = joinInside(host, rel, 'fixture file');
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
      return { host, guest: dir.guest };
    });
    return { preopens, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** The exec request of one case on one artifact. */
export function prepareCall(suite: Suite, testCase: CaseSpec, artifact: CallTarget): PreparedCall {
  const call = testCase.call;
  const engine = {
    ...(testCase.fuel !== undefined ? { fuel: true } : {}),
    ...(testCase.memoryLimitBytes !== undefined ? { memoryLimitBytes: testCase.memoryLimitBytes } : {}),
  };
  const common = {
    type: 'exec' as const,
    engine,
    module: { kind: 'file' as const, path: artifact.path },
    timeoutMs: testCase.timeoutMs ?? suite.defaultTimeoutMs,
    ...(testCase.fuel !== undefined ? { fuel: testCase.fuel } : {}),
  };
  if (call.style === 'command') {
    const { preopens, cleanup } = makePreopens(call.dirs);
    const request: ExecRequest = {
      ...common,
      instance: {
        args: [suite.name, ...call.args],
        env: Object.entries(call.env).map(([k, v]) => `${k}=${v}`),
        preopens,
        ...(call.stdin ? { stdin: materialize(call.stdin) } : {}),
      },
      lifecycle: 'none',
      call: { style: 'command' },
    };
    return { request, cleanup };
  }
  // A prebuilt module of a real platform brings its own imports and start-up convention.
  const prebuilt = artifact.flavor === 'prebuilt' ? suite.sources.prebuilt : undefined;
  const request: ExecRequest = {
    ...common,
    instance: { args: [suite.name], ...(prebuilt?.hostImports ? { hostImports: prebuilt.hostImports.map(toHostImport) } : {}) },
    lifecycle: prebuilt?.lifecycle ? toLifecycle(prebuilt.lifecycle) : artifact.lifecycle,
    call:
      call.style === 'invoke'
        ? { style: 'invoke', name: testCase.name, input: materialize(call.input) }
        : { style: 'export', name: call.export, args: call.args.map(parseScalar) },
  };
  return { request, cleanup() {} };
}

/** What a timed or counted request takes over from a prepared exec request: engine, module, instance, life cycle, call, fuel. */
export function sameCallAs(exec: PreparedCall['request']) {
  return {
    ...(exec.engine ? { engine: exec.engine } : {}),
    module: exec.module,
    ...(exec.instance ? { instance: exec.instance } : {}),
    ...(exec.lifecycle ? { lifecycle: exec.lifecycle } : {}),
    call: exec.call,
    ...(exec.fuel !== undefined ? { fuel: exec.fuel } : {}),
  };
}

/** The timed form of a prepared exec request: the same module, instance and call, timed for `budget`. */
export function benchRequestOf(
  exec: PreparedCall['request'],
  budget: { budgetMs: number; minIterations: number },
): BenchRequest {
  return {
    type: 'bench',
    ...sameCallAs(exec),
    budgetMs: budget.budgetMs,
    minIterations: budget.minIterations,
    timeoutMs: exec.timeoutMs ?? 10_000,
  };
}
