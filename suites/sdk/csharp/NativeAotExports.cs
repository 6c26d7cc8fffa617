// nativeaot-llvm only: guest ABI v1 exports compiled straight to wasm
// exports. Memory comes from NativeMemory (C malloc in the module).
// Written in C# 7 (UIntPtr, not nuint) so that tests compile it with Debian's mcs.
// Ownership: buffers passed to harness_invoke belong to the guest afterwards
// and are freed; an output stays valid until the next invoke or describe.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace WasmMatrix.Guest
{
    public static unsafe class NativeAotExports
    {
        private static byte* lastOutput;

        [UnmanagedCallersOnly(EntryPoint = "harness_alloc")]
        public static int Alloc(int len)
        {
            return (int)NativeMemory.Alloc((UIntPtr)(uint)Math.Max(len, 1));
        }

        [UnmanagedCallersOnly(EntryPoint = "harness_invoke")]
        public static long Invoke(int namePtr, int nameLen, int inPtr, int inLen)
        {
            byte[] output;
            try
            {
                string name = Encoding.UTF8.GetString((byte*)namePtr, nameLen);
                output = Dispatcher.Invoke(name, new ReadOnlySpan<byte>((byte*)inPtr, inLen).ToArray());
            }
            catch (Exception e)
            {
                output = AbiBuffers.Error(e);
            }
            NativeMemory.Free((byte*)namePtr);
            NativeMemory.Free((byte*)inPtr);
            return Publish(output);
        }

        [UnmanagedCallersOnly(EntryPoint = "harness_describe")]
        public static long Describe()
        {
            return Publish(Encoding.UTF8.GetBytes(Dispatcher.DescribeJson()));
        }

        // Packs (ptr << 32) | len; the previous output is freed because the host has read it.
        private static long Publish(byte[] bytes)
        {
            NativeMemory.Free(lastOutput);
            lastOutput = (byte*)NativeMemory.Alloc((UIntPtr)(uint)Math.Max(bytes.Length, 1));
            bytes.AsSpan().CopyTo(new Span<byte>(lastOutput, bytes.Length));
            return ((long)(uint)lastOutput << 32) | (uint)bytes.Length;
        }
    }
}
