// The `core` suite in C#: integers, floats, UTF-8 strings, bytes, collections,
// guest exceptions and the limits (memory, time, fuel). Every case behaves
// byte for byte like c/core.c and c/traps.c; the formats are described in
// suites/README.md. Where C reports a guest error by hand, C# lets the runtime
// throw (division by zero, overflow, index, null) so the runtime is what gets
// tested. C# 7, no reflection, nothing beyond the base class library.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using WasmMatrix.Guest;

namespace WasmMatrix.Suites.Core
{
    /// <summary>The suite's own exception type: its full name is part of the guest error.</summary>
    public sealed class GuestValidationException : Exception
    {
        public GuestValidationException(string message) : base(message) { }
    }

    internal static class Io
    {
        public static byte[] Text(string s) { return Encoding.UTF8.GetBytes(s); }

        public static string S(long v) { return v.ToString(CultureInfo.InvariantCulture); }

        public static string S(ulong v) { return v.ToString(CultureInfo.InvariantCulture); }

        public static bool IsSpace(byte c) { return c == (byte)' ' || c == (byte)'\t' || c == (byte)'\n' || c == (byte)'\r'; }

        /// <summary>Splits on ASCII whitespace; each token is (start, length).</summary>
        public static List<int[]> Tokens(byte[] input)
        {
            var tokens = new List<int[]>();
            int i = 0;
            while (i < input.Length)
            {
                while (i < input.Length && IsSpace(input[i])) i++;
                if (i >= input.Length) break;
                int start = i;
                while (i < input.Length && !IsSpace(input[i])) i++;
                tokens.Add(new[] { start, i - start });
            }
            return tokens;
        }

        /// <summary>`-`? digit+, within long.</summary>
        public static bool TryParseI64(byte[] s, int start, int length, out long value)
        {
            value = 0;
            int i = start, end = start + length;
            bool neg = false;
            if (i < end && s[i] == (byte)'-')
            {
                neg = true;
                i++;
            }
            if (i >= end) return false;
            ulong limit = neg ? 1UL << 63 : (1UL << 63) - 1;
            ulong mag = 0;
            for (; i < end; i++)
            {
                byte c = s[i];
                if (c < (byte)'0' || c > (byte)'9') return false;
                ulong d = (ulong)(c - (byte)'0');
                if (mag > (limit - d) / 10) return false;
                mag = mag * 10 + d;
            }
            value = neg ? (long)(0UL - mag) : (long)mag;
            return true;
        }

        public static long[] ReadInts(byte[] input, int n, bool i32)
        {
            var tokens = Tokens(input);
            if (tokens.Count != n) throw new ArgumentException("expected " + n + (n == 1 ? " integer" : " integers"));
            var values = new long[n];
            for (int i = 0; i < n; i++)
            {
                if (!TryParseI64(input, tokens[i][0], tokens[i][1], out values[i]) || (i32 && (values[i] < int.MinValue || values[i] > int.MaxValue)))
                    throw new FormatException("invalid integer at token " + (i + 1));
            }
            return values;
        }

        static readonly double[] Pow10 =
        {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        };

        static int HexValue(byte c)
        {
            if (c >= (byte)'0' && c <= (byte)'9') return c - (byte)'0';
            if (c >= (byte)'a' && c <= (byte)'f') return c - (byte)'a' + 10;
            if (c >= (byte)'A' && c <= (byte)'F') return c - (byte)'A' + 10;
            return -1;
        }

        static bool Matches(byte[] s, int start, int length, string word)
        {
            if (length != word.Length) return false;
            for (int i = 0; i < length; i++)
                if (s[start + i] != (byte)word[i]) return false;
            return true;
        }

