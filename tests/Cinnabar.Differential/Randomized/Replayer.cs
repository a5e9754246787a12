using System.Diagnostics;
using System.Text;
using Cinnabar.Differential.Comparison;
using Cinnabar.Differential.Randomized.Families;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Randomized;

/// <summary>
/// Plays a list of steps on both servers from the same clean state and finds the first divergence. Each replay:
/// both servers emptied, statistics reset, active expiry off (expiry happens only where a command meets an expired
/// key, so DBSIZE and INFO keyspace are exact), the settable parameters at their start values, and per server a
/// subscriber to every keyspace notification and an admin connection for the harness's own polls.
/// Simple steps are pipelined on the main connection in batches; the others run in lock step on both servers.
/// After every batch and step, the notifications each subscriber received are compared, in order.
/// </summary>
public sealed class Replayer(DiffEnvironment env, int protocol)
{
    public const int BatchSize = 500;

    /// <summary>Accepted divergences met (each with its command, replies and the accepted-divergences.txt entry).</summary>
    public List<string> Tolerated { get; } = [];

    /// <summary>
    /// Replays <paramref name="steps"/>; those from index <paramref name="oneByOneFrom"/> on are sent one at a time,
    /// so a server that drops the connection mid-batch is caught at the exact step. <paramref name="transcript"/>
    /// receives each command with the oracle's reply (for reproductions).
    /// </summary>
    public Divergence? Replay(IReadOnlyList<Step> steps, int oneByOneFrom = int.MaxValue, List<string>? transcript = null)
    {
        env.FlushBoth();
        var clock = Stopwatch.StartNew();
        using var session = new Session(env, protocol);
        if (session.Hello is { } helloDiff) return helloDiff;
        long maxBatchMs = 0;
        try
        {
            for (int start = 0; start < steps.Count;)
            {
                if (!steps[start].IsSimple)
                {
                    var watch = Stopwatch.StartNew();
                    var d = session.RunStep(start, steps[start], transcript, Tolerated) ?? session.CompareNotifications(start, steps[start]);
                    maxBatchMs = Math.Max(maxBatchMs, watch.ElapsedMilliseconds);
                    if (d != null) return d;
                    start++;
                    continue;
                }
                // A batch: consecutive simple steps, up to BatchSize commands (one step at a time past oneByOneFrom).
                int end = start, commands = 0;
                while (end < steps.Count && steps[end].IsSimple && (end == start || (end < oneByOneFrom && commands + steps[end].Acts.Count <= BatchSize)))
                {
                    commands += steps[end].Acts.Count;
                    end++;
                    if (start >= oneByOneFrom) break;
                }
                var batchWatch = Stopwatch.StartNew();
                var batch = steps.Skip(start).Take(end - start).SelectMany((s, i) => s.Acts.Select(a => (Step: start + i, a.Args))).ToList();
                List<RespValue> o, c;
                try { (o, c) = session.Main.Pipeline(batch.Select(b => (IReadOnlyList<byte[]>)b.Args).ToList()); }
                catch (Exception e) when (e is TimeoutException || e.InnerException is TimeoutException)
                {
                    throw new TimeoutException($"batch at step {start} after {clock.Elapsed.TotalSeconds:F1} s; Cinnabar then: {env.DescribeCinnabar()}", e);
                }
                maxBatchMs = Math.Max(maxBatchMs, batchWatch.ElapsedMilliseconds);
                // Two servers run one pipelined batch at once, so they run a given command at instants at most one
                // batch apart, and set and read an expiry at most two batches apart (plus a little for the round trip).
                ReplyRules.ClockSkewMs = 2 * maxBatchMs + 50;
                for (int i = 0; i < batch.Count; i++)
                {
                    transcript?.Add(RespValue.Quote(batch[i].Args) + "\n      -> " + o[i].Show(200));
                    if (session.Compare(0, batch[i].Step, batch[i].Args, o[i], c[i], Tolerated) is { } d) return d;
                    // The last reply of a step with a check: the check sees all of the step's replies.
                    var step = steps[batch[i].Step];
                    if (step.Check != null && (i + 1 == batch.Count || batch[i + 1].Step != batch[i].Step))
                    {
                        int first = i + 1 - step.Acts.Count;
                        var os = o.GetRange(first, step.Acts.Count).Cast<RespValue?>().ToList();
                        var cs = c.GetRange(first, step.Acts.Count).Cast<RespValue?>().ToList();
                        if (step.Check(os, cs) is { } failure) return new Divergence(batch[i].Step, Name(step.Acts[0].Args), o[first], c[first], failure);
                    }
                }
                if (session.CompareNotifications(end - 1, steps[end - 1]) is { } nd) return nd;
                start = end;
            }
            return null;
        }
        finally
        {
            ReplyRules.ClockSkewMs = 0;
            session.Restore();
        }
    }

