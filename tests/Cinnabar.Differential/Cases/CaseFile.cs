using System.Text;
using Cinnabar.Commands;
using Cinnabar.Protocol;

namespace Cinnabar.Differential.Cases;

/// <summary>What a case line does.</summary>
public enum CaseLineKind { Command, Raw, Sleep, Closed, Connection }

/// <summary>One line of a case file, parsed.</summary>
public sealed record CaseLine(int Number, string Text, CaseLineKind Kind, byte[][] Args, bool Unordered, bool ScanAll, int OnlyProtocol, int Value);

/// <summary>A named group of lines run on fresh, empty servers: one test case per block and protocol.</summary>
public sealed class CaseBlock
{
    public required string File { get; init; }
    public required string Name { get; init; }
    public string Id => $"{File}:{Name}";
    public List<CaseLine> Lines { get; } = [];
    public HashSet<string> Requires { get; } = new(StringComparer.OrdinalIgnoreCase);
    public HashSet<int> Protocols { get; } = [2, 3];
}

/// <summary>
/// Parses the case files in cases/. Format (see cases/README.md):
///   # comment                      blank lines are ignored
///   @block NAME                    starts a block (state is reset: both servers empty, new connections)
///   @requires CMD CONTAINER|SUB    commands the block needs besides those its lines start with
///   @protocols 2                   run the block only in RESP2 (or 3); default both
///   SET k v                        a command, redis-cli quoting ("\x00", "\r\n", 'single')
///   @unordered SMEMBERS s          compare the reply's elements as a multiset
///   @scanall SCAN 0 MATCH k*       iterate the cursor to 0 on each server, compare the union of elements
///   @resp2 CMD / @resp3 CMD        run the line only in that protocol
///   @raw "PING\r\n"                send raw bytes, compare the one reply
///   @closed                        both servers must have closed the connection (then it is reopened)
///   @conn N                        switch to connection pair N (opened on first use; starts at 0)
///   @sleep MS                      wait (for expiry tests)
/// Lines before the first @block form a block named "main"; @requires there applies to the whole file.
/// </summary>
public static class CaseFile
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "cases");

    private static readonly HashSet<string> ReferenceNames =
        CommandTable.Shared.Reference.Select(d => d.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static List<CaseBlock> LoadAll() =>
        System.IO.Directory.GetFiles(Directory, "*.txt").OrderBy(f => f, StringComparer.Ordinal).SelectMany(Load).ToList();

    public static List<CaseBlock> Load(string path)
    {
        string file = Path.GetFileName(path);
        var fileRequires = new List<string>();
        var blocks = new List<CaseBlock>();
        CaseBlock? current = null;
        int number = 0;
        foreach (var rawLine in File.ReadAllLines(path))
        {
            number++;
            var text = rawLine.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            if (text.StartsWith("@block", StringComparison.Ordinal))
            {
                current = new CaseBlock { File = file, Name = text[6..].Trim() };
                current.Requires.UnionWith(fileRequires);
                blocks.Add(current);
                continue;
            }
            if (current == null)
            {
                current = new CaseBlock { File = file, Name = "main" };
                blocks.Add(current);
            }
            if (text.StartsWith("@requires", StringComparison.Ordinal))
            {
                var names = text[9..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => n.Replace('|', ' '));
                current.Requires.UnionWith(names);
                if (current.Name == "main" && current.Lines.Count == 0) fileRequires.AddRange(names);
                continue;
            }
            if (text.StartsWith("@protocols", StringComparison.Ordinal))
            {
                current.Protocols.Clear();
                foreach (var p in text[10..].Split(' ', StringSplitOptions.RemoveEmptyEntries)) current.Protocols.Add(int.Parse(p));
                continue;
            }
            current.Lines.Add(ParseLine(file, number, text));
        }
        foreach (var b in blocks)
            foreach (var line in b.Lines.Where(l => l.Kind == CaseLineKind.Command))
                if (NeededCommand(line.Args) is { } needed) b.Requires.Add(needed);
        return blocks.Where(b => b.Lines.Count > 0).ToList();
    }

    /// <summary>The reference command a line exercises ("GET", "CONFIG GET"), or null for unknown names (tested as such).</summary>
    public static string? NeededCommand(IReadOnlyList<byte[]> args)
    {
        string name = Encoding.UTF8.GetString(args[0]).ToUpperInvariant();
        if (!ReferenceNames.Contains(name)) return null;
        if (args.Count > 1)
        {
            string sub = name + " " + Encoding.UTF8.GetString(args[1]).ToUpperInvariant();
            if (ReferenceNames.Contains(sub)) return sub;
        }
        return name;
    }

    private static CaseLine ParseLine(string file, int number, string text)
    {
        bool unordered = false, scanAll = false;
        int only = 0;
        while (text.StartsWith('@'))
        {
            int space = text.IndexOf(' ');
            string directive = space < 0 ? text : text[..space];
            string rest = space < 0 ? "" : text[(space + 1)..].Trim();
            switch (directive)
            {
                case "@unordered": unordered = true; text = rest; continue;
                case "@scanall": scanAll = true; text = rest; continue;
                case "@resp2": only = 2; text = rest; continue;
                case "@resp3": only = 3; text = rest; continue;
                case "@raw": return new CaseLine(number, text, CaseLineKind.Raw, [Split(file, number, rest).Single()], false, false, only, 0);
                case "@closed": return new CaseLine(number, text, CaseLineKind.Closed, [], false, false, only, 0);
                case "@conn": return new CaseLine(number, text, CaseLineKind.Connection, [], false, false, only, int.Parse(rest));
                case "@sleep": return new CaseLine(number, text, CaseLineKind.Sleep, [], false, false, only, int.Parse(rest));
                default: throw new FormatException($"{file}:{number}: unknown directive {directive}");
            }
        }
        return new CaseLine(number, text, CaseLineKind.Command, Split(file, number, text), unordered, scanAll, only, 0);
    }

    public static byte[][] Split(string file, int number, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var args = new CommandArgs();
        args.Reset(bytes);
        if (!RespParser.SplitArgs(bytes, 0, args) || args.Count == 0)
            throw new FormatException($"{file}:{number}: unbalanced quotes or empty line: {text}");
        var result = new byte[args.Count][];
        for (int i = 0; i < args.Count; i++) result[i] = args[i].ToArray();
        return result;
    }
}
