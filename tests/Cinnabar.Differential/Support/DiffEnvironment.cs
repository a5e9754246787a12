using System.Net.Sockets;
using System.Text;
using Cinnabar.Commands;
using Cinnabar.Config;

namespace Cinnabar.Differential.Support;

/// <summary>
/// The two servers under comparison, shared by every test of the assembly: one redis-server (the oracle)
/// and one in-process Cinnabar. Null <see cref="Oracle"/> means redis-server is not on PATH.
/// </summary>
public sealed class DiffEnvironment : IDisposable
{
    public const string RequireOracleVariable = "CINNABAR_REQUIRE_ORACLE";

    /// <summary>
    /// CINNABAR_DIFF_SELFCHECK=1 compares redis-server with a second redis-server instead of Cinnabar, with
    /// every command taken as implemented: checks that the case files are deterministic and the rules of
    /// ReplyRules accept what differs by nature, before Cinnabar implements the commands.
    /// </summary>
    public const string SelfCheckVariable = "CINNABAR_DIFF_SELFCHECK";
    public static bool SelfCheck { get; } = Environment.GetEnvironmentVariable(SelfCheckVariable) == "1";

    public DiffEnvironment()
    {
        // The harness blocks pool threads on socket reads (one per server) while the in-process Cinnabar needs pool
        // threads for its connections: without spare threads, every lock-step command would wait for the pool to grow.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
        var exe = OracleServer.FindExecutable();
        if (exe != null)
        {
            Oracle = OracleServer.Start(exe);
            using (var c = new RespConnection(Oracle.Port))
                OracleCommands = c.Call("COMMAND", "LIST").Children.Select(x => x.Text.Replace('|', ' ')).ToHashSet(StringComparer.OrdinalIgnoreCase);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Oracle.Dispose();
            if (SelfCheck)
            {
                SecondOracle = OracleServer.Start(exe);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => SecondOracle.Dispose();
            }
        }
        var config = ConfigLoader.FromArgs(["--port", "0", "--bind", "127.0.0.1", "--save", "", "--enable-debug-command", "yes"], out var error)
            ?? throw new InvalidOperationException(error);
        Cinnabar = new CinnabarServer(config).Start();
    }

    public OracleServer? Oracle { get; }
    public CinnabarServer Cinnabar { get; }

    /// <summary>What the in-process server is doing (for a reply that never came): its clients' queues and buffers.</summary>
    public string DescribeCinnabar()
    {
        var server = Cinnabar;
        bool gateFree = server.Gate.TryEnter(1000);
        try
        {
            var clients = server.ClientsSnapshot().Select(c =>
                $"id={c.Id} blocked={c.Blocked != null} qbuf={c.QueryBufferLength} queued={c.Connection?.QueuedCommands} out={c.Connection?.PendingOutput} closed={c.Connection?.IsClosed} cmd={c.LastCommand}");
            return $"store lock {(gateFree ? "free" : "held for over 1 s")}; GC gen2 count {GC.CollectionCount(2)}, pause total {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms; clients: {string.Join("; ", clients)}";
        }
        finally
        {
            if (gateFree) server.Gate.Exit();
        }
    }

    /// <summary>The server compared with the oracle in self-check mode (else null: Cinnabar is).</summary>
    public OracleServer? SecondOracle { get; }

    /// <summary>The port of the server compared with the oracle (Cinnabar, or the second oracle in self-check mode).</summary>
    public int TargetPort => SecondOracle?.Port ?? Cinnabar.Port;

    /// <summary>Skips the calling test when there is no oracle, unless CINNABAR_REQUIRE_ORACLE=1 makes that a failure.</summary>
    public void RequireOracle()
    {
        if (Oracle != null) return;
        if (Environment.GetEnvironmentVariable(RequireOracleVariable) == "1")
            throw new InvalidOperationException($"redis-server is not on PATH and {RequireOracleVariable}=1");
        Skip.If(true, "redis-server (the oracle) is not on PATH; set CINNABAR_REQUIRE_ORACLE=1 to make this a failure");
    }

    /// <summary>A connection to the oracle; when it refuses, the error says whether redis-server is still running and what it printed.</summary>
    public RespConnection ConnectOracle()
    {
        try { return new RespConnection(Oracle!.Port); }
        catch (SocketException e) { throw new InvalidOperationException("cannot reach the oracle: " + Oracle!.Describe(), e); }
    }