    /// <summary>
    /// Finds the exact step behind a divergence seen in a pipelined batch: when a server closed the connection,
    /// the replies of the whole batch are lost, so the batch is replayed one step at a time.
    /// </summary>
    public (List<Step> Steps, Divergence Divergence) Pinpoint(List<Step> steps, Divergence d)
    {
        if (d.Oracle.Type != '\0' && d.Cinnabar.Type != '\0') return (steps.Take(d.Index + 1).ToList(), d);
        int batchStart = Math.Max(0, d.Index - BatchSize);
        var prefix = steps.Take(d.Index + 1).ToList();
        var precise = Replay(prefix, oneByOneFrom: batchStart) ?? d;
        return (prefix.Take(precise.Index + 1).ToList(), precise);
    }

    public static string Name(IReadOnlyList<byte[]> command) =>
        command.Count == 0 ? "(none)" : Cases.CaseFile.NeededCommand(command) ?? Encoding.UTF8.GetString(command[0]).ToUpperInvariant();

    /// <summary>The connections of one replay, on both servers.</summary>
    private sealed class Session : IDisposable
    {
        private readonly DiffPair _pair;
        private readonly Side _oracle, _cinnabar;

        public Session(DiffEnvironment env, int protocol)
        {
            _pair = env.Connect(protocol);
            _oracle = new Side(env.Oracle!.Port, protocol, _pair.Oracle);
            _cinnabar = new Side(env.TargetPort, protocol, _pair.Cinnabar);
            var hello = _pair.Hello;
            if (hello is { } h && ReplyRules.Compare([Gen.Bytes("HELLO"), Gen.Bytes("3")], h.Oracle, h.Cinnabar) is { } reason)
                Hello = new Divergence(-1, "HELLO 3", h.Oracle, h.Cinnabar, reason);
            Both(s => s.Setup());
        }

        public Divergence? Hello { get; }
        public DiffPair Main => _pair;

        private void Both(Action<Side> action)
        {
            var o = Task.Run(() => action(_oracle));
            action(_cinnabar);
            o.GetAwaiter().GetResult();
        }

        private (T Oracle, T Cinnabar) Both<T>(Func<Side, T> f)
        {
            var o = Task.Run(() => f(_oracle));
            var c = f(_cinnabar);
            return (o.GetAwaiter().GetResult(), c);
        }

        public void Restore() => Both(s => s.Restore());

        /// <summary>What differs between two replies to <paramref name="args"/>, or null (also when accepted-divergences.txt accepts it, which is recorded).</summary>
        private static string? Differs(IReadOnlyList<byte[]> args, RespValue o, RespValue c, List<string> tolerated)
        {
            var reason = ReplyRules.Compare(args, o, c);
            if (reason == null) return null;
            if (AcceptedDivergences.Match(args, o, c) is not { } entry) return reason;
            tolerated.Add($"{RespValue.Quote(args)}\n    redis:    {o.Show(200)}\n    cinnabar: {c.Show(200)}\n    accepted: {entry}");
            return null;
        }

        // Commands queued by MULTI on each connection (null outside a transaction): EXEC's reply is compared element
        // by element with each queued command's own rule.
        private readonly List<byte[][]>?[] _queued = new List<byte[][]>?[2];

