// Real .NET wasm builds, run under node's WASI through guest ABI v1. These need
// the real toolchains (`wasm-matrix toolchains provision <flavor>`) and are
// skipped, with the reason printed, where they are missing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { afterAll, describe, expect, it } from 'vitest';
import type { Flavor } from '../flavor.js';
import { monoInterpFlavor, nativeAotLlvmFlavor } from '../csharp/index.js';
import { ECHO_CASES, options, removeTempDirs, tempDir, writeSuite } from './csharp-fixtures.js';

afterAll(removeTempDirs);

interface AbiExports {
  memory: WebAssembly.Memory;
  harness_alloc(len: number): number;
  harness_invoke(np: number, nl: number, ip: number, il: number): bigint;
  harness_describe(): bigint;
}

function abi(ex: AbiExports): (name: string, input: Uint8Array) => Buffer {
  const place = (bytes: Uint8Array): number => {
    const ptr = ex.harness_alloc(bytes.length);
    new Uint8Array(ex.memory.buffer).set(bytes, ptr);
    return ptr;
  };
  return (name, input) => {
    const n = Buffer.from(name);
    const packed = ex.harness_invoke(place(n), n.length, place(input), input.length);
    return Buffer.from(new Uint8Array(ex.memory.buffer, Number(packed >> 32n), Number(packed & 0xffffffffn)));
  };
}

for (const flavor of [monoInterpFlavor, nativeAotLlvmFlavor] as Flavor[]) {
  const detection = await flavor.detect();
  if (!detection.available) console.warn(`${flavor.id} wasm tests skipped: missing ${detection.missing.join('; ')}`);

  describe.skipIf(!detection.available)(`${flavor.id} (real toolchain)${detection.available ? '' : ` (skipped: missing ${detection.missing.join('; ')})`}`, () => {
    it('builds a dispatcher guest that serves ABI calls', { timeout: 900_000 }, async () => {
      const outPath = join(tempDir('wasm-out'), 'guest.wasm');
      const result = await flavor.build({
        suite: writeSuite('dispatcher', { 'Cases.cs': ECHO_CASES }),
        options: options(),
        workDir: tempDir(`${flavor.id}-work`),
        outPath,
        log: () => {},
      });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.ok).toBe(true);

      const module = await WebAssembly.compile(readFileSync(outPath));
      const names = WebAssembly.Module.exports(module).map((e) => e.name);
      expect(names).toEqual(expect.arrayContaining(['memory', 'harness_alloc', 'harness_invoke', 'harness_describe']));
      const wasi = new WASI({ version: 'preview1', args: ['guest'], env: {}, returnOnExit: true });
      const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport } as WebAssembly.Imports);
      if (flavor.lifecycle === 'command-first') expect(wasi.start(instance)).toBe(0);
      else wasi.initialize(instance);

      const invoke = abi(instance.exports as unknown as AbiExports);
      expect([...invoke('echo', Buffer.from('abc'))]).toEqual([0, ...Buffer.from('abc')]);
      expect(invoke('upper', Buffer.from('héllo')).subarray(1).toString()).toBe('HÉLLO');
      const error = invoke('divide', new Uint8Array(0));
      expect(error[0]).toBe(1);
      expect(error.subarray(1).toString()).toMatch(/^System\.DivideByZeroException: /);
      expect(invoke('nope', new Uint8Array(0)).subarray(1).toString()).toBe('WasmMatrix.Guest.UnknownCaseException: no case named nope');
    });
  });
}
