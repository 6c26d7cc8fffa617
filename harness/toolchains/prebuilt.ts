// `prebuilt`: a .wasm someone else built. Nothing to compile; the artifact is
// the file itself, checked to be wasm, and its ABI comes from suite.json.
import { copyFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { moduleKind } from '../util/wasm-summary.js';
import type { BuildRequest, BuildResult, Detection, Flavor } from './flavor.js';

/** A `.wasm` the suite ships: checked, not built. */
export const prebuiltFlavor: Flavor = {
  id: 'prebuilt',
  language: 'prebuilt',
  target: 'wasm',
  lifecycle: 'reactor',
  async detect(): Promise<Detection> {
    return { available: true, versions: {}, missing: [] };
  },
  async build({ suite, outPath }: BuildRequest): Promise<BuildResult> {
    const source = resolve(suite.dir, suite.sources.prebuilt!.path);
    try {
      moduleKind(readFileSync(source));
    } catch (e) {
      return { ok: false, diagnostics: [{ file: source, severity: 'error', message: (e as Error).message }], commands: [] };
    }
    copyFileSync(source, outPath);
    return { ok: true, diagnostics: [], commands: [`cp ${source}`] };
  },
};
