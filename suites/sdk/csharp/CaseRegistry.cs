// The cases a dispatcher guest implements, registered by name without
// reflection so that trimming and NativeAOT keep exactly what is called.
using System;
using System.Collections.Generic;

namespace WasmMatrix.Guest
{
    /// <summary>One case: ABI input bytes in, output payload bytes out. Throwing is a guest error.</summary>
    public delegate byte[] CaseHandler(byte[] input);

    public sealed class CaseRegistry
    {
        private readonly Dictionary<string, CaseHandler> handlers = new Dictionary<string, CaseHandler>(StringComparer.Ordinal);
        private readonly List<string> names = new List<string>();

        public void Add(string name, CaseHandler handler)
        {
            if (name == null) throw new ArgumentNullException("name");
            if (handler == null) throw new ArgumentNullException("handler");
            if (handlers.ContainsKey(name)) throw new ArgumentException("case " + name + " is registered twice", "name");
            handlers.Add(name, handler);
            names.Add(name);
        }

        /// <summary>The registered case names, in registration order.</summary>
        public IList<string> Names
        {
            get { return names.AsReadOnly(); }
        }

        internal CaseHandler Find(string name)
        {
            CaseHandler handler;
            return name != null && handlers.TryGetValue(name, out handler) ? handler : null;
        }
    }

    /// <summary>Raised (and reported as a guest error) for a case name no handler is registered for.</summary>
    public sealed class UnknownCaseException : Exception
    {
        public UnknownCaseException(string name) : base("no case named " + name) { }
    }
}
