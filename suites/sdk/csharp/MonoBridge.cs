// mono-interp only: the managed side of mono_glue.c. The glue finds these
// methods by name through the Mono embedding API, so nothing in managed code
// calls them and the trimmer must be told to keep them.
using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;

namespace WasmMatrix.Guest
{
    public static class MonoBridge
    {
        /// <summary>Called by the generated Main so that the trimmer sees the dependencies below.</summary>
        [DynamicDependency("Invoke", typeof(MonoBridge))]
        [DynamicDependency("Describe", typeof(MonoBridge))]
        public static void KeepForNativeCallers()
        {
        }

        /// <summary>harness_invoke: pointers into wasm memory in, the ABI output buffer out.</summary>
        public static byte[] Invoke(int namePtr, int nameLen, int inputPtr, int inputLen)
        {
            try
            {
                string name = Encoding.UTF8.GetString(CopyIn(namePtr, nameLen));
                return Dispatcher.Invoke(name, CopyIn(inputPtr, inputLen));
            }
            catch (Exception e)
            {
                return AbiBuffers.Error(e);
            }
        }

        /// <summary>harness_describe: the UTF-8 JSON list of case names.</summary>
        public static byte[] Describe()
        {
            return Encoding.UTF8.GetBytes(Dispatcher.DescribeJson());
        }

        private static byte[] CopyIn(int ptr, int len)
        {
            byte[] bytes = new byte[len];
            if (len > 0) Marshal.Copy(new IntPtr(ptr), bytes, 0, len);
            return bytes;
        }
    }
}
