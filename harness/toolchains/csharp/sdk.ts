// Where the C# guest SDK lives and which of its files each build path compiles.
import { join } from 'node:path';
import { projectRoot } from '../../paths.js';

/** The C# guest SDK folder. */
export const sdkDir = (): string => join(projectRoot, 'suites', 'sdk', 'csharp');

const inSdk = (...files: string[]): string[] => files.map((f) => join(sdkDir(), f));

/** Compiled into every dispatcher guest, on every path: registry, dispatch, ABI buffers, JSON. */
export const dispatcherSdkSources = (): string[] => inSdk('CaseRegistry.cs', 'Dispatcher.cs', 'AbiBuffers.cs', 'JsonText.cs');
/** mono-interp: the managed bridge the C glue calls. */
export const monoBridgeSource = (): string => join(sdkDir(), 'MonoBridge.cs');
/** mono-interp: the C glue exporting the ABI (a NativeFileReference). */
export const monoGlueSource = (): string => join(sdkDir(), 'mono_glue.c');
/** nativeaot-llvm: the [UnmanagedCallersOnly] exports. */
export const nativeAotExportsSource = (): string => join(sdkDir(), 'NativeAotExports.cs');
/** csharp-native: the line-protocol runner. */
export const nativeRunnerSource = (): string => join(sdkDir(), 'NativeRunner.cs');

/** Conditional-compilation symbols the harness defines, so guest code can tell the paths apart. */
export const DEFINE = {
  monoInterp: 'WASM_MATRIX_MONO_INTERP',
  nativeAot: 'WASM_MATRIX_NATIVEAOT_LLVM',
  native: 'WASM_MATRIX_NATIVE',
  command: 'WASM_MATRIX_COMMAND',
  noReflection: 'WASM_MATRIX_NO_REFLECTION',
} as const;
/** nativeaot-llvm-p2: the canonical-ABI exports of the wasm-matrix:guest world. */
export const componentExportsSource = (): string => join(sdkDir(), 'ComponentExports.cs');
