// Just enough JSON for the SDK (no library: the guest must build on every
// path without package references): quoting strings, and reading the flat
// one-line request objects of the native runner.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace WasmMatrix.Guest
{
    public static class JsonText
    {
        /// <summary>A JSON string literal; everything outside printable ASCII is \u-escaped.</summary>
        public static string Quote(string value)
        {
            StringBuilder json = new StringBuilder(value.Length + 2);
            json.Append('"');
            foreach (char c in value)
            {
                if (c == '"') json.Append("\\\"");
                else if (c == '\\') json.Append("\\\\");
                else if (c >= 0x20 && c < 0x7f) json.Append(c);
                else json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            return json.Append('"').ToString();
        }

        /// <summary>Parses {"key":"value",...} with string values only; throws FormatException otherwise.</summary>
        public static Dictionary<string, string> ParseFlatObject(string text)
        {
            Dictionary<string, string> result = new Dictionary<string, string>(StringComparer.Ordinal);
            int i = 0;
            SkipSpace(text, ref i);
            Expect(text, ref i, '{');
            SkipSpace(text, ref i);
            if (Peek(text, i) == '}')
            {
                i++;
            }
            else
            {
                for (;;)
                {
                    string key = ReadString(text, ref i);
                    SkipSpace(text, ref i);
                    Expect(text, ref i, ':');
                    SkipSpace(text, ref i);
                    result[key] = ReadString(text, ref i);
                    SkipSpace(text, ref i);
                    char next = Peek(text, i++);
                    if (next == '}') break;
                    if (next != ',') throw new FormatException("expected , or } at " + (i - 1));
                    SkipSpace(text, ref i);
                }
            }
            SkipSpace(text, ref i);
            if (i != text.Length) throw new FormatException("unexpected text after the object at " + i);
            return result;
        }

        private static string ReadString(string text, ref int i)
        {
            Expect(text, ref i, '"');
            StringBuilder value = new StringBuilder();
            for (;;)
            {
                char c = Peek(text, i++);
                if (c == '"') return value.ToString();
                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }
                char escape = Peek(text, i++);
                switch (escape)
                {
                    case '"': value.Append('"'); break;
                    case '\\': value.Append('\\'); break;
                    case '/': value.Append('/'); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'u':
                        if (i + 4 > text.Length) throw new FormatException("short \\u escape at " + i);
                        value.Append((char)int.Parse(text.Substring(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default: throw new FormatException("bad escape \\" + escape + " at " + (i - 1));
                }
            }
        }

        private static char Peek(string text, int i)
        {
            if (i >= text.Length) throw new FormatException("unexpected end of JSON");
            return text[i];
        }

        private static void Expect(string text, ref int i, char expected)
        {
            if (Peek(text, i) != expected) throw new FormatException("expected " + expected + " at " + i);
            i++;
        }

        private static void SkipSpace(string text, ref int i)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) i++;
        }
    }
}
