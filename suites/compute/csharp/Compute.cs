// The `compute` suite in C#: benchmark-sized work with checkable answers.
// SHA-256 is written out (System.Security.Cryptography does not exist on
// wasi-wasm); sorting, tokenizing, matrix multiply and string building follow
// c/compute.c step for step, so outputs are byte for byte the same.
// C# 7, no reflection, nothing beyond the base class library.
using System;
using System.Globalization;
using System.Text;
using WasmMatrix.Guest;

namespace WasmMatrix.Suites.Compute
{
    internal static class Util
    {
        public const ulong Fnv64Offset = 0xcbf29ce484222325UL;

        public static ulong Fnv1a64(ulong h, byte[] p, int start, int length)
        {
            for (int i = start; i < start + length; i++) h = unchecked((h ^ p[i]) * 0x100000001b3UL);
            return h;
        }

        public static byte[] Text(string s) { return Encoding.UTF8.GetBytes(s); }

        public static string S(long v) { return v.ToString(CultureInfo.InvariantCulture); }

        public static string Hex16(ulong v) { return v.ToString("x16", CultureInfo.InvariantCulture); }

        static bool IsSpace(byte c) { return c == (byte)' ' || c == (byte)'\n' || c == (byte)'\r' || c == (byte)'\t'; }

        /// <summary>One non-negative decimal of at most 9 digits, whitespace around it allowed.</summary>
        public static long ReadCount(byte[] input)
        {
            int i = 0;
            while (i < input.Length && IsSpace(input[i])) i++;
            int start = i;
            long v = 0;
            while (i < input.Length && input[i] >= (byte)'0' && input[i] <= (byte)'9' && i - start < 9) v = v * 10 + (input[i++] - (byte)'0');
            int digits = i - start;
            while (i < input.Length && IsSpace(input[i])) i++;
            if (digits == 0 || i != input.Length) throw new FormatException("expected a count");
            return v;
        }
    }

    /// <summary>SHA-256 (FIPS 180-4).</summary>
    internal sealed class Sha256
    {
        static readonly uint[] K =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
            0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
            0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
            0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
            0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
            0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        };

        readonly uint[] h = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
        readonly uint[] w = new uint[64];
        readonly byte[] block = new byte[64];
        int fill;
        ulong total;

        static uint Rotr(uint x, int n) { return (x >> n) | (x << (32 - n)); }