        /// <summary>`0x` + 16 hex digits (raw bits) | `-`? (`nan` | `inf` | digit+ (`.` digit+)?),
        /// at most 15 significant digits and 22 decimals: m / 10^k, exact in both languages.</summary>
        public static bool TryParseF64(byte[] s, int start, int length, out double value)
        {
            value = 0;
            if (length == 18 && s[start] == (byte)'0' && s[start + 1] == (byte)'x')
            {
                ulong bits = 0;
                for (int k = 2; k < 18; k++)
                {
                    int h = HexValue(s[start + k]);
                    if (h < 0) return false;
                    bits = bits << 4 | (ulong)h;
                }
                value = BitConverter.Int64BitsToDouble((long)bits);
                return true;
            }
            int i = start, end = start + length;
            bool neg = false;
            if (i < end && s[i] == (byte)'-')
            {
                neg = true;
                i++;
            }
            if (Matches(s, i, end - i, "nan"))
            {
                value = BitConverter.Int64BitsToDouble(0x7ff8000000000000L);
                return true;
            }
            if (Matches(s, i, end - i, "inf"))
            {
                value = neg ? double.NegativeInfinity : double.PositiveInfinity;
                return true;
            }
            ulong m = 0;
            int significant = 0, decimals = 0, digits = 0, afterDot = 0;
            bool seenDot = false;
            for (; i < end; i++)
            {
                byte c = s[i];
                if (c == (byte)'.')
                {
                    if (seenDot || digits == 0) return false;
                    seenDot = true;
                    continue;
                }
                if (c < (byte)'0' || c > (byte)'9') return false;
                digits++;
                if (seenDot)
                {
                    decimals++;
                    afterDot++;
                }
                if (m != 0 || c != (byte)'0') significant++;
                m = m * 10 + (ulong)(c - (byte)'0');
                if (significant > 15 || decimals > 22) return false;
            }
            if (digits == 0 || (seenDot && afterDot == 0)) return false;
            double v = (double)m / Pow10[decimals];
            value = neg ? -v : v;
            return true;
        }

        public static double[] ReadF64s(byte[] input, int n)
        {
            var tokens = Tokens(input);
            if (tokens.Count != n) throw new ArgumentException("expected " + n + (n == 1 ? " number" : " numbers"));
            var values = new double[n];
            for (int i = 0; i < n; i++)
            {
                if (!TryParseF64(input, tokens[i][0], tokens[i][1], out values[i]))
                    throw new FormatException("invalid number at token " + (i + 1));
            }
            return values;
        }

        /// <summary>`nan`, or sign + class + the IEEE bits: `+normal 3ff8000000000000`.</summary>
        public static string F64(double x)
        {
            ulong bits = (ulong)BitConverter.DoubleToInt64Bits(x);
            ulong exp = (bits >> 52) & 0x7ff, mant = bits & 0xfffffffffffffUL;
            if (exp == 0x7ff && mant != 0) return "nan";
            string cls = exp == 0x7ff ? "inf" : exp != 0 ? "normal" : mant != 0 ? "subnormal" : "zero";
            return ((bits >> 63) != 0 ? "-" : "+") + cls + " " + bits.ToString("x16", CultureInfo.InvariantCulture);
        }

        public static string F32(float x)
        {
            uint bits = BitConverter.ToUInt32(BitConverter.GetBytes(x), 0);
            uint exp = (bits >> 23) & 0xff, mant = bits & 0x7fffff;
            if (exp == 0xff && mant != 0) return "nan";
            string cls = exp == 0xff ? "inf" : exp != 0 ? "normal" : mant != 0 ? "subnormal" : "zero";
            return ((bits >> 31) != 0 ? "-" : "+") + cls + " " + bits.ToString("x8", CultureInfo.InvariantCulture);
        }
    }

    internal static class Ints
    {
        public static byte[] AddI32(byte[] input)
        {
            long[] v = Io.ReadInts(input, 2, true);
            int a = (int)v[0], b = (int)v[1];
            return Io.Text(Io.S(unchecked(a + b)));
        }

        public static byte[] MulI32(byte[] input)
        {
            long[] v = Io.ReadInts(input, 2, true);
            int a = (int)v[0], b = (int)v[1];
            return Io.Text(Io.S(unchecked(a * b)));
        }

