using System.Text;
using BenchmarkDotNet.Attributes;
using Cinnabar;
using Cinnabar.Commands;
using Cinnabar.Protocol;

namespace Cinnabar.Micro;

/// <summary>
/// Parse + dispatch of a pipelined batch, as a connection does it (Networking/Connection.cs), without sockets:
/// an in-memory server (never started), one client, its CommandContext and RespWriter. Results are per command
/// (OperationsPerInvoke), so "Allocated" is what one command costs the GC.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int BatchSize = 100;
    private const string Value = "0123456789abcdef"; // 16 bytes: a stored byte[] of 40 bytes on 64-bit

    private CinnabarServer _server = null!;
    private CommandContext _ctx = null!;
    private RespWriter _writer = null!;
    private byte[] _gets = null!;
    private byte[] _sets = null!;
    private byte[] _mixed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = new CinnabarServer();
        var client = new Client(1, _server.Databases[0]) { Authenticated = true };
        _writer = new RespWriter(64 * 1024);
        _ctx = new CommandContext(_server, client, _writer);
        _gets = Batch(i => ["GET", Key(i)]);
        _sets = Batch(i => ["SET", Key(i), Value]);
        _mixed = Batch(i => i % 2 == 0 ? ["SET", Key(i), Value] : ["GET", Key(i - 1)]);
        Run(_sets); // every key exists: SET overwrites, GET hits
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int Get() => Run(_gets);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int SetExisting() => Run(_sets);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int GetSetMixed() => Run(_mixed);

    /// <summary>SET on existing keys while another client WATCHes an unrelated key (every write checks the watches).</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int SetExistingWhileWatching() => Run(_sets);

    [GlobalSetup(Target = nameof(SetExistingWhileWatching))]
    public void SetupWatching()
    {
        Setup();
        var watcher = new Client(2, _server.Databases[0]) { Authenticated = true };
        _server.Watches.Watch(watcher, _server.Databases[0], "watched"u8.ToArray(), expired: false);
    }

    /// <summary>One batch: parse every command in the buffer, dispatch it, then drop the replies as if sent.</summary>
    private int Run(byte[] input)
    {
        var server = _server;
        server.UpdateClock();
        int start = 0, commands = 0;
        lock (server.Gate) // a connection holds the store lock for its whole batch
        while (start < input.Length)
        {
            var result = RespParser.TryParse(input, start, input.Length, _ctx.Args, authenticated: true,
                server.Config.ProtoMaxBulkLen, out int consumed, out _, out _);
            if (result != ParseResult.Command) throw new InvalidOperationException(result.ToString());
            Dispatcher.Execute(_ctx);
            start += consumed;
            commands++;
        }
        int written = _writer.Length;
        _writer.Clear();
        return commands + written;
    }

    private static string Key(int i) => "key:" + (i % 50);

    private static byte[] Batch(Func<int, string[]> command)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < BatchSize; i++)
        {
            var args = command(i);
            sb.Append('*').Append(args.Length).Append("\r\n");
            foreach (var a in args) sb.Append('$').Append(Encoding.UTF8.GetByteCount(a)).Append("\r\n").Append(a).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
