// `wat`: WebAssembly text assembled to a binary with wabt (so the artifact is
// a real .wasm with an import/export summary, like every other flavor).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import wabtInit from 'wabt';
import type { BuildRequest, BuildResult, Detection, Flavor } from './flavor.js';
import { createRequire } from 'node:module';

const wabtVersion: string = (createRequire(import.meta.url)('wabt/package.json') as { version: string }).version;

/** WAT text assembled to a module (wabt): needs no toolchain. */
export const watFlavor: Flavor = {
  id: 'wat',
  language: 'wat',
  target: 'wasm',
  lifecycle: 'reactor',
  async detect(): Promise<Detection> {
    return { available: true, versions: { wabt: wabtVersion }, missing: [] };
  },
  async build({ suite, outPath, log }: BuildRequest): Promise<BuildResult> {
    const source = resolve(suite.dir, suite.sources.wat!);
    const wabt = await wabtInit();
    try {
      const module = wabt.parseWat(source, readFileSync(source, 'utf8'), { multi_value: true, bulk_memory: true, memory64: true });
      module.resolveNames();
      module.validate();
      writeFileSync(outPath, module.toBinary({ log: false }).buffer);
      module.destroy();
      return { ok: true, diagnostics: [], commands: [`wabt.parseWat ${source}`] };
    } catch (e) {
      const text = (e as Error).message;
      log(text);
      // wabt reports `file:line:col: error: message`.
      const diagnostics = text.split('\n').flatMap((line) => {
        const m = /^(.*?):(\d+):(\d+): error: (.*)$/.exec(line.trim());
        return m ? [{ file: m[1]!, line: Number(m[2]), column: Number(m[3]), severity: 'error' as const, message: m[4]! }] : [];
      });
      return { ok: false, diagnostics: diagnostics.length ? diagnostics : [{ file: source, severity: 'error', message: text }], commands: [`wabt.parseWat ${source}`] };
    }
  },
};