        public Divergence? Compare(int conn, int step, IReadOnlyList<byte[]> args, RespValue o, RespValue c, List<string> tolerated)
        {
            string name = Name(args);
            var queued = _queued[conn];
            if (name is "EXEC" or "DISCARD" or "RESET" || o.Type == '\0') _queued[conn] = null;
            else if (name == "MULTI" && o.Text == "OK") _queued[conn] = [];
            else if (queued != null && o.Text == "QUEUED") queued.Add([.. args]);
            var reason = name == "EXEC" && queued != null && o.Type == '*' && c.Type == '*' && o.Children.Count == queued.Count && c.Children.Count == queued.Count
                ? queued.Select((q, i) => Differs(q, o.Children[i], c.Children[i], tolerated) is { } r ? $"{RespValue.Quote(q)} in EXEC: {r}" : null).FirstOrDefault(r => r != null)
                : Differs(args, o, c, tolerated);
            if (reason == null) return null;
            return new Divergence(step, Name(args), o, c, reason);
        }

        /// <summary>Runs a step's actions in lock step; null when every compared reply and the step's check agree.</summary>
        public Divergence? RunStep(int index, Step step, List<string>? transcript, List<string> tolerated)
        {
            var o = new List<RespValue?>();
            var c = new List<RespValue?>();
            bool usesConn1 = step.Acts.Any(a => a.Conn == 1);
            if (usesConn1) Both(s => s.EnsureConn1());
            var sent = new Dictionary<int, byte[][]>();
            foreach (var act in step.Acts)
            {
                var args = act.Dynamic?.Invoke(o, c) ?? act.Args;
                if (act.Kind is ActKind.Send or ActKind.Call) sent[act.Conn] = args;
                // A read answers the command that connection sent last (its rule applies).
                if (act.Kind == ActKind.Read) args = sent.GetValueOrDefault(act.Conn, [Gen.Bytes("PING")]);
                var (or, cr) = Both(s => s.Run(act, act.Kind == ActKind.Read ? [] : args));
                // The harness's own polls and scan rounds are evened out, so both servers count the same commands.
                int pad = or.Calls - cr.Calls;
                if (pad != 0 && act.Kind is ActKind.AwaitBlocked or ActKind.ScanAll)
                    (pad > 0 ? _cinnabar : _oracle).Pad(act, args, Math.Abs(pad));
                o.Add(or.Reply);
                c.Add(cr.Reply);
                var shown = act with { Args = args };
                transcript?.Add(shown + (or.Reply is { } r ? "\n      -> " + r.Show(200) : ""));
                if (!act.Compared || or.Reply == null || cr.Reply == null) continue;
                if (Compare(act.Conn, index, args, or.Reply, cr.Reply, tolerated) is { } d) return d with { Command = Name(args) };
            }
            if (step.Check?.Invoke(o, c) is { } failure)
            {
                int last = step.Acts.FindIndex(a => a.Kind == ActKind.Call && a.Compared);
                return new Divergence(index, Name(step.Acts[Math.Max(0, last)].Args), o[Math.Max(0, last)] ?? RespValue.Closed, c[Math.Max(0, last)] ?? RespValue.Closed, failure);
            }
            // A connection the step closed (QUIT, CLIENT KILL) is gone from both servers before the next step.
            if (usesConn1)
            {
                Both(s => s.SettleConn1());
                int extra = _oracle.SettlePolls - _cinnabar.SettlePolls;
                if (extra != 0) (extra > 0 ? _cinnabar : _oracle).Pad(new Act(ActKind.AwaitBlocked, 0, []), [], Math.Abs(extra));
            }
            return null;
        }

        /// <summary>Compares the keyspace notifications each subscriber got since the last call, message by message.</summary>
        public Divergence? CompareNotifications(int index, Step step)
        {
            var (o, c) = Both(s => s.DrainNotifications());
            for (int i = 0; i < Math.Max(o.Count, c.Count); i++)
            {
                var ov = i < o.Count ? o[i] : RespValue.Closed;
                var cv = i < c.Count ? c[i] : RespValue.Closed;
                if (!ov.SameBytes(cv))
                    return new Divergence(index, "keyspace notification", ov, cv,
                        $"notification {i + 1} of {o.Count} (redis) / {c.Count} (cinnabar) after this step differs; last command: {step.Acts.LastOrDefault()}");
            }
            return null;
        }

