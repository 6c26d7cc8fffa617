// The three C# flavors: two wasm build paths and the native reference column.
export { csharpNativeFlavor } from './csharp-native.js';
export { monoInterpFlavor } from './mono-interp.js';
export { nativeAotLlvmFlavor } from './nativeaot-llvm.js';
export { runNativeCommand, runNativeDispatcher, type NativeCall, type NativeCallResult, type NativeCommandResult } from './native-runner.js';
