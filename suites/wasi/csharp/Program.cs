// The `wasi` suite in C#: one command program whose first argument selects a
// behaviour. It behaves exactly like c/wasi.c: same stdout, stderr and exit
// code. Output goes to the raw standard streams as UTF-8, so no console
// encoding or newline convention can change a byte. C# 7, no reflection.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

public static class GuestProgram
{
    const int ExitUsage = 64;
    const int ExitIo = 2;

    static readonly Encoding Utf8 = new UTF8Encoding(false);
    static Stream stdout;
    static Stream stderr;

    static void Out(string s)
    {
        byte[] b = Utf8.GetBytes(s);
        stdout.Write(b, 0, b.Length);
    }

    static void Err(string s)
    {
        byte[] b = Utf8.GetBytes(s);
        stderr.Write(b, 0, b.Length);
    }

    static int Usage()
    {
        Err("usage: wasi-guest echo|args|env|upper|count|exit|stderr|read|write|copy|ls ...\n");
        return ExitUsage;
    }

    static byte[] ReadAll(Stream s)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int got;
        while ((got = s.Read(chunk, 0, chunk.Length)) > 0) buffer.Write(chunk, 0, got);
        return buffer.ToArray();
    }

    static string Joined(string[] args, int from)
    {
        var parts = new List<string>();
        for (int i = from; i < args.Length; i++) parts.Add(args[i]);
        return string.Join(" ", parts);
    }

    static int Echo(string[] args)
    {
        Out(Joined(args, 1) + "\n");
        return 0;
    }

    static int Args(string[] args)
    {
        Out("argc=" + (args.Length - 1) + "\n");
        for (int i = 1; i < args.Length; i++) Out("[" + args[i] + "]\n");
        return 0;
    }

    static int Env(string[] args)
    {
        for (int i = 1; i < args.Length; i++)
        {
            string value = Environment.GetEnvironmentVariable(args[i]);
            Out(value != null ? args[i] + "=" + value + "\n" : args[i] + " is not set\n");
        }
        return 0;
    }

    static int Upper()
    {
        byte[] data = ReadAll(Console.OpenStandardInput());
        for (int i = 0; i < data.Length; i++)
            if (data[i] >= (byte)'a' && data[i] <= (byte)'z') data[i] = (byte)(data[i] - 32);
        stdout.Write(data, 0, data.Length);
        return 0;
    }

    /// <summary>Like wc: newlines, words separated by ASCII whitespace, bytes.</summary>
    static int Count()
    {
        byte[] data = ReadAll(Console.OpenStandardInput());
        long lines = 0, words = 0;
        bool inWord = false;
        foreach (byte c in data)
        {
            bool space = c == (byte)' ' || c == (byte)'\t' || c == (byte)'\n' || c == (byte)'\r' || c == 0x0b || c == 0x0c;
            if (c == (byte)'\n') lines++;
            if (space)
            {
                inWord = false;
            }
            else if (!inWord)
            {
                inWord = true;
                words++;
            }
        }
        Out("lines=" + lines + " words=" + words + " bytes=" + data.Length + "\n");
        return 0;
    }

    /// <summary>exit N: says so on stderr, exits with N (0..255).</summary>
    static int Exit(string[] args)
    {
        if (args.Length != 2) return Usage();
        string text = args[1];
        if (text.Length == 0 || text.Length > 3) return Usage();
        int code = 0;
        foreach (char c in text)
        {
            if (c < '0' || c > '9') return Usage();
            code = code * 10 + (c - '0');
        }
        if (code > 255) return Usage();
        Err("exiting with " + code + "\n");
        return code;
    }

    static int StdErr(string[] args)
    {
        Err(Joined(args, 1) + "\n");
        return 0;
    }

    /// <summary>The whole file, or null after saying on stderr that it cannot be opened.</summary>
    static byte[] ReadOrSay(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception)
        {
            Err("cannot open " + path + "\n");
            return null;
        }
    }

    static int Read(string[] args)
    {
        if (args.Length != 2) return Usage();
        byte[] data = ReadOrSay(args[1]);
        if (data == null) return ExitIo;
        stdout.Write(data, 0, data.Length);
        return 0;
    }

    /// <summary>Writes bytes to a new file, then reads the file back and prints it.</summary>
    static int WriteAndShow(string path, byte[] data, string verb)
    {
        try
        {
            using (var f = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                f.Write(data, 0, data.Length);
            }
        }
        catch (Exception)
        {
            Err("cannot open " + path + " for writing\n");
            return ExitIo;
        }
        byte[] back = ReadOrSay(path);
        if (back == null) return ExitIo;
        Out(verb + " " + data.Length + " bytes to " + path + "\n");
        stdout.Write(back, 0, back.Length);
        return 0;
    }

    static int Write(string[] args)
    {
        if (args.Length < 2) return Usage();
        var words = new List<string>();
        for (int i = 2; i < args.Length; i++) words.Add(args[i]);
        return WriteAndShow(args[1], Utf8.GetBytes(string.Join(" ", words) + "\n"), "wrote");
    }

    static int Copy(string[] args)
    {
        if (args.Length != 3) return Usage();
        byte[] data = ReadOrSay(args[1]);
        if (data == null) return ExitIo;
        return WriteAndShow(args[2], data, "copied");
    }

    /// <summary>Entries of a directory in ordinal order, directories marked with a `/`.</summary>
    static int Ls(string[] args)
    {
        if (args.Length != 2) return Usage();
        string dir = args[1];
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(dir);
        }
        catch (Exception)
        {
            Err("cannot list " + dir + "\n");
            return ExitIo;
        }
        var names = new List<string>();
        foreach (string entry in entries) names.Add(Path.GetFileName(entry));
        names.Sort(string.CompareOrdinal);
        foreach (string name in names) Out(name + (Directory.Exists(dir + "/" + name) ? "/" : "") + "\n");
        return 0;
    }

    static int Run(string[] args)
    {
        if (args.Length < 1) return Usage();
        switch (args[0])
        {
            case "echo": return Echo(args);
            case "args": return Args(args);
            case "env": return Env(args);
            case "upper": return Upper();
            case "count": return Count();
            case "exit": return Exit(args);
            case "stderr": return StdErr(args);
            case "read": return Read(args);
            case "write": return Write(args);
            case "copy": return Copy(args);
            case "ls": return Ls(args);
            default: return Usage();
        }
    }

    public static int Main(string[] args)
    {
        stdout = Console.OpenStandardOutput();
        stderr = Console.OpenStandardError();
        int code = Run(args);
        stdout.Flush();
        stderr.Flush();
        return code;
    }
}