        public void Dispose()
        {
            _oracle.Dispose();
            _cinnabar.Dispose();
            _pair.Dispose();
        }
    }

    /// <summary>One server's connections in a replay.</summary>
    private sealed class Side(int port, int protocol, RespConnection main) : IDisposable
    {
        private RespConnection? _sub, _admin, _conn1;
        private string _conn1Id = "";
        private static readonly byte[][] PingCommand = [Gen.Bytes("PING")];

        private RespConnection Admin => _admin ??= new RespConnection(port);

        private RespConnection Open()
        {
            var c = new RespConnection(port);
            if (protocol == 3) c.Call("HELLO", "3");
            return c;
        }

        public void Setup()
        {
            Expect(Admin.Call("CLIENT", "SETNAME", DiffEnvironment.HarnessName), "+OK");
            Expect(Admin.Call("DEBUG", "SET-ACTIVE-EXPIRE", "0"), "+OK");
            foreach (var (name, start, _) in ServerFamily.Settable) Expect(Admin.Call("CONFIG", "SET", name, start), "+OK");
            // Nothing timed is logged (SLOWLOG and LATENCY compare exactly), and EVALSHA finds only what this replay loaded.
            Expect(Admin.Call("CONFIG", "SET", "slowlog-log-slower-than", "-1"), "+OK");
            Expect(Admin.Call("CONFIG", "SET", "latency-monitor-threshold", "0"), "+OK");
            Expect(Admin.Call("SLOWLOG", "RESET"), "+OK");
            Expect(Admin.Call("LATENCY", "RESET"), ":0");
            Expect(Admin.Call("SCRIPT", "FLUSH"), "+OK");
            _sub = Open();
            Expect(_sub.Call("CLIENT", "SETNAME", DiffEnvironment.HarnessName), "+OK");
            _sub.Call("PSUBSCRIBE", "__key*__:*");
            AwaitConnections(3); // main, subscriber, admin: the flush's connection is gone
            Expect(Admin.Call("CONFIG", "RESETSTAT"), "+OK");
        }

        private void AwaitConnections(int count)
        {
            Poll.Until(() => Admin.Call("INFO", "clients").Text.Contains($"\r\nconnected_clients:{count}\r\n", StringComparison.Ordinal),
                $"connected_clients did not come to {count} in 10 s");
        }

        public void Restore()
        {
            try
            {
                Admin.Call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
                foreach (var (name, start, _) in ServerFamily.Settable) Admin.Call("CONFIG", "SET", name, name == "notify-keyspace-events" ? "" : start);
                Admin.Call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException or IOException) { }
        }

        private static void Expect(RespValue reply, string expected)
        {
            if (Encoding.ASCII.GetString(reply.Raw).TrimEnd() != expected)
                throw new InvalidOperationException($"replay setup: expected {expected}, got {reply.Show()}");
        }

        public void EnsureConn1()
        {
            if (_conn1 is { IsClosed: false }) return;
            _conn1?.Dispose();
            _conn1 = Open();
            _conn1Id = _conn1.Call("CLIENT", "ID").Text;
        }

        /// <summary>After a step closed connection 1, waits until the server no longer lists it (connected_clients back to 3).</summary>
        public void SettleConn1()
        {
            SettlePolls = 0;
            if (_conn1 is not { IsClosed: true }) return;
            SettlePolls = Poll.Until(() => Admin.Call("INFO", "clients").Text.Contains("\r\nconnected_clients:3\r\n", StringComparison.Ordinal),
                "a closed connection stayed listed for 10 s");
        }

        /// <summary>Extra INFO polls the last <see cref="SettleConn1"/> needed (evened out across servers).</summary>
        public int SettlePolls { get; private set; }

        private RespConnection Conn(int index) => index == 0 ? main : _conn1!;

        private byte[][] Substitute(byte[][] args) =>
            args.Select(a => Encoding.Latin1.GetString(a) == Step.ClientIdOfConn1 ? Gen.Bytes(_conn1Id) : a).ToArray();

