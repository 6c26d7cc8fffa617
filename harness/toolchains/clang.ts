// `clang-wasi-O0` and `clang-wasi-O2`: C guests through Debian's clang-14 and
// wasi-libc. Dispatcher suites link the C SDK and build as reactors.
import { resolve, join } from 'node:path';
import { execa } from 'execa';
import { projectRoot } from '../paths.js';
import { parseDiagnostics } from './diagnostics.js';
import type { BuildRequest, BuildResult, Detection, Flavor } from './flavor.js';

const CLANG = process.env.WASM_MATRIX_CLANG ?? 'clang-14';
const DEBIAN_PACKAGES = ['clang-14', 'lld-14', 'wasi-libc', 'libclang-rt-14-dev-wasm32'];
/** The C guest SDK (harness.h and the ABI glue). */
export const cSdkDir = join(projectRoot, 'suites', 'sdk', 'c');

async function packageVersion(name: string): Promise<string | undefined> {
  const r = await execa('dpkg-query', ['-W', '-f=${Version}', name], { reject: false });
  return r.exitCode === 0 && r.stdout ? r.stdout : undefined;
}

async function detectClang(): Promise<Detection> {
  const versions: Record<string, string> = {};
  const missing: string[] = [];
  const clang = await execa(CLANG, ['--version'], { reject: false });
  if (clang.exitCode === 0) versions[CLANG] = clang.stdout.split('\n')[0]!.trim();
  else missing.push(`${CLANG} (not on PATH)`);
  for (const pkg of DEBIAN_PACKAGES.slice(1)) {
    const v = await packageVersion(pkg);
    if (v) versions[pkg] = v;
    else missing.push(`Debian package ${pkg}`);
  }
  return {
    available: missing.length === 0,
    versions,
    missing,
    ...(missing.length ? { provisionCommand: `apt-get install -y ${DEBIAN_PACKAGES.join(' ')}` } : {}),
  };
}

let detection: Promise<Detection> | undefined;

/** clang-14 and the Debian packages it needs, detected once per process. */
export const detectClangOnce = (): Promise<Detection> => (detection ??= detectClang());

/**
 * Compiles a suite's C sources (plus the C SDK for dispatcher suites) and
 * `extraSources` into one core module at `outPath`.
 */
export async function compileC(
  { suite, outPath, log, options }: BuildRequest,
  opt: '-O0' | '-O2',
  extraSources: string[] = [],
): Promise<BuildResult> {
  const dispatcher = suite.kind === 'dispatcher';
  const sources = (suite.sources.c ?? []).map((s) => resolve(suite.dir, s));
  if (dispatcher) sources.push(join(cSdkDir, 'harness.c'));
  sources.push(...extraSources);
  const args = [
    '--target=wasm32-wasi',
    opt,
    '-Wall',
    `-I${cSdkDir}`,
    ...(dispatcher ? ['-mexec-model=reactor'] : []),
    // 1 MiB of shadow stack, as real guests get; the toolchain default is 64 KiB.
    '-Wl,-z,stack-size=1048576',
    ...options.defines.map((d) => `-D${d}`),
    '-o',
    outPath,
    ...sources,
  ];
  const command = `${CLANG} ${args.join(' ')}`;
  log(command);
  const result = await execa(CLANG, args, { reject: false, all: true });
  const output = String(result.all ?? '');
  for (const line of output.split('\n')) if (line) log(line);
  return { ok: result.exitCode === 0, diagnostics: parseDiagnostics(output), commands: [command] };
}

function clangFlavor(id: 'clang-wasi-O0' | 'clang-wasi-O2', opt: '-O0' | '-O2'): Flavor {
  return {
    id,
    language: 'c',
    target: 'wasm',
    lifecycle: 'reactor',
    detect: detectClangOnce,
    build: (request: BuildRequest) => compileC(request, opt),
  };
}

/** C through clang-14 for wasm32-wasi at -O0. */
export const clangO0Flavor = clangFlavor('clang-wasi-O0', '-O0');
/** C through clang-14 for wasm32-wasi at -O2. */
export const clangO2Flavor = clangFlavor('clang-wasi-O2', '-O2');