        public static byte[] AddI64(byte[] input)
        {
            long[] v = Io.ReadInts(input, 2, false);
            return Io.Text(Io.S(unchecked(v[0] + v[1])));
        }

        public static byte[] MulI64(byte[] input)
        {
            long[] v = Io.ReadInts(input, 2, false);
            return Io.Text(Io.S(unchecked(v[0] * v[1])));
        }

        /// <summary>"quotient remainder"; the runtime throws for 0 and for MinValue / -1.</summary>
        public static byte[] DivI32(byte[] input)
        {
            long[] v = Io.ReadInts(input, 2, true);
            int a = (int)v[0], b = (int)v[1];
            int q = a / b;
            int r = a % b;
            return Io.Text(Io.S(q) + " " + Io.S(r));
        }

        public static byte[] DivI64(byte[] input)
        {
            long[] v = Io.ReadInts(input, 2, false);
            long a = v[0], b = v[1];
            long q = a / b;
            long r = a % b;
            return Io.Text(Io.S(q) + " " + Io.S(r));
        }

        /// <summary>C# masks shift counts (& 31, & 63) like wasm does.</summary>
        public static byte[] ShiftI32(byte[] input)
        {
            long[] v = Io.ReadInts(input, 2, true);
            int a = (int)v[0], s = (int)v[1];
            return Io.Text("shl=" + Io.S(a << s) + " shr=" + Io.S(a >> s) + " shr_u=" + Io.S((uint)a >> s));
        }

        public static byte[] ShiftI64(byte[] input)
        {
            long[] v = Io.ReadInts(input, 2, false);
            long a = v[0];
            int s = (int)(v[1] & 63);
            return Io.Text("shl=" + Io.S(a << s) + " shr=" + Io.S(a >> s) + " shr_u=" + Io.S((ulong)a >> s));
        }

        public static byte[] BitsI32(byte[] input)
        {
            long[] v = Io.ReadInts(input, 1, true);
            uint x = (uint)(int)v[0];
            int pop = 0, clz = 0, ctz = 0;
            for (int i = 0; i < 32; i++) pop += (int)((x >> i) & 1);
            while (clz < 32 && (x & (0x80000000u >> clz)) == 0) clz++;
            while (ctz < 32 && (x & (1u << ctz)) == 0) ctz++;
            return Io.Text("popcnt=" + pop + " clz=" + clz + " ctz=" + ctz);
        }
    }

    internal static class Floats
    {
        public static byte[] Arith(byte[] input)
        {
            double[] v = Io.ReadF64s(input, 2);
            double a = v[0], b = v[1];
            return Io.Text("add " + Io.F64(a + b) + "\nsub " + Io.F64(a - b) + "\nmul " + Io.F64(a * b) + "\ndiv " + Io.F64(a / b));
        }

        public static byte[] Round(byte[] input)
        {
            double x = Io.ReadF64s(input, 1)[0];
            return Io.Text(
                "floor " + Io.F64(Math.Floor(x)) +
                "\nceil " + Io.F64(Math.Ceiling(x)) +
                "\ntrunc " + Io.F64(Math.Truncate(x)) +
                "\nhalf_even " + Io.F64(Math.Round(x)) +
                "\nhalf_away " + Io.F64(Math.Round(x, MidpointRounding.AwayFromZero)));
        }

        public static byte[] ToI32(byte[] input)
        {
            double x = Io.ReadF64s(input, 1)[0];
            return Io.Text(Io.S(checked((int)x)));
        }

        // Operands live in fields so the runtime, not the compiler, computes.
        static double zero = 0.0, one = 1.0, two = 2.0, inf = double.PositiveInfinity, max = double.MaxValue,
            minSubnormal = double.Epsilon, minNormal = 2.2250738585072014e-308, tenth = 0.1, fifth = 0.2, fiveHalf = 5.5;
        static float fBig = 16777216.0f, fOne = 1.0f, fThree = 3.0f, fMax = float.MaxValue, fTen = 10.0f;

        static void Line(StringBuilder sb, string name, double x) { sb.Append(name).Append(' ').Append(Io.F64(x)).Append('\n'); }