        public (RespValue? Reply, int Calls) Run(Act act, byte[][] args)
        {
            args = Substitute(args);
            var conn = Conn(act.Conn);
            try
            {
                switch (act.Kind)
                {
                    case ActKind.Call: return (conn.Call(args), 1);
                    case ActKind.Send:
                        var ms = new MemoryStream();
                        RespConnection.Encode(ms, args);
                        conn.Send(ms.ToArray());
                        return (null, 1);
                    case ActKind.Read: return (conn.Read(), 0);
                    case ActKind.AwaitBlocked: return (null, AwaitBlocked(conn));
                    default: return ScanAll(conn, args);
                }
            }
            catch (TimeoutException e)
            {
                return (new RespValue('-', Gen.Bytes("<no reply: " + e.Message + ">"), [], []), 1);
            }
        }

        private int AwaitBlocked(RespConnection conn)
        {
            var sw = Stopwatch.StartNew();
            for (int polls = 1; ; polls++)
            {
                if (conn.HasPendingData) return polls - 1;
                if (!Admin.Call("INFO", "clients").Text.Contains("\r\nblocked_clients:0\r\n", StringComparison.Ordinal)) return polls;
                if (sw.ElapsedMilliseconds > 10_000) return polls;
                Thread.Sleep(1);
            }
        }

        /// <summary>Iterates the cursor to 0; the reply is the sorted union of elements ("field => value" for HSCAN/ZSCAN).</summary>
        private (RespValue Reply, int Calls) ScanAll(RespConnection conn, byte[][] args)
        {
            string name = Encoding.ASCII.GetString(args[0]).ToUpperInvariant();
            int cursorAt = name == "SCAN" ? 1 : 2;
            bool pairs = name is "HSCAN" or "ZSCAN";
            var seen = new SortedSet<string>(StringComparer.Ordinal);
            args = args.ToArray();
            for (int calls = 1; calls < 100_000; calls++)
            {
                var reply = conn.Call(args);
                if (reply.IsError || reply.Children.Count != 2) return (reply, calls);
                var items = reply.Children[1].Children;
                for (int i = 0; i < items.Count; i += pairs ? 2 : 1)
                    seen.Add(pairs && i + 1 < items.Count ? items[i] + " => " + items[i + 1] : items[i].ToString());
                if (reply.Children[0].Text == "0")
                    return (new RespValue('*', Encoding.UTF8.GetBytes($"full scan: [{string.Join(", ", seen)}]"), [], []), calls);
                args[cursorAt] = reply.Children[0].Payload;
            }
            throw new TimeoutException("a scan did not finish in 100000 calls");
        }

        /// <summary>Repeats a harmless form of the harness's poll or scan until both servers counted as many calls.</summary>
        public void Pad(Act act, byte[][] args, int times)
        {
            for (int i = 0; i < times; i++)
            {
                if (act.Kind == ActKind.AwaitBlocked) Admin.Call("INFO", "clients");
                else if (Encoding.ASCII.GetString(args[0]).Equals("SCAN", StringComparison.OrdinalIgnoreCase))
                    Conn(act.Conn).Call("SCAN", "0", "MATCH", "\u0001none", "COUNT", "1");
                else Conn(act.Conn).Call(Encoding.ASCII.GetString(args[0]), "\u0001none", "0");
            }
        }

        /// <summary>The notifications received since the last drain: what arrived before the reply to a PING.</summary>
        public List<RespValue> DrainNotifications()
        {
            var list = new List<RespValue>();
            _sub!.Send(Encode(PingCommand));
            while (true)
            {
                var v = _sub.Read();
                if (v.Type == '\0' || v.IsError) { list.Add(v); return list; }
                if (v.Type == '+' && v.Text == "PONG") return list;
                if (v.Children.Count > 0 && v.Children[0].Text == "pong") return list;
                list.Add(v);
            }
        }

        private static byte[] Encode(byte[][] args)
        {
            var ms = new MemoryStream();
            RespConnection.Encode(ms, args);
            return ms.ToArray();
        }

        public void Dispose()
        {
            _sub?.Dispose();
            _admin?.Dispose();
            _conn1?.Dispose();
        }
    }
}