        void Compress(byte[] p, int offset)
        {
            for (int i = 0; i < 16; i++)
            {
                int o = offset + 4 * i;
                w[i] = (uint)p[o] << 24 | (uint)p[o + 1] << 16 | (uint)p[o + 2] << 8 | p[o + 3];
            }
            for (int i = 16; i < 64; i++)
            {
                uint s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
                uint s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
                w[i] = unchecked(w[i - 16] + s0 + w[i - 7] + s1);
            }
            uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
            for (int i = 0; i < 64; i++)
            {
                uint t1 = unchecked(hh + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]);
                uint t2 = unchecked((Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c)));
                hh = g;
                g = f;
                f = e;
                e = unchecked(d + t1);
                d = c;
                c = b;
                b = a;
                a = unchecked(t1 + t2);
            }
            unchecked
            {
                h[0] += a;
                h[1] += b;
                h[2] += c;
                h[3] += d;
                h[4] += e;
                h[5] += f;
                h[6] += g;
                h[7] += hh;
            }
        }

        public void Update(byte[] p, int offset, int length)
        {
            total += (ulong)length;
            if (fill > 0)
            {
                int take = Math.Min(64 - fill, length);
                Buffer.BlockCopy(p, offset, block, fill, take);
                fill += take;
                offset += take;
                length -= take;
                if (fill < 64) return;
                Compress(block, 0);
                fill = 0;
            }
            while (length >= 64)
            {
                Compress(p, offset);
                offset += 64;
                length -= 64;
            }
            Buffer.BlockCopy(p, offset, block, 0, length);
            fill = length;
        }

        public byte[] Final()
        {
            ulong bits = total * 8;
            var pad = new byte[72];
            pad[0] = 0x80;
            int padLength = (fill < 56 ? 56 : 120) - fill;
            for (int i = 0; i < 8; i++) pad[padLength + i] = (byte)(bits >> (56 - 8 * i));
            Update(pad, 0, padLength + 8);
            var digest = new byte[32];
            for (int i = 0; i < 8; i++)
            {
                digest[4 * i] = (byte)(h[i] >> 24);
                digest[4 * i + 1] = (byte)(h[i] >> 16);
                digest[4 * i + 2] = (byte)(h[i] >> 8);
                digest[4 * i + 3] = (byte)h[i];
            }
            return digest;
        }

        public static string Hex(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        public static byte[] Digest(byte[] input)
        {
            var sha = new Sha256();
            sha.Update(input, 0, input.Length);
            return Util.Text(Hex(sha.Final()));
        }

        /// <summary>d = H(in), then 15 times d = H(in || d): 16 passes.</summary>
        public static byte[] Chain16(byte[] input)
        {
            var sha = new Sha256();
            sha.Update(input, 0, input.Length);
            byte[] digest = sha.Final();
            for (int round = 1; round < 16; round++)
            {
                sha = new Sha256();
                sha.Update(input, 0, input.Length);
                sha.Update(digest, 0, 32);
                digest = sha.Final();
            }
            return Util.Text(Hex(digest));
        }
    }

    internal static class Sorting
    {
        /// <summary>Bottom-up merge sort, stable; the same algorithm as the C one.</summary>
        static void MergeSort(int[] a, int[] tmp)
        {
            int n = a.Length;
            int[] src = a, dst = tmp;
            for (int width = 1; width < n; width *= 2)
            {
                for (int lo = 0; lo < n; lo += 2 * width)
                {
                    int mid = Math.Min(lo + width, n);
                    int hi = (int)Math.Min((long)lo + 2L * width, n);
                    int i = lo, j = mid, k = lo;
                    while (i < mid && j < hi) dst[k++] = src[j] < src[i] ? src[j++] : src[i++];
                    while (i < mid) dst[k++] = src[i++];
                    while (j < hi) dst[k++] = src[j++];
                }
                int[] swap = src;
                src = dst;
                dst = swap;
            }
            if (src != a) Array.Copy(src, a, n);
        }

        public static byte[] SortInts(byte[] input)
        {
            if (input.Length % 4 != 0) throw new ArgumentException("input length must be a multiple of 4");
            int n = input.Length / 4;
            var a = new int[n];
            for (int i = 0; i < n; i++) a[i] = input[4 * i] | input[4 * i + 1] << 8 | input[4 * i + 2] << 16 | input[4 * i + 3] << 24;
            MergeSort(a, new int[n]);
            ulong h = Util.Fnv64Offset;
            long sum = 0;
            var le = new byte[4];
            for (int i = 0; i < n; i++)
            {
                uint v = (uint)a[i];
                le[0] = (byte)v;
                le[1] = (byte)(v >> 8);
                le[2] = (byte)(v >> 16);
                le[3] = (byte)(v >> 24);
                h = Util.Fnv1a64(h, le, 0, 4);
                sum += a[i];
            }
            var sb = new StringBuilder("count=").Append(Util.S(n));
            if (n > 0) sb.Append(" min=").Append(Util.S(a[0])).Append(" max=").Append(Util.S(a[n - 1]));
            sb.Append(" sum=").Append(Util.S(sum)).Append(" fnv1a64=").Append(Util.Hex16(h));
            return Util.Text(sb.ToString());
        }
    }

    internal static class JsonTokens
    {
        static readonly string[] Names =
        {
            "begin_object", "end_object", "begin_array", "end_array", "colon", "comma", "string", "number", "true", "false", "null",
        };

        const int StringToken = 6, NumberToken = 7, TrueToken = 8, FalseToken = 9, NullToken = 10;

        static bool IsDigit(byte c) { return c >= (byte)'0' && c <= (byte)'9'; }

        static bool IsHex(byte c) { return IsDigit(c) || (c >= (byte)'a' && c <= (byte)'f') || (c >= (byte)'A' && c <= (byte)'F'); }

        static bool At(byte[] s, int i, string word)
        {
            if (s.Length - i < word.Length) return false;
            for (int k = 0; k < word.Length; k++)
                if (s[i + k] != (byte)word[k]) return false;
            return true;
        }

        /// <summary>Counts tokens by kind; returns the offset of the first bad byte, or -1.</summary>
        static int Tokenize(byte[] s, int len, long[] counts)
        {
            int i = 0;
            while (i < len)
            {
                byte c = s[i];
                if (c == (byte)' ' || c == (byte)'\t' || c == (byte)'\n' || c == (byte)'\r')
                {
                    i++;
                }
                else if (c == (byte)'{' || c == (byte)'}' || c == (byte)'[' || c == (byte)']' || c == (byte)':' || c == (byte)',')
                {
                    counts[c == (byte)'{' ? 0 : c == (byte)'}' ? 1 : c == (byte)'[' ? 2 : c == (byte)']' ? 3 : c == (byte)':' ? 4 : 5]++;
                    i++;
                }
                else if (c == (byte)'"')
                {
                    i++;
                    while (true)
                    {
                        if (i >= len) return i;
                        byte d = s[i];
                        if (d == (byte)'"')
                        {
                            i++;
                            break;
                        }
                        if (d < 0x20) return i;
                        if (d == (byte)'\\')
                        {
                            if (i + 1 >= len) return i + 1;
                            byte e = s[i + 1];
                            if (e == (byte)'u')
                            {
                                for (int k = 2; k < 6; k++)
                                    if (i + k >= len || !IsHex(s[i + k])) return i + k;
                                i += 6;
                            }
                            else if (e == (byte)'"' || e == (byte)'\\' || e == (byte)'/' || e == (byte)'b' || e == (byte)'f' || e == (byte)'n' || e == (byte)'r' || e == (byte)'t')
                            {
                                i += 2;
                            }
                            else
                            {
                                return i + 1;
                            }
                        }
                        else
                        {
                            i++;
                        }
                    }
                    counts[StringToken]++;
                }
                else if (c == (byte)'-' || IsDigit(c))
                {
                    if (c == (byte)'-') i++;
                    if (i >= len || !IsDigit(s[i])) return i;
                    if (s[i] == (byte)'0')
                    {
                        i++;
                    }
                    else
                    {
                        while (i < len && IsDigit(s[i])) i++;
                    }
                    if (i < len && s[i] == (byte)'.')
                    {
                        i++;
                        if (i >= len || !IsDigit(s[i])) return i;
                        while (i < len && IsDigit(s[i])) i++;
                    }
                    if (i < len && (s[i] == (byte)'e' || s[i] == (byte)'E'))
                    {
                        i++;
                        if (i < len && (s[i] == (byte)'+' || s[i] == (byte)'-')) i++;
                        if (i >= len || !IsDigit(s[i])) return i;
                        while (i < len && IsDigit(s[i])) i++;
                    }
                    counts[NumberToken]++;
                }
                else if (At(s, i, "true"))
                {
                    counts[TrueToken]++;
                    i += 4;
                }
                else if (At(s, i, "false"))
                {
                    counts[FalseToken]++;
                    i += 5;
                }
                else if (At(s, i, "null"))
                {
                    counts[NullToken]++;
                    i += 4;
                }
                else
                {
                    return i;
                }
            }
            return -1;
        }

        static byte[] Counts(byte[] doc, int len)
        {
            var counts = new long[Names.Length];
            int bad = Tokenize(doc, len, counts);
            if (bad >= 0) throw new FormatException("invalid JSON token at byte " + Util.S(bad));
            var sb = new StringBuilder("{");
            for (int k = 0; k < Names.Length; k++) sb.Append('"').Append(Names[k]).Append("\":").Append(Util.S(counts[k])).Append(',');
            return Util.Text(sb.Append("\"bytes\":").Append(Util.S(len)).Append('}').ToString());
        }

        public static byte[] Tokens(byte[] input) { return Counts(input, input.Length); }

        /// <summary>Builds a document of N records (see suites/README.md), then tokenizes it.</summary>
        public static byte[] Generated(byte[] input)
        {
            long n = Util.ReadCount(input);
            var sb = new StringBuilder("[");
            for (long i = 0; i < n; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append("{\"id\":").Append(Util.S(i));
                sb.Append(i % 5 == 0 ? ",\"name\":\"q\\\"uote\\\\\\u00e9-" : ",\"name\":\"item-").Append(Util.S(i));
                sb.Append("\",\"price\":").Append(Util.S(i * 37 % 1000)).Append('.');
                sb.Append((char)('0' + i % 100 / 10)).Append((char)('0' + i % 10));
                sb.Append(",\"scale\":-1.5e-3,\"tags\":[\"t").Append(Util.S(i % 7)).Append("\",\"x\"],\"ok\":");
                sb.Append(i % 3 == 0 ? "true" : "false").Append(",\"note\":null}");
            }
            byte[] doc = Util.Text(sb.Append(']').ToString());
            return Counts(doc, doc.Length);
        }
    }

    internal static class Matrix
    {
        /// <summary>xorshift64*, seeded like the C one.</summary>
        sealed class XorShift
        {
            ulong state;

            public XorShift(ulong seed)
            {
                state = unchecked(seed * 0x9e3779b97f4a7c15UL + 1);
                if (state == 0) state = 1;
            }

            public ulong Next()
            {
                ulong s = state;
                s ^= s >> 12;
                s ^= s << 25;
                s ^= s >> 27;
                state = s;
                return unchecked(s * 0x2545f4914f6cdd1dUL);
            }

            /// <summary>A double in [-1, 1): 53 random bits.</summary>
            public double Unit() { return (double)(Next() >> 11) * (1.0 / 9007199254740992.0) * 2.0 - 1.0; }
        }

        static string Bits(double d) { return Util.Hex16((ulong)BitConverter.DoubleToInt64Bits(d)); }

        /// <summary>Input "n seed"; C = A * B with each sum over k in increasing order.</summary>
        public static byte[] Multiply(byte[] input)
        {
            long n = 0, seed = 0;
            int i = 0, fields = 0;
            while (fields < 2)
            {
                while (i < input.Length && input[i] == (byte)' ') i++;
                int start = i;
                long v = 0;
                while (i < input.Length && input[i] >= (byte)'0' && input[i] <= (byte)'9' && i - start < 9) v = v * 10 + (input[i++] - (byte)'0');
                if (i == start) break;
                if (fields == 0) n = v;
                else seed = v;
                fields++;
            }
            while (i < input.Length && (input[i] == (byte)' ' || input[i] == (byte)'\n')) i++;
            if (fields != 2 || i != input.Length || n < 1 || n > 2048) throw new FormatException("expected \"n seed\" with 1 <= n <= 2048");
            int size = (int)n, nn = size * size;
            var a = new double[nn];
            var b = new double[nn];
            var c = new double[nn];
            var x = new XorShift((ulong)seed);
            for (int k = 0; k < nn; k++) a[k] = x.Unit();
            for (int k = 0; k < nn; k++) b[k] = x.Unit();
            for (int r = 0; r < size; r++)
            {
                int crow = r * size;
                for (int k = 0; k < size; k++)
                {
                    double av = a[crow + k];
                    int brow = k * size;
                    for (int col = 0; col < size; col++) c[crow + col] += av * b[brow + col];
                }
            }
            double trace = 0.0, sum = 0.0;
            for (int r = 0; r < size; r++) trace += c[r * size + r];
            for (int k = 0; k < nn; k++) sum += c[k];
            return Util.Text("n=" + Util.S(n) + " trace=" + Bits(trace) + " sum=" + Bits(sum) + " last=" + Bits(c[nn - 1]));
        }
    }

    internal static class StringBuilding
    {
        /// <summary>N lines "item i" (+ " fizz" when i % 3 == 0, + " café" when i % 10 == 0) + "\n".</summary>
        public static byte[] Build(byte[] input)
        {
            long n = Util.ReadCount(input);
            var sb = new StringBuilder();
            for (long i = 0; i < n; i++)
            {
                sb.Append("item ");
                sb.Append(Util.S(i));
                if (i % 3 == 0) sb.Append(" fizz");
                if (i % 10 == 0) sb.Append(" caf\u00e9");
                sb.Append('\n');
            }
            string s = sb.ToString();
            byte[] bytes = Encoding.UTF8.GetBytes(s);
            ulong h = Util.Fnv1a64(Util.Fnv64Offset, bytes, 0, bytes.Length);
            return Util.Text("bytes=" + Util.S(bytes.Length) + " chars=" + Util.S(s.Length) + " fnv1a64=" + Util.Hex16(h));
        }
    }
}