        static void Line32(StringBuilder sb, string name, float x) { sb.Append(name).Append(' ').Append(Io.F32(x)).Append('\n'); }

        public static byte[] Special(byte[] input)
        {
            var sb = new StringBuilder();
            Line(sb, "one_div_zero", one / zero);
            Line(sb, "neg_one_div_zero", -one / zero);
            Line(sb, "zero_div_zero", zero / zero);
            Line(sb, "inf_minus_inf", inf - inf);
            Line(sb, "inf_times_zero", inf * zero);
            Line(sb, "sqrt_neg_one", Math.Sqrt(-one));
            Line(sb, "neg_zero_times_one", -zero * one);
            Line(sb, "neg_zero_plus_zero", -zero + zero);
            Line(sb, "max_times_two", max * two);
            Line(sb, "min_subnormal", minSubnormal);
            Line(sb, "min_subnormal_half", minSubnormal / two);
            Line(sb, "min_normal_half", minNormal / two);
            Line(sb, "tenth_plus_fifth", tenth + fifth);
            Line(sb, "sqrt_two", Math.Sqrt(two));
            Line(sb, "fmod", fiveHalf % two);
            Line(sb, "neg_fmod", -fiveHalf % two);
            Line32(sb, "f32_big_plus_one", (float)(fBig + fOne));
            Line32(sb, "f32_one_third", (float)(fOne / fThree));
            Line32(sb, "f32_max_times_ten", (float)(fMax * fTen));
            Line32(sb, "f32_from_tenth", (float)tenth);
            return Io.Text(sb.ToString());
        }
    }

    internal static class Strings
    {
        /// <summary>Length of the well-formed sequence (Unicode table 3-7) at s[i], or 0.</summary>
        static int Utf8Next(byte[] s, int i)
        {
            byte b0 = s[i];
            if (b0 < 0x80) return 1;
            int n;
            byte lo = 0x80, hi = 0xbf;
            if (b0 >= 0xc2 && b0 <= 0xdf)
            {
                n = 2;
            }
            else if (b0 >= 0xe0 && b0 <= 0xef)
            {
                n = 3;
                if (b0 == 0xe0) lo = 0xa0;
                if (b0 == 0xed) hi = 0x9f;
            }
            else if (b0 >= 0xf0 && b0 <= 0xf4)
            {
                n = 4;
                if (b0 == 0xf0) lo = 0x90;
                if (b0 == 0xf4) hi = 0x8f;
            }
            else
            {
                return 0;
            }
            if (s.Length - i < n) return 0;
            if (s[i + 1] < lo || s[i + 1] > hi) return 0;
            for (int k = 2; k < n; k++)
                if (s[i + k] < 0x80 || s[i + k] > 0xbf) return 0;
            return n;
        }

        /// <summary>Checks the bytes, then decodes them with the runtime's UTF-8 decoder.</summary>
        static string Decode(byte[] input)
        {
            for (int i = 0; i < input.Length;)
            {
                int n = Utf8Next(input, i);
                if (n == 0) throw new ArgumentException("invalid UTF-8 at byte " + i);
                i += n;
            }
            return Encoding.UTF8.GetString(input);
        }

        public static byte[] Reverse(byte[] input)
        {
            string s = Decode(input);
            var sb = new StringBuilder(s.Length);
            for (int i = s.Length - 1; i >= 0; i--)
            {
                if (char.IsLowSurrogate(s[i]) && i > 0 && char.IsHighSurrogate(s[i - 1]))
                {
                    sb.Append(s[i - 1]).Append(s[i]);
                    i--;
                }
                else
                {
                    sb.Append(s[i]);
                }
            }
            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        public static byte[] UpperAscii(byte[] input)
        {
            var output = new byte[input.Length];
            for (int i = 0; i < input.Length; i++)
            {
                byte c = input[i];
                output[i] = c >= (byte)'a' && c <= (byte)'z' ? (byte)(c - 32) : c;
            }
            return output;
        }

        public static byte[] Length(byte[] input)
        {
            string s = Decode(input);
            int codepoints = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (char.IsHighSurrogate(s[i])) i++;
                codepoints++;
            }
            return Io.Text("bytes=" + input.Length + " codepoints=" + codepoints + " utf16=" + s.Length);
        }

