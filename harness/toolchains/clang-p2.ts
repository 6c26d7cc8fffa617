// `clang-wasi-p2`: the same C sources as clang-wasi-O2, linked to a core
// module and made a component with the WASI preview1 adapter (jco): the
// command adapter for command suites, the reactor adapter plus the
// `wasm-matrix:guest` world (suites/sdk/wit/guest.wit, exports in
// suites/sdk/c/harness_component.c) for dispatcher suites; every build links
// suites/sdk/c/harness_cabi.c (cabi_realloc, see there why commands need it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cSdkDir, compileC, detectClangOnce } from './clang.js';
import type { BuildRequest, BuildResult, Detection, Flavor } from './flavor.js';
import { JCO_PROVISION_COMMAND, jcoVersion, loadJco } from './jco.js';
import { projectRoot } from '../paths.js';

/** The WIT of the dispatcher world the clang-wasi-p2 guests export. */
export const guestWitPath = join(projectRoot, 'suites', 'sdk', 'wit', 'guest.wit');
/** The world in guest.wit a dispatcher component targets. */
export const GUEST_WORLD = 'guest';

async function detect(): Promise<Detection> {
  const clang = await detectClangOnce();
  const version = jcoVersion();
  const versions = { ...clang.versions, ...(version ? { '@bytecodealliance/jco': version } : {}) };
  const missing = [...clang.missing, ...(version ? [] : ['@bytecodealliance/jco 1.35 (harness/toolchains/jco not installed)'])];
  const commands = [...(clang.provisionCommand ? [clang.provisionCommand] : []), ...(version ? [] : [JCO_PROVISION_COMMAND])];
  return { available: missing.length === 0, versions, missing, ...(commands.length ? { provisionCommand: commands.join(' && ') } : {}) };
}

/** Core module -> component, in place at `outPath`. */
export async function componentize(corePath: string, outPath: string, dispatcher: boolean, log: (line: string) => void): Promise<void> {
  const jco = await loadJco();
  let binary: Uint8Array = readFileSync(corePath);
  if (dispatcher) {
    log(`jco componentEmbed --wit ${guestWitPath} --world ${GUEST_WORLD}`);
    binary = await jco.componentEmbed({ binary, witSource: readFileSync(guestWitPath, 'utf8'), world: GUEST_WORLD, stringEncoding: 'utf8' });
  }
  const adapterPath = dispatcher ? jco.preview1AdapterReactorPath() : jco.preview1AdapterCommandPath();
  log(`jco componentNew --adapt wasi_snapshot_preview1=${adapterPath.pathname}`);
  const component = await jco.componentNew(binary, [['wasi_snapshot_preview1', readFileSync(adapterPath)]]);
  writeFileSync(outPath, component);
}

/** clang for wasm32-wasip1, made a WASI preview 2 component with jco and the preview1 adapter. */
export const clangP2Flavor: Flavor = {
  id: 'clang-wasi-p2',
  language: 'c',
  target: 'wasm',
  lifecycle: 'reactor',
  extraInputs: [guestWitPath],
  detect,
  async build(request: BuildRequest): Promise<BuildResult> {
    const dispatcher = request.suite.kind === 'dispatcher';
    const corePath = join(request.workDir, 'core.wasm');
    const extra = [join(cSdkDir, 'harness_cabi.c'), ...(dispatcher ? [join(cSdkDir, 'harness_component.c')] : [])];
    const core = await compileC({ ...request, outPath: corePath }, '-O2', extra);
    if (!core.ok) return core;
    try {
      await componentize(corePath, request.outPath, dispatcher, request.log);
    } catch (e) {
      const message = `componentizing ${corePath}: ${(e as Error).message}`;
      request.log(message);
      return { ok: false, diagnostics: [{ file: corePath, severity: 'error', message }], commands: core.commands };
    }
    return { ...core, commands: [...core.commands, `jco componentNew (${dispatcher ? 'reactor adapter + wasm-matrix:guest' : 'command adapter'})`] };
  },
};
