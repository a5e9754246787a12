using System.Text;

namespace Cinnabar.Tests.Support;

/// <summary>
/// Runs a script of commands whose exact replies were recorded from real Redis, and compares each reply.
/// A command line uses redis-cli quoting ("a b" is one argument); a line starting with "@unordered "
/// is compared as a multiset of reply lines, for replies whose order Redis leaves unspecified.
/// </summary>
public static class ReplyScript
{
    public static void Run(TestServer server, (string Command, string Resp2, string Resp3)[] script, int protocol)
    {
        using var client = server.Connect();
        if (protocol == 3) UseResp3(server, client);
        foreach (var (line, resp2, resp3) in script)
        {
            bool unordered = line.StartsWith("@unordered ", StringComparison.Ordinal);
            var args = Split(unordered ? line["@unordered ".Length..] : line);
            string expected = protocol == 3 ? resp3 : resp2;
            string actual = client.Call(args);
            if (unordered)
            {
                expected = SortedLines(expected);
                actual = SortedLines(actual);
            }
            Assert.True(expected == actual, $"RESP{protocol} `{line}`\nexpected: {Escape(expected)}\nactual:   {Escape(actual)}");
        }
    }

    /// <summary>Switches a connection to RESP3: HELLO 3 when the server has it, else directly.</summary>
    public static void UseResp3(TestServer server, RespClient client)
    {
        string reply = client.Call("HELLO", "3");
        if (!reply.StartsWith("-", StringComparison.Ordinal)) return;
        lock (server.Server.Gate)
        {
            foreach (var c in server.Server.ClientsSnapshot())
                if (c.Connection != null) c.Connection.Writer.Protocol = 3;
        }
    }

    public static string[] Split(string line)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        bool inQuotes = false, any = false;
        foreach (char ch in line)
        {
            if (ch == '"') { inQuotes = !inQuotes; any = true; continue; }
            if (ch == ' ' && !inQuotes)
            {
                if (any) args.Add(current.ToString());
                current.Clear();
                any = false;
                continue;
            }
            current.Append(ch);
            any = true;
        }
        if (any) args.Add(current.ToString());
        return args.ToArray();
    }

    private static string SortedLines(string reply) =>
        string.Join("\n", reply.Split("\r\n").Order(StringComparer.Ordinal));

    private static string Escape(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");
}