        public static byte[] Codepoints(byte[] input)
        {
            string s = Decode(input);
            var sb = new StringBuilder();
            for (int i = 0; i < s.Length; i++)
            {
                if (sb.Length > 0) sb.Append(' ');
                int cp = char.ConvertToUtf32(s, i);
                if (cp > 0xffff) i++;
                sb.Append("U+").Append(cp.ToString("X4", CultureInfo.InvariantCulture));
            }
            return Io.Text(sb.ToString());
        }
    }

    internal static class Bytes
    {
        public static byte[] Xor(byte[] input)
        {
            if (input.Length == 0) throw new ArgumentException("expected a key byte");
            var output = new byte[input.Length - 1];
            for (int i = 1; i < input.Length; i++) output[i - 1] = (byte)(input[i] ^ input[0]);
            return output;
        }

        static string Hex8(uint v) { return v.ToString("x8", CultureInfo.InvariantCulture); }

        public static byte[] Crc32(byte[] input)
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            uint crc = 0xffffffffu;
            for (int i = 0; i < input.Length; i++) crc = table[(crc ^ input[i]) & 0xff] ^ (crc >> 8);
            return Io.Text(Hex8(crc ^ 0xffffffffu));
        }

        public static byte[] Adler32(byte[] input)
        {
            uint a = 1, b = 0;
            for (int i = 0; i < input.Length; i++)
            {
                a = (a + input[i]) % 65521;
                b = (b + a) % 65521;
            }
            return Io.Text(Hex8(b << 16 | a));
        }

