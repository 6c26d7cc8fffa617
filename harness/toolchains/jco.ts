// The component tools of the clang-wasi-p2 flavor: @bytecodealliance/jco,
// installed in its own folder (harness/toolchains/jco, own lock file) so its
// dependencies (a TypeScript 6 among them, whose `tsc` would shadow ours)
// never mix with the harness's packages. Loaded on first use.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../paths.js';

/** Where setup.sh installs jco (an install folder, not a stage). */
export const jcoDir = join(projectRoot, 'harness', 'toolchains', 'jco');
const jcoPackage = join(jcoDir, 'node_modules', '@bytecodealliance', 'jco');
/** The command that installs jco from its lock file. */
export const JCO_PROVISION_COMMAND = `npm ci --no-audit --no-fund --prefix ${join('harness', 'toolchains', 'jco')}`;

/** What the flavor uses of jco's package-root API (dist/api.d.ts). */
export interface JcoApi {
  componentNew(binary: Uint8Array, adapters?: [string, Uint8Array][] | null): Promise<Uint8Array>;
  componentEmbed(options: { binary?: Uint8Array; witSource?: string; world?: string; stringEncoding?: string }): Promise<Uint8Array>;
  componentWit(binary: Uint8Array, document?: string): Promise<string>;
  /** WAT text (core or component) to binary. */
  parse(wat: string): Promise<Uint8Array>;
  preview1AdapterCommandPath(): URL;
  preview1AdapterReactorPath(): URL;
}

/** The installed jco version, or undefined when it is not installed. */
export function jcoVersion(): string | undefined {
  const manifest = join(jcoPackage, 'package.json');
  if (!existsSync(manifest)) return undefined;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

let api: Promise<JcoApi> | undefined;

/** jco's API, loaded once per process; rejects naming the install command when jco is missing. */
export function loadJco(): Promise<JcoApi> {
  if (!jcoVersion()) return Promise.reject(new Error(`@bytecodealliance/jco is not installed; run: ${JCO_PROVISION_COMMAND}`));
  return (api ??= import(pathToFileURL(join(jcoPackage, 'dist', 'api.js')).href) as Promise<JcoApi>);
}
