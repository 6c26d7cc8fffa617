// Guest ABI v1 dispatch shared by every C# build path: the wasm exports
// (Mono glue, NativeAOT exports) and the native runner all end up here, so
// the three columns of the matrix run the same code.
using System;
using System.Collections.Generic;
using System.Text;

namespace WasmMatrix.Guest
{
    public static class Dispatcher
    {
        private static readonly object Gate = new object();
        private static CaseRegistry registry;
        private static Exception registrationError;

        /// <summary>
        /// Runs one case and returns the ABI output buffer: status 0 and the payload, or
        /// status 1 and the UTF-8 message "FullTypeName: Message". Never throws.
        /// </summary>
        public static byte[] Invoke(string name, byte[] input)
        {
            try
            {
                CaseHandler handler = Registry().Find(name);
                if (handler == null) throw new UnknownCaseException(name);
                return AbiBuffers.Ok(handler(input ?? new byte[0]));
            }
            catch (Exception e)
            {
                return AbiBuffers.Error(e);
            }
        }

        /// <summary>The JSON list of case names, for the optional harness_describe export.</summary>
        public static string DescribeJson()
        {
            StringBuilder json = new StringBuilder("[");
            IList<string> names = Registry().Names;
            for (int i = 0; i < names.Count; i++)
            {
                if (i > 0) json.Append(',');
                json.Append(JsonText.Quote(names[i]));
            }
            return json.Append(']').ToString();
        }

        /// <summary>The case names in registration order (the component world's describe).</summary>
        public static string[] Names()
        {
            IList<string> names = Registry().Names;
            string[] copy = new string[names.Count];
            names.CopyTo(copy, 0);
            return copy;
        }

        // Registration runs once, on first use; a failure is kept and reported on every call
        // rather than retried, so all calls of a run see the same outcome.
        private static CaseRegistry Registry()
        {
            lock (Gate)
            {
                if (registry == null && registrationError == null)
                {
                    CaseRegistry fresh = new CaseRegistry();
                    try
                    {
                        GuestCases.Register(fresh);
                        registry = fresh;
                    }
                    catch (Exception e)
                    {
                        registrationError = e;
                    }
                }
                if (registrationError != null) throw registrationError;
                return registry;
            }
        }
    }
}