        public static byte[] Fnv1a32(byte[] input)
        {
            uint h = 0x811c9dc5u;
            for (int i = 0; i < input.Length; i++) h = unchecked((h ^ input[i]) * 0x01000193u);
            return Io.Text(Hex8(h));
        }
    }

    internal static class Collections
    {
        static FormatException ListError(int at) { return new FormatException("invalid integer list at byte " + at); }

        static int SkipSpace(byte[] s, int i)
        {
            while (i < s.Length && Io.IsSpace(s[i])) i++;
            return i;
        }

        /// <summary>`[` (int (`,` int)*)? `]` with optional whitespace; int is `-`? digit+.</summary>
        public static List<long> Parse(byte[] input)
        {
            var items = new List<long>();
            int i = SkipSpace(input, 0);
            if (i >= input.Length || input[i] != (byte)'[') throw ListError(i);
            i = SkipSpace(input, i + 1);
            if (i < input.Length && input[i] == (byte)']')
            {
                i++;
            }
            else
            {
                while (true)
                {
                    int start = i;
                    while (i < input.Length && (input[i] == (byte)'-' || (input[i] >= (byte)'0' && input[i] <= (byte)'9'))) i++;
                    long v;
                    if (!Io.TryParseI64(input, start, i - start, out v)) throw ListError(start);
                    items.Add(v);
                    i = SkipSpace(input, i);
                    if (i < input.Length && input[i] == (byte)',')
                    {
                        i = SkipSpace(input, i + 1);
                        continue;
                    }
                    if (i < input.Length && input[i] == (byte)']')
                    {
                        i++;
                        break;
                    }
                    throw ListError(i);
                }
            }
            i = SkipSpace(input, i);
            if (i != input.Length) throw ListError(i);
            return items;
        }

        static byte[] Json(IList<long> items)
        {
            var sb = new StringBuilder("[");
            for (int i = 0; i < items.Count; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(Io.S(items[i]));
            }
            return Io.Text(sb.Append(']').ToString());
        }

        public static byte[] Sort(byte[] input)
        {
            long[] items = Parse(input).ToArray();
            Array.Sort(items);
            return Json(items);
        }

        public static byte[] Dedupe(byte[] input)
        {
            var seen = new HashSet<long>();
            var kept = new List<long>();
            foreach (long v in Parse(input))
                if (seen.Add(v)) kept.Add(v);
            return Json(kept);
        }

        public static byte[] Histogram(byte[] input)
        {
            var counts = new SortedDictionary<long, int>();
            foreach (long v in Parse(input))
            {
                int n;
                counts.TryGetValue(v, out n);
                counts[v] = n + 1;
            }
            var sb = new StringBuilder("{");
            foreach (KeyValuePair<long, int> kv in counts)
            {
                if (sb.Length > 1) sb.Append(',');
                sb.Append('"').Append(Io.S(kv.Key)).Append("\":").Append(Io.S(kv.Value));
            }
            return Io.Text(sb.Append('}').ToString());
        }

        public static byte[] Stats(byte[] input)
        {
            List<long> items = Parse(input);
            long sum = 0;
            foreach (long v in items) sum = unchecked(sum + v);
            var sb = new StringBuilder("{\"count\":").Append(Io.S(items.Count)).Append(",\"sum\":").Append(Io.S(sum));
            if (items.Count == 0) return Io.Text(sb.Append(",\"min\":null,\"max\":null}").ToString());
            long lo = items[0], hi = items[0];
            foreach (long v in items)
            {
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
            return Io.Text(sb.Append(",\"min\":").Append(Io.S(lo)).Append(",\"max\":").Append(Io.S(hi)).Append('}').ToString());
        }
    }

    internal static class Errors
    {
        public static byte[] Divide(byte[] input)
        {
            int n = (int)Io.ReadInts(input, 1, true)[0];
            return Io.Text(Io.S(100 / n));
        }

        public static byte[] Argument(byte[] input)
        {
            long n = Io.ReadInts(input, 1, true)[0];
            if (n < 0) throw new ArgumentException("value must not be negative");
            return Io.Text(Io.S(n));
        }

        public static byte[] Custom(byte[] input)
        {
            long n = Io.ReadInts(input, 1, true)[0];
            if (n % 2 == 0) throw new GuestValidationException("widget " + Io.S(n) + " failed validation");
            return Io.Text("widget " + Io.S(n) + " ok");
        }

        public static byte[] Overflow(byte[] input)
        {
            int n = (int)Io.ReadInts(input, 1, true)[0];
            int max = int.MaxValue;
            return Io.Text(Io.S(checked(max + n)));
        }

        public static byte[] Index(byte[] input)
        {
            int n = (int)Io.ReadInts(input, 1, true)[0];
            int[] values = { 10, 20, 30 };
            return Io.Text(Io.S(values[n]));
        }

        public static byte[] NullReference(byte[] input)
        {
            byte[] data = input.Length == 0 ? null : input;
            return Io.Text(Io.S(data.Length));
        }
    }

    internal static class Limits
    {
        static volatile int spin;

        /// <summary>1 MiB blocks, every page touched, all kept alive, until the memory limit traps.</summary>
        public static byte[] MemoryBomb(byte[] input)
        {
            var blocks = new List<byte[]>();
            try
            {
                while (true)
                {
                    var block = new byte[1 << 20];
                    for (int i = 0; i < block.Length; i += 4096) block[i] = 0xa5;
                    blocks.Add(block);
                }
            }
            catch (OutOfMemoryException)
            {
                int count = blocks.Count;
                blocks = null;
                return Io.Text("malloc failed after " + count + " MiB");
            }
        }

        /// <summary>Runs until a deadline (timeout) or the fuel (out-of-fuel) stops it.</summary>
        public static byte[] Spin(byte[] input)
        {
            while (true) spin = spin + 1;
        }
    }
}

