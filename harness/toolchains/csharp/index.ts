// The C# flavors: three wasm build paths (Mono, NativeAOT-LLVM core module and component) and the native reference column.
export { csharpNativeFlavor } from './csharp-native.js';
export { monoInterpFlavor } from './mono-interp.js';
export { nativeAotLlvmFlavor, nativeAotLlvmP2Flavor } from './nativeaot-llvm.js';
export { runNativeCommand, runNativeDispatcher, type NativeCall, type NativeCallResult, type NativeCommandResult } from './native-runner.js';
