using Cinnabar.Config;
using Cinnabar.Storage;

namespace Cinnabar.Tests.Support;

/// <summary>An in-process Cinnabar on a free loopback port, stopped on dispose.</summary>
public sealed class TestServer : IDisposable
{
    public TestServer(params string[] directives) : this(null, directives) { }

    /// <summary>A server whose log lines go to <paramref name="log"/> (see <see cref="ServerLogCapture"/>).</summary>
    public TestServer(ServerLog? log, params string[] directives)
    {
        // No save points unless a test asks for them, as Redis's own test servers run: a server in a test must
        // not leave dump.rdb in the working directory.
        var args = new List<string> { "--port", "0", "--bind", "127.0.0.1", "--save", "" };
        args.AddRange(directives);
        var config = ConfigLoader.FromArgs(args.ToArray(), out var error) ?? throw new InvalidOperationException(error);
        Server = new CinnabarServer(config, log).Start();
    }

    public CinnabarServer Server { get; }
    public int Port => Server.Port;
    public string EndPoint => $"127.0.0.1:{Port}";

    public RespClient Connect() => new(Port);

    /// <summary>The value stored under <paramref name="key"/> in database 0, read under the store lock; null when absent.</summary>
    public object? StoredValue(string key)
    {
        lock (Server.Gate) return Server.Databases[0].Peek(System.Text.Encoding.UTF8.GetBytes(key));
    }

    /// <summary>The encoding OBJECT ENCODING would report for the <typeparamref name="T"/> stored under <paramref name="key"/>.</summary>
    public string EncodingOf<T>(string key) where T : IRedisValue => ((T)StoredValue(key)!).EncodingName;

    /// <summary>Records every keyspace notification the server raises from now on as "type:event:key".</summary>
    public List<string> RecordNotifications()
    {
        var events = new List<string>();
        Server.Notification += (type, name, _, key) =>
        {
            lock (events) events.Add($"{type}:{name}:{System.Text.Encoding.UTF8.GetString(key)}");
        };
        return events;
    }

    /// <summary>Waits until <paramref name="count"/> clients are parked by blocking commands.</summary>
    public void WaitForBlocked(int count)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (Server.Blocking.BlockedCount < count)
        {
            if (sw.ElapsedMilliseconds > 5000) throw new TimeoutException("clients did not block");
            Thread.Sleep(5);
        }
    }

    public void Dispose() => Server.Stop();
}
