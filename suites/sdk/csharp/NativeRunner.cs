// The csharp-native reference column: the suite's C# compiled by mcs and run
// on desktop Mono, speaking a line protocol instead of the wasm ABI.
//   dispatcher suites: stdin  {"case":"name","inputHex":"..."}   one request per line
//                      stdout {"status":"ok","outputHex":"..."} or {"status":"guest-error","message":"..."}
//   command suites (compiled with -d:WASM_MATRIX_COMMAND): runner --command <guest args>
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace WasmMatrix.Guest
{
    public static class NativeRunner
    {
        public static int Main(string[] args)
        {
            bool commandMode = args.Length > 0 && args[0] == "--command";
#if WASM_MATRIX_COMMAND
            if (!commandMode)
            {
                Console.Error.WriteLine("usage: runner --command [guest args...] (this is a command suite)");
                return 2;
            }
            string[] guestArgs = new string[args.Length - 1];
            Array.Copy(args, 1, guestArgs, 0, guestArgs.Length);
            return GuestProgram.Main(guestArgs);
#else
            if (commandMode)
            {
                Console.Error.WriteLine("this runner was built for a dispatcher suite; --command is not available");
                return 2;
            }
            ServeDispatcher();
            return 0;
#endif
        }

#if !WASM_MATRIX_COMMAND
        private static void ServeDispatcher()
        {
            UTF8Encoding utf8 = new UTF8Encoding(false);
            StreamReader requests = new StreamReader(Console.OpenStandardInput(), utf8);
            StreamWriter replies = new StreamWriter(Console.OpenStandardOutput(), utf8);
            // Guest code that prints must not corrupt the protocol stream.
            Console.SetOut(Console.Error);
            string line;
            while ((line = requests.ReadLine()) != null)
            {
                if (line.Trim().Length == 0) continue;
                replies.Write(Reply(line));
                replies.Write('\n');
                replies.Flush();
            }
        }

        private static string Reply(string line)
        {
            string name;
            byte[] input;
            try
            {
                Dictionary<string, string> request = JsonText.ParseFlatObject(line);
                if (!request.TryGetValue("case", out name)) throw new FormatException("the request has no \"case\"");
                string hex;
                input = request.TryGetValue("inputHex", out hex) ? Hex.Decode(hex) : new byte[0];
            }
            catch (FormatException e)
            {
                return "{\"status\":\"protocol-error\",\"message\":" + JsonText.Quote(e.Message) + "}";
            }
            byte[] output = Dispatcher.Invoke(name, input);
            byte[] body = new byte[output.Length - 1];
            Buffer.BlockCopy(output, 1, body, 0, body.Length);
            if (output[0] == AbiBuffers.StatusOk)
            {
                return "{\"status\":\"ok\",\"outputHex\":\"" + Hex.Encode(body) + "\"}";
            }
            return "{\"status\":\"guest-error\",\"message\":" + JsonText.Quote(Encoding.UTF8.GetString(body)) + "}";
        }
#endif
    }

    internal static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string Encode(byte[] bytes)
        {
            StringBuilder hex = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) hex.Append(Digits[b >> 4]).Append(Digits[b & 15]);
            return hex.ToString();
        }

        public static byte[] Decode(string hex)
        {
            if (hex.Length % 2 != 0) throw new FormatException("inputHex has an odd number of digits");
            byte[] bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(Nibble(hex[2 * i]) << 4 | Nibble(hex[2 * i + 1]));
            return bytes;
        }

        private static int Nibble(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            throw new FormatException("inputHex has a non-hex digit '" + c + "'");
        }
    }
}
