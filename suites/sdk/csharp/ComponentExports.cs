// nativeaot-llvm-p2 only: the `wasm-matrix:guest@0.1.0` world (suites/sdk/wit/guest.wit)
// as core exports the component link (wasm-component-ld) lifts, over the same
// Dispatcher as every other C# path. Written by hand, in the shape wit-bindgen's
// C# generator gives exports for NativeAOT-LLVM (UnmanagedCallersOnly entry points
// named `<package>/<interface>@<version>#<func>`, a static return area, a
// `cabi_post_` function freeing what the last call returned); C# 7 so that tests
// compile it with Debian's mcs. No cabi_realloc here: the framework's wasi-libc
// (wasm32-wasip2) exports it, as wit-bindgen's generated C# assumes too.
// Canonical ABI (wasm32): a string or list<u8> argument is (ptr, len), allocated by
// the host with cabi_realloc and owned by the guest afterwards; a
// result<list<u8>, string> is returned through a pointer to {u8 tag; u32 ptr; u32 len}.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace WasmMatrix.Guest
{
    public static unsafe class ComponentExports
    {
        // {tag at 0, ptr at 4, len at 8}: 12 bytes, 4-aligned.
        private static byte* returnArea;
        private static byte* lastInvoke;
        private static byte* lastNames;
        private static int lastNamesCount;

        [UnmanagedCallersOnly(EntryPoint = "wasm-matrix:guest/dispatch@0.1.0#invoke")]
        public static int Invoke(int namePtr, int nameLen, int inPtr, int inLen)
        {
            string name = Encoding.UTF8.GetString((byte*)namePtr, nameLen);
            byte[] input = new ReadOnlySpan<byte>((byte*)inPtr, inLen).ToArray();
            // Zero-length arguments need not point at an allocation.
            if (nameLen > 0) NativeMemory.Free((byte*)namePtr);
            if (inLen > 0) NativeMemory.Free((byte*)inPtr);
            // Dispatcher.Invoke never throws: status byte 0 (payload) or 1 (the error message).
            byte[] buffer = Dispatcher.Invoke(name, input);
            int len = buffer.Length - 1;
            lastInvoke = (byte*)NativeMemory.Alloc((UIntPtr)(uint)Math.Max(len, 1));
            new ReadOnlySpan<byte>(buffer, 1, len).CopyTo(new Span<byte>(lastInvoke, len));
            byte* ret = ReturnArea();
            ret[0] = buffer[0] == 0 ? (byte)0 : (byte)1;
            *(int*)(ret + 4) = (int)lastInvoke;
            *(int*)(ret + 8) = len;
            return (int)ret;
        }

        [UnmanagedCallersOnly(EntryPoint = "cabi_post_wasm-matrix:guest/dispatch@0.1.0#invoke")]
        public static void InvokePost(int ret)
        {
            NativeMemory.Free(lastInvoke);
            lastInvoke = null;
        }

        // list<string>: (ptr, len) of an array of (ptr, len) pairs, each name UTF-8.
        [UnmanagedCallersOnly(EntryPoint = "wasm-matrix:guest/catalog@0.1.0#describe")]
        public static int Describe()
        {
            string[] names = Dispatcher.Names();
            lastNamesCount = names.Length;
            lastNames = (byte*)NativeMemory.Alloc((UIntPtr)(uint)Math.Max(names.Length * 8, 1));
            for (int i = 0; i < names.Length; i++)
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(names[i]);
                byte* text = (byte*)NativeMemory.Alloc((UIntPtr)(uint)Math.Max(utf8.Length, 1));
                utf8.AsSpan().CopyTo(new Span<byte>(text, utf8.Length));
                *(int*)(lastNames + i * 8) = (int)text;
                *(int*)(lastNames + i * 8 + 4) = utf8.Length;
            }
            byte* ret = ReturnArea();
            *(int*)ret = (int)lastNames;
            *(int*)(ret + 4) = names.Length;
            return (int)ret;
        }

        [UnmanagedCallersOnly(EntryPoint = "cabi_post_wasm-matrix:guest/catalog@0.1.0#describe")]
        public static void DescribePost(int ret)
        {
            for (int i = 0; i < lastNamesCount; i++) NativeMemory.Free((void*)*(int*)(lastNames + i * 8));
            NativeMemory.Free(lastNames);
            lastNames = null;
            lastNamesCount = 0;
        }

        private static byte* ReturnArea()
        {
            if (returnArea == null) returnArea = (byte*)NativeMemory.Alloc((UIntPtr)12u);
            return returnArea;
        }
    }
}