/// <summary>The cases of the `core` suite (names as in suite.json).</summary>
public static class GuestCases
{
    public static void Register(CaseRegistry registry)
    {
        registry.Add("int.add_i32", WasmMatrix.Suites.Core.Ints.AddI32);
        registry.Add("int.add_i32.wrap", WasmMatrix.Suites.Core.Ints.AddI32);
        registry.Add("int.add_i32.bad_input", WasmMatrix.Suites.Core.Ints.AddI32);
        registry.Add("int.add_i32.arity", WasmMatrix.Suites.Core.Ints.AddI32);
        registry.Add("int.mul_i32.wrap", WasmMatrix.Suites.Core.Ints.MulI32);
        registry.Add("int.add_i64.wrap", WasmMatrix.Suites.Core.Ints.AddI64);
        registry.Add("int.add_i64.out_of_range", WasmMatrix.Suites.Core.Ints.AddI64);
        registry.Add("int.mul_i64.wrap", WasmMatrix.Suites.Core.Ints.MulI64);
        registry.Add("int.mul_i64.neg", WasmMatrix.Suites.Core.Ints.MulI64);
        registry.Add("int.div_i32", WasmMatrix.Suites.Core.Ints.DivI32);
        registry.Add("int.div_i32.zero", WasmMatrix.Suites.Core.Ints.DivI32);
        registry.Add("int.div_i32.overflow", WasmMatrix.Suites.Core.Ints.DivI32);
        registry.Add("int.div_i64", WasmMatrix.Suites.Core.Ints.DivI64);
        registry.Add("int.div_i64.zero", WasmMatrix.Suites.Core.Ints.DivI64);
        registry.Add("int.div_i64.overflow", WasmMatrix.Suites.Core.Ints.DivI64);
        registry.Add("int.shift_i32", WasmMatrix.Suites.Core.Ints.ShiftI32);
        registry.Add("int.shift_i32.top", WasmMatrix.Suites.Core.Ints.ShiftI32);
        registry.Add("int.shift_i64", WasmMatrix.Suites.Core.Ints.ShiftI64);
        registry.Add("int.bits_i32", WasmMatrix.Suites.Core.Ints.BitsI32);
        registry.Add("int.bits_i32.zero", WasmMatrix.Suites.Core.Ints.BitsI32);

        registry.Add("float.arith", WasmMatrix.Suites.Core.Floats.Arith);
        registry.Add("float.arith.div_zero", WasmMatrix.Suites.Core.Floats.Arith);
        registry.Add("float.arith.neg_zero", WasmMatrix.Suites.Core.Floats.Arith);
        registry.Add("float.arith.nan", WasmMatrix.Suites.Core.Floats.Arith);
        registry.Add("float.arith.max", WasmMatrix.Suites.Core.Floats.Arith);
        registry.Add("float.arith.bad_input", WasmMatrix.Suites.Core.Floats.Arith);
        registry.Add("float.round.half", WasmMatrix.Suites.Core.Floats.Round);
        registry.Add("float.round.neg_half", WasmMatrix.Suites.Core.Floats.Round);
        registry.Add("float.round.below_half", WasmMatrix.Suites.Core.Floats.Round);
        registry.Add("float.round.neg_small", WasmMatrix.Suites.Core.Floats.Round);
        registry.Add("float.round.big", WasmMatrix.Suites.Core.Floats.Round);
        registry.Add("float.round.inf", WasmMatrix.Suites.Core.Floats.Round);
        registry.Add("float.to_i32", WasmMatrix.Suites.Core.Floats.ToI32);
        registry.Add("float.to_i32.min", WasmMatrix.Suites.Core.Floats.ToI32);
        registry.Add("float.to_i32.overflow", WasmMatrix.Suites.Core.Floats.ToI32);
        registry.Add("float.to_i32.nan", WasmMatrix.Suites.Core.Floats.ToI32);
        registry.Add("float.special", WasmMatrix.Suites.Core.Floats.Special);

        registry.Add("str.reverse", WasmMatrix.Suites.Core.Strings.Reverse);
        registry.Add("str.reverse.emoji", WasmMatrix.Suites.Core.Strings.Reverse);
        registry.Add("str.reverse.combining", WasmMatrix.Suites.Core.Strings.Reverse);
        registry.Add("str.reverse.empty", WasmMatrix.Suites.Core.Strings.Reverse);
        registry.Add("str.reverse.invalid", WasmMatrix.Suites.Core.Strings.Reverse);
        registry.Add("str.reverse.surrogate", WasmMatrix.Suites.Core.Strings.Reverse);
        registry.Add("str.reverse.overlong", WasmMatrix.Suites.Core.Strings.Reverse);
        registry.Add("str.reverse.truncated", WasmMatrix.Suites.Core.Strings.Reverse);
        registry.Add("str.upper_ascii", WasmMatrix.Suites.Core.Strings.UpperAscii);
        registry.Add("str.upper_ascii.invalid", WasmMatrix.Suites.Core.Strings.UpperAscii);
        registry.Add("str.length", WasmMatrix.Suites.Core.Strings.Length);
        registry.Add("str.length.too_big", WasmMatrix.Suites.Core.Strings.Length);
        registry.Add("str.codepoints", WasmMatrix.Suites.Core.Strings.Codepoints);
        registry.Add("str.codepoints.mixed", WasmMatrix.Suites.Core.Strings.Codepoints);

        registry.Add("bytes.xor", WasmMatrix.Suites.Core.Bytes.Xor);
        registry.Add("bytes.xor.empty", WasmMatrix.Suites.Core.Bytes.Xor);
        registry.Add("bytes.crc32", WasmMatrix.Suites.Core.Bytes.Crc32);
        registry.Add("bytes.crc32.empty", WasmMatrix.Suites.Core.Bytes.Crc32);
        registry.Add("bytes.crc32.fox", WasmMatrix.Suites.Core.Bytes.Crc32);
        registry.Add("bytes.adler32", WasmMatrix.Suites.Core.Bytes.Adler32);
        registry.Add("bytes.fnv1a32", WasmMatrix.Suites.Core.Bytes.Fnv1a32);
        registry.Add("bytes.fnv1a32.long", WasmMatrix.Suites.Core.Bytes.Fnv1a32);

        registry.Add("coll.sort", WasmMatrix.Suites.Core.Collections.Sort);
        registry.Add("coll.sort.empty", WasmMatrix.Suites.Core.Collections.Sort);
        registry.Add("coll.sort.extremes", WasmMatrix.Suites.Core.Collections.Sort);
        registry.Add("coll.sort.bad_input", WasmMatrix.Suites.Core.Collections.Sort);
        registry.Add("coll.sort.trailing", WasmMatrix.Suites.Core.Collections.Sort);
        registry.Add("coll.dedupe", WasmMatrix.Suites.Core.Collections.Dedupe);
        registry.Add("coll.histogram", WasmMatrix.Suites.Core.Collections.Histogram);
        registry.Add("coll.histogram.mixed", WasmMatrix.Suites.Core.Collections.Histogram);
        registry.Add("coll.stats", WasmMatrix.Suites.Core.Collections.Stats);
        registry.Add("coll.stats.empty", WasmMatrix.Suites.Core.Collections.Stats);

        registry.Add("error.divide_by_zero", WasmMatrix.Suites.Core.Errors.Divide);
        registry.Add("error.argument", WasmMatrix.Suites.Core.Errors.Argument);
        registry.Add("error.custom", WasmMatrix.Suites.Core.Errors.Custom);
        registry.Add("error.custom.ok", WasmMatrix.Suites.Core.Errors.Custom);
        registry.Add("error.overflow", WasmMatrix.Suites.Core.Errors.Overflow);
        registry.Add("error.index", WasmMatrix.Suites.Core.Errors.Index);
        registry.Add("error.null_reference", WasmMatrix.Suites.Core.Errors.NullReference);

        // Limits the host enforces; the direct traps exist only in C and WAT.
        registry.Add("trap.memory_bomb", WasmMatrix.Suites.Core.Limits.MemoryBomb);
        registry.Add("trap.infinite_loop", WasmMatrix.Suites.Core.Limits.Spin);
        registry.Add("trap.out_of_fuel", WasmMatrix.Suites.Core.Limits.Spin);
    }
}
