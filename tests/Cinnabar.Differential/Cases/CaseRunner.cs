using System.Text;
using Cinnabar.Differential.Comparison;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Cases;

/// <summary>Runs one case block on both servers, line by line, and collects every mismatch.</summary>
public sealed class CaseRunner(DiffEnvironment env, CaseBlock block, int protocol)
{
    private readonly Dictionary<int, DiffPair> _pairs = [];
    private int _current;
    public List<string> Failures { get; } = [];
    public List<string> Tolerated { get; } = [];
    /// <summary>The reference commands ("GET", "CONFIG GET") whose replies differed (for the compatibility report).</summary>
    public HashSet<string> FailedCommands { get; } = new(StringComparer.OrdinalIgnoreCase);
    public int Compared { get; private set; }

    public void Run()
    {
        env.FlushBoth();
        try
        {
            foreach (var line in block.Lines)
            {
                if (line.OnlyProtocol != 0 && line.OnlyProtocol != protocol) continue;
                RunLine(line);
                if (Failures.Count >= 20) break;
            }
        }
        finally
        {
            foreach (var p in _pairs.Values) p.Dispose();
        }
    }

    private DiffPair Pair()
    {
        if (_pairs.TryGetValue(_current, out var pair)) return pair;
        pair = env.Connect(protocol);
        if (pair.Hello is { } hello) Check(-1, "HELLO 3", [Encoding.ASCII.GetBytes("HELLO"), "3"u8.ToArray()], hello.Oracle, hello.Cinnabar, null);
        return _pairs[_current] = pair;
    }

    private void RunLine(CaseLine line)
    {
        switch (line.Kind)
        {
            case CaseLineKind.Sleep:
                Thread.Sleep(line.Value);
                return;
            case CaseLineKind.Connection:
                _current = line.Value;
                return;
            case CaseLineKind.Closed:
                {
                    var pair = Pair();
                    bool o = pair.Oracle.WaitClosed(), c = pair.Cinnabar.WaitClosed();
                    Compared++;
                    if (o != c) Failures.Add($"{block.File}:{line.Number}: @closed: redis closed={o}, cinnabar closed={c}");
                    pair.Dispose();
                    _pairs.Remove(_current);
                    return;
                }
            case CaseLineKind.Raw:
                {
                    var (o, c) = Pair().Raw(line.Args[0]);
                    Check(line.Number, line.Text, null, o, c, ReplyRules.Exact);
                    return;
                }
            default:
                if (line.ScanAll) ScanAll(line);
                else
                {
                    var (o, c) = Pair().Call(line.Args);
                    Check(line.Number, line.Text, line.Args, o, c, line.Unordered ? ReplyRules.Unordered : null);
                }
                return;
        }
    }

    private void Check(int number, string text, IReadOnlyList<byte[]>? args, RespValue o, RespValue c, ReplyRules.Rule? forced)
    {
        Compared++;
        var diff = ReplyRules.Compare(args ?? [Encoding.ASCII.GetBytes("RAW")], o, c, forced);
        if (diff == null) return;
        var report = $"{block.File}:{(number < 0 ? "(connect)" : number.ToString())} [RESP{protocol}]: {text}\n" +
                     $"    redis:    {o.Show()}\n    cinnabar: {c.Show()}\n    ({diff})";
        var accepted = args == null ? null : AcceptedDivergences.Match(args, o, c);
        if (accepted != null) Tolerated.Add(report + $"\n    accepted divergence: {accepted.Why}");
        else
        {
            Failures.Add(report);
            if (args != null && CaseFile.NeededCommand(args) is { } name) FailedCommands.Add(name);
        }
    }

    /// <summary>Iterates a SCAN-family cursor to the end on each server and compares the sets of elements seen.</summary>
    private void ScanAll(CaseLine line)
    {
        var pair = Pair();
        string name = Encoding.ASCII.GetString(line.Args[0]).ToUpperInvariant();
        int cursorIndex = name == "SCAN" ? 1 : 2;
        bool pairs = name is "HSCAN" or "ZSCAN";
        (RespValue First, HashSet<string> Seen) Iterate(RespConnection conn)
        {
            var args = line.Args.ToArray();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            RespValue? first = null;
            for (int round = 0; round < 100_000; round++)
            {
                var reply = conn.Call(args);
                first ??= reply;
                if (reply.IsError || reply.Children.Count != 2) return (reply, seen);
                var items = reply.Children[1].Children;
                for (int i = 0; i < items.Count; i += pairs ? 2 : 1)
                    seen.Add(pairs && i + 1 < items.Count ? items[i] + " => " + items[i + 1] : items[i].ToString());
                if (reply.Children[0].Text == "0") return (first, seen);
                args[cursorIndex] = reply.Children[0].Payload;
            }
            throw new InvalidOperationException("scan did not finish in 100000 rounds");
        }
        var o = Task.Run(() => Iterate(pair.Oracle));
        var c = Iterate(pair.Cinnabar);
        Compared++;
        var (of, os) = o.Result;
        var (cf, cs) = c;
        if (of.IsError || cf.IsError || of.Children.Count != 2 || cf.Children.Count != 2)
        {
            Check(line.Number, line.Text, line.Args, of, cf, ReplyRules.Exact);
            return;
        }
        if (!os.SetEquals(cs) && FailedCommands.Add(CaseFile.NeededCommand(line.Args) ?? name))
            Failures.Add($"{block.File}:{line.Number} [RESP{protocol}]: {line.Text}\n" +
                         $"    redis saw:    {string.Join(" ", os.Order(StringComparer.Ordinal))}\n" +
                         $"    cinnabar saw: {string.Join(" ", cs.Order(StringComparer.Ordinal))}\n    (full scans differ)");
    }
}