    /// <summary>
    /// Empties every database of both servers, waits until the connections of earlier tests are gone (so CLIENT
    /// LIST and INFO clients see only the test's own) and resets the statistics (so INFO's counters are the test's).
    /// </summary>
    public void FlushBoth()
    {
        using (var c = ConnectOracle())
        {
            var r = c.Call("FLUSHALL");
            if (r.Text != "OK") throw new InvalidOperationException("oracle FLUSHALL failed: " + r);
            // FLUSHALL keeps function libraries: left by an earlier test, two or more make FUNCTION DUMP's
            // order depend on the oracle's hash seed.
            c.Call("FUNCTION", "FLUSH");
            Settle(c);
        }
        // Cinnabar directly, so the suite does not depend on Cinnabar's own FLUSHALL being implemented.
        if (SecondOracle == null)
            lock (Cinnabar.Gate)
                foreach (var db in Cinnabar.Databases) db.Flush();
        using var target = new RespConnection(TargetPort);
        if (SecondOracle != null) target.Call("FLUSHALL");
        if (Implemented("FUNCTION FLUSH")) target.Call("FUNCTION", "FLUSH");
        Settle(target);
    }

    /// <summary>The name of the harness's own connections: ReplyRules leaves their lines out of CLIENT LIST.</summary>
    public const string HarnessName = "harness";

    private static void Settle(RespConnection c)
    {
        c.Call("CLIENT", "SETNAME", HarnessName);
        Poll.Until(() => c.Call("INFO", "clients").Text.Contains("\r\nconnected_clients:1\r\n", StringComparison.Ordinal),
            "connections of an earlier test stayed open for 10 s");
        var r = c.Call("CONFIG", "RESETSTAT");
        if (r.Text != "OK") throw new InvalidOperationException("CONFIG RESETSTAT failed: " + r);
    }

    /// <summary>A fresh connection pair, switched to RESP3 with HELLO 3 when asked (both HELLO replies returned).</summary>
    public DiffPair Connect(int protocol)
    {
        var pair = new DiffPair(ConnectOracle(), new RespConnection(TargetPort));
        if (protocol == 3) pair.Hello = pair.Call([Encoding.ASCII.GetBytes("HELLO"), "3"u8.ToArray()]);
        return pair;
    }

    /// <summary>Every command and subcommand the oracle has ("GET", "CONFIG GET").</summary>
    public static HashSet<string> OracleCommands { get; private set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the oracle (Redis 7.0) has the command, "CONFIG|GET" or "CONFIG GET" style.</summary>
    public static bool OracleKnows(string name) => OracleCommands.Contains(name.Replace('|', ' '));

    /// <summary>True when Cinnabar's table has the command (or "CONTAINER SUB" subcommand).</summary>
    public static bool Implemented(string name)
    {
        if (SelfCheck) return true;
        var parts = name.Replace('|', ' ').Split(' ', 2);
        var def = CommandTable.Shared.Find(parts[0]);
        if (def == null) return false;
        if (parts.Length == 1) return true;
        return def.Handler != null && def.Subcommands == null || def.FindSubcommand(Encoding.ASCII.GetBytes(parts[1])) != null;
    }

    public void Dispose()
    {
        Cinnabar.Stop();
        Oracle?.Dispose();
        SecondOracle?.Dispose();
    }
}

/// <summary>One connection to each server; every command goes to both.</summary>
public sealed class DiffPair(RespConnection oracle, RespConnection cinnabar) : IDisposable
{
    public RespConnection Oracle { get; } = oracle;
    public RespConnection Cinnabar { get; } = cinnabar;
    public (RespValue Oracle, RespValue Cinnabar)? Hello { get; set; }

    public (RespValue Oracle, RespValue Cinnabar) Call(IReadOnlyList<byte[]> args)
    {
        var o = Task.Run(() => Oracle.Call(args));
        var c = Cinnabar.Call(args);
        return (o.Result, c);
    }

    public (List<RespValue> Oracle, List<RespValue> Cinnabar) Pipeline(IReadOnlyList<IReadOnlyList<byte[]>> commands)
    {
        var o = Task.Run(() => Oracle.Pipeline(commands));
        var c = Cinnabar.Pipeline(commands);
        return (o.Result, c);
    }

    public (RespValue Oracle, RespValue Cinnabar) Raw(byte[] bytes)
    {
        Oracle.Send(bytes);
        Cinnabar.Send(bytes);
        var o = Task.Run(() => Oracle.Read());
        var c = Cinnabar.Read();
        return (o.Result, c);
    }

    public void Dispose()
    {
        Oracle.Dispose();
        Cinnabar.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DiffCollection : ICollectionFixture<DiffEnvironment>
{
    public const string Name = "Differential";
}