/// <summary>The cases of the `compute` suite (names as in suite.json).</summary>
public static class GuestCases
{
    public static void Register(CaseRegistry registry)
    {
        registry.Add("sha256.empty", WasmMatrix.Suites.Compute.Sha256.Digest);
        registry.Add("sha256.abc", WasmMatrix.Suites.Compute.Sha256.Digest);
        registry.Add("sha256.two_blocks", WasmMatrix.Suites.Compute.Sha256.Digest);
        registry.Add("sha256.55_bytes", WasmMatrix.Suites.Compute.Sha256.Digest);
        registry.Add("sha256.56_bytes", WasmMatrix.Suites.Compute.Sha256.Digest);
        registry.Add("sha256.64_bytes", WasmMatrix.Suites.Compute.Sha256.Digest);
        registry.Add("sha256.1mib", WasmMatrix.Suites.Compute.Sha256.Digest);
        registry.Add("sha256.chain16.abc", WasmMatrix.Suites.Compute.Sha256.Chain16);
        registry.Add("sha256.chain16.1mib", WasmMatrix.Suites.Compute.Sha256.Chain16);
        registry.Add("sort.small", WasmMatrix.Suites.Compute.Sorting.SortInts);
        registry.Add("sort.empty", WasmMatrix.Suites.Compute.Sorting.SortInts);
        registry.Add("sort.bad_length", WasmMatrix.Suites.Compute.Sorting.SortInts);
        registry.Add("sort.100k", WasmMatrix.Suites.Compute.Sorting.SortInts);
        registry.Add("sort.256k", WasmMatrix.Suites.Compute.Sorting.SortInts);
        registry.Add("json.tokens", WasmMatrix.Suites.Compute.JsonTokens.Tokens);
        registry.Add("json.tokens.escapes", WasmMatrix.Suites.Compute.JsonTokens.Tokens);
        registry.Add("json.tokens.bad_literal", WasmMatrix.Suites.Compute.JsonTokens.Tokens);
        registry.Add("json.tokens.bad_escape", WasmMatrix.Suites.Compute.JsonTokens.Tokens);
        registry.Add("json.tokens.unterminated", WasmMatrix.Suites.Compute.JsonTokens.Tokens);
        registry.Add("json.tokens.generated.small", WasmMatrix.Suites.Compute.JsonTokens.Generated);
        registry.Add("json.tokens.generated.100k", WasmMatrix.Suites.Compute.JsonTokens.Generated);
        registry.Add("matmul.small", WasmMatrix.Suites.Compute.Matrix.Multiply);
        registry.Add("matmul.320", WasmMatrix.Suites.Compute.Matrix.Multiply);
        registry.Add("matmul.bad_input", WasmMatrix.Suites.Compute.Matrix.Multiply);
        registry.Add("strbuild.small", WasmMatrix.Suites.Compute.StringBuilding.Build);
        registry.Add("strbuild.1m", WasmMatrix.Suites.Compute.StringBuilding.Build);
    }
}
