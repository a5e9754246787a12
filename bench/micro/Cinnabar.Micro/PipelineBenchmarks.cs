using System.Text;
using BenchmarkDotNet.Attributes;
using Cinnabar;
using Cinnabar.Commands;
using Cinnabar.Protocol;

namespace Cinnabar.Micro;

/// <summary>
/// Parse → dispatch → reply, as a connection does it (Networking/Connection.Input.cs), without sockets: an
/// in-memory server (never started), one client, its CommandContext and RespWriter, the store lock held per
/// batch. The single-command benchmarks are one request per batch (redis-benchmark -P 1); the pipelined ones
/// are batches of 100 (results per command, through OperationsPerInvoke), so "Allocated" is what one command
/// costs the GC. Keys exist before the measured runs: SET overwrites (its new value is the only allocation it
/// may make), GET hits, INCR counts up, HSET overwrites a field of a small hash.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int BatchSize = 100;
    private const string Value = "0123456789abcdef"; // 16 bytes: a stored byte[] of 40 bytes on 64-bit

    private CinnabarServer _server = null!;
    private CommandContext _ctx = null!;
    private RespWriter _writer = null!;
    private byte[] _get = null!, _set = null!, _incr = null!, _hset = null!;
    private byte[] _gets = null!;
    private byte[] _sets = null!;
    private byte[] _mixed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = new CinnabarServer();
        var client = new Client(1, _server.Databases[0]) { Authenticated = true };
        _writer = RespWriter.Pooled(); // a connection's writer
        _ctx = new CommandContext(_server, client, _writer);
        _get = Command("GET", Key(0));
        _set = Command("SET", Key(0), Value);
        _incr = Command("INCR", "counter");
        _hset = Command("HSET", "hash", "field:1", Value);
        _gets = Batch(i => ["GET", Key(i)]);
        _sets = Batch(i => ["SET", Key(i), Value]);
        _mixed = Batch(i => (i % 4) switch
        {
            0 => ["SET", Key(i), Value],
            1 => ["GET", Key(i - 1)],
            2 => ["INCR", "counter:" + (i % 10)],
            _ => ["HSET", "hash", "field:" + (i % 10), Value],
        });
        Run(_sets); // every key exists: SET overwrites, GET hits
        for (int i = 0; i < 10; i++) Run(Command("HSET", "hash", "field:" + i, Value));
        Run(_incr);
        Run(_mixed);
    }

    [Benchmark]
    public int Get() => Run(_get);

    [Benchmark]
    public int Set() => Run(_set);

    [Benchmark]
    public int Incr() => Run(_incr);

    [Benchmark]
    public int Hset() => Run(_hset);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int PipelinedGet() => Run(_gets);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int PipelinedSet() => Run(_sets);

    /// <summary>SET, GET, INCR and HSET in turn, 100 per batch.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int PipelinedMixed() => Run(_mixed);

    /// <summary>SET on existing keys while another client WATCHes an unrelated key (every write checks the watches).</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int PipelinedSetWhileWatching() => Run(_sets);

    [GlobalSetup(Target = nameof(PipelinedSetWhileWatching))]
    public void SetupWatching()
    {
        Setup();
        var watcher = new Client(2, _server.Databases[0]) { Authenticated = true };
        _server.Watches.Watch(watcher, _server.Databases[0], "watched"u8.ToArray(), expired: false);
    }

    /// <summary>One batch: parse every command in the buffer and run it through the gate, then drop the replies as if sent.</summary>
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
            Dispatcher.Process(_ctx);
            start += consumed;
            commands++;
        }
        int written = _writer.Length;
        _writer.Clear();
        return commands + written;
    }

    private static string Key(int i) => "key:" + (i % 50);

    private static byte[] Command(params string[] args) => Requests.Command(args);

    private static byte[] Batch(Func<int, string[]> command) => Requests.Batch(command, BatchSize);
}
