using BenchmarkDotNet.Attributes;
using Cinnabar.Networking;
using Cinnabar.Tests.Support;

namespace Cinnabar.Micro;

/// <summary>
/// A request's whole path through a real <see cref="Connection"/>: receive into the pooled input buffer,
/// parse into the queue, the gate, the handler, the end of the batch, the send, and the buffers going back to
/// the pool. The transport is in memory (<see cref="MemoryTransport"/>), so the connection's loop runs on the
/// benchmark's thread; the server is never started. Same requests as <see cref="PipelineBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class ConnectionBenchmarks
{
    private const int BatchSize = 100;
    private const string Value = "0123456789abcdef";

    private Connection _connection = null!;
    private MemoryTransport _transport = null!;
    // The scripts bench/workloads.sh runs (bench/scripts, embedded): one INCR; the token bucket (HMGET,
    // math.min, HMSET, EXPIRE with math.ceil).
    private static readonly string OneCallScript = Script("one-call.lua");
    private static readonly string TokenBucketScript = Script("token-bucket.lua");

    private static string Script(string name)
    {
        using var stream = typeof(ConnectionBenchmarks).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException("missing embedded script " + name);
        return new StreamReader(stream).ReadToEnd().TrimEnd('\n'); // as the shell's $(cat) reads it
    }

    private byte[] _get = null!, _set = null!, _incr = null!, _hset = null!, _mixed = null!, _evalsha = null!, _tokenBucket = null!, _xadd = null!;

    [GlobalSetup]
    public void Setup()
    {
        var server = new CinnabarServer();
        var client = new Client(1, server.Databases[0]) { Authenticated = true };
        (_connection, _transport) = MemoryTransport.Connect(server, client);
        _get = Requests.Command("GET", "key");
        _set = Requests.Command("SET", "key", Value);
        _incr = Requests.Command("INCR", "counter");
        _hset = Requests.Command("HSET", "hash", "field:1", Value);
        _mixed = Requests.Batch(i => (i % 4) switch
        {
            0 => ["SET", "key:" + (i % 50), Value],
            1 => ["GET", "key:" + ((i - 1) % 50)],
            2 => ["INCR", "counter:" + (i % 10)],
            _ => ["HSET", "hash", "field:" + (i % 10), Value],
        }, BatchSize);
        static string Sha(string script) => Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(script)));
        var sha = Sha(OneCallScript);
        _evalsha = Requests.Command("EVALSHA", sha, "1", "counter:script");
        var bucketSha = Sha(TokenBucketScript);
        _tokenBucket = Requests.Command("EVALSHA", bucketSha, "1", "bucket:1", "100", "10", "12345");
        _xadd = Requests.Command("XADD", "stream", "*", "name", "alice", "city", "berlin", "n", "42");
        foreach (var request in new[] { _set, _incr, _hset, _mixed, Requests.Command("SCRIPT", "LOAD", OneCallScript),
                     Requests.Command("SCRIPT", "LOAD", TokenBucketScript) })
            _transport.Deliver(request);
    }

    [GlobalCleanup]
    public void Cleanup() => _connection.Close();

    [Benchmark]
    public long Get() => Deliver(_get);

    [Benchmark]
    public long Set() => Deliver(_set);

    [Benchmark]
    public long Incr() => Deliver(_incr);

    [Benchmark]
    public long Hset() => Deliver(_hset);

    /// <summary>bench.sh's evalsha: a script of one redis.call (INCR), by its SHA.</summary>
    [Benchmark]
    public long EvalshaOneCall() => Deliver(_evalsha);

    /// <summary>bench.sh's tokenbucket: three redis.call's and some arithmetic, by SHA.</summary>
    [Benchmark]
    public long EvalshaTokenBucket() => Deliver(_tokenBucket);

    /// <summary>bench.sh's xadd: three small fields, a generated ID.</summary>
    [Benchmark]
    public long Xadd() => Deliver(_xadd);

    /// <summary>SET, GET, INCR and HSET in turn, 100 in one read.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public long PipelinedMixed() => Deliver(_mixed);

    private long Deliver(byte[] request)
    {
        _transport.Deliver(request);
        return _transport.BytesSent;
    }
}
