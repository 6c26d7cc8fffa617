// The ABI output buffer: one status byte, then the payload (0 = ok) or a
// UTF-8 "FullTypeName: Message" (1 = guest error).
using System;
using System.Collections.Generic;
using System.Text;

namespace WasmMatrix.Guest
{
    public static class AbiBuffers
    {
        public const byte StatusOk = 0;
        public const byte StatusGuestError = 1;

        public static byte[] Ok(byte[] payload)
        {
            // A handler returning null means "no output", not an error.
            return WithStatus(StatusOk, payload ?? new byte[0]);
        }

        public static byte[] Error(Exception e)
        {
            return WithStatus(StatusGuestError, Encoding.UTF8.GetBytes(Describe(e)));
        }

        /// <summary>"FullTypeName: Message", the same text on every build path.</summary>
        public static string Describe(Exception e)
        {
            return ExceptionNames.FullNameOf(e) + ": " + e.Message;
        }

        private static byte[] WithStatus(byte status, byte[] body)
        {
            byte[] buffer = new byte[body.Length + 1];
            buffer[0] = status;
            Buffer.BlockCopy(body, 0, buffer, 1, body.Length);
            return buffer;
        }
    }

    /// <summary>
    /// Type names of exceptions. NativeAOT in reflection-free mode (IlcDisableReflection) has no
    /// real type names, so common exceptions are then named by plain type tests (most derived
    /// first, no reflection involved) and others by their nearest listed base type.
    /// </summary>
    public static class ExceptionNames
    {
        public static string FullNameOf(Exception e)
        {
            string name = e.GetType().FullName;
            return LooksLikeTypeName(name) ? name : KnownBaseName(e);
        }

        // Reflection-free NativeAOT prints placeholders such as "EETypeRva:0x00048BD0".
        private static bool LooksLikeTypeName(string name)
        {
            return !string.IsNullOrEmpty(name) && name.IndexOf(':') < 0 && name.IndexOf(' ') < 0;
        }

        private static string KnownBaseName(Exception e)
        {
            if (e is UnknownCaseException) return "WasmMatrix.Guest.UnknownCaseException";
            if (e is DivideByZeroException) return "System.DivideByZeroException";
            if (e is OverflowException) return "System.OverflowException";
            if (e is ArithmeticException) return "System.ArithmeticException";
            if (e is IndexOutOfRangeException) return "System.IndexOutOfRangeException";
            if (e is NullReferenceException) return "System.NullReferenceException";
            if (e is InvalidCastException) return "System.InvalidCastException";
            if (e is FormatException) return "System.FormatException";
            if (e is ArgumentNullException) return "System.ArgumentNullException";
            if (e is ArgumentOutOfRangeException) return "System.ArgumentOutOfRangeException";
            if (e is ArgumentException) return "System.ArgumentException";
            if (e is KeyNotFoundException) return "System.Collections.Generic.KeyNotFoundException";
            if (e is ObjectDisposedException) return "System.ObjectDisposedException";
            if (e is InvalidOperationException) return "System.InvalidOperationException";
            if (e is NotImplementedException) return "System.NotImplementedException";
            if (e is PlatformNotSupportedException) return "System.PlatformNotSupportedException";
            if (e is NotSupportedException) return "System.NotSupportedException";
            if (e is OutOfMemoryException) return "System.OutOfMemoryException";
            if (e is InsufficientExecutionStackException) return "System.InsufficientExecutionStackException";
            return "System.Exception";
        }
    }
}
