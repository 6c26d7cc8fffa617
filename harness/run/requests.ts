// From a suite case and a built artifact to the worker's exec request: the
// only place that knows how suite call styles map onto the guest ABI.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BuiltArtifact } from '../build/build.js';
import { materialize } from '../config/bytes.js';
import type { CaseSpec, Suite } from '../config/suite.js';
import type { ExecResult } from '../workers/exec.js';
import type { ExecRequest, WasmValue } from '../workers/protocol.js';
import { hostCallText, type RawResult } from '../compare/observe.js';
import { toHostImport, toLifecycle } from '../config/host-imports.js';
import { joinInside } from '../util/inside.js';

export interface PreparedCall {
  request: ExecRequest;
  /** Removes the temporary preopened folders. */
  cleanup(): void;
}

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

export function prepareCall(suite: Suite, testCase: CaseSpec, artifact: BuiltArtifact): PreparedCall {
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

const cut = (r: { stdoutTruncated?: true; stderrTruncated?: true }) => ({
  ...(r.stdoutTruncated ? { stdoutTruncated: true as const } : {}),
  ...(r.stderrTruncated ? { stderrTruncated: true as const } : {}),
});

export function rawFromExec(result: ExecResult): RawResult {
  const raw = rawOutcome(result);
  if ('hostCalls' in result && result.hostCalls?.length) raw.hostCalls = result.hostCalls.map(hostCallText);
  if ('lifecycleExport' in result && result.lifecycleExport) raw.lifecycleExport = result.lifecycleExport;
  return raw;
}

function rawOutcome(result: ExecResult): RawResult {
  switch (result.status) {
    case 'ok':
      return {
        status: 'ok',
        ...(result.output ? { output: result.output } : {}),
        ...(result.values ? { values: result.values } : {}),
        ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
        ...(result.stdout ? { stdout: result.stdout } : {}),
        ...(result.stderr ? { stderr: result.stderr } : {}),
        ...cut(result),
      };
    case 'guest-error':
      return { status: 'guest-error', message: result.message ?? '', ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}), ...cut(result) };
    case 'trap':
      return { status: 'trap', trap: result.trap ?? 'other', ...(result.message ? { message: result.message } : {}) };
    case 'timeout':
      return { status: 'timeout', ...(result.message ? { message: result.message } : {}) };
    case 'error':
      return { status: 'error', message: result.message ?? 'error', ...(result.phase ? { phase: result.phase } : {}) };
    case 'crash':
    case 'hang':
      return { status: result.status, message: result.message };
  }
}
