using System.Text;
using Cinnabar.Storage;
using Cinnabar.Tests.Support;
using Cinnabar.Types;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// A server plus one raw client for the string-family tests, with direct looks into the keyspace for what
/// the string family alone cannot ask (TTL, existence, OBJECT ENCODING, keys of another type), so these
/// tests do not depend on other families' commands. Every expected reply was produced by real Redis 7.0.15.
/// </summary>
public sealed class StringTestKit : IDisposable
{
    public StringTestKit(params string[] directives)
    {
        Server = new TestServer(directives);
        Client = Server.Connect();
        Assert.Equal("+PONG\r\n", Client.Call("PING"));
    }

    public TestServer Server { get; }
    public RespClient Client { get; }
    private CinnabarServer Core => Server.Server;
    private Database Db => Core.Databases[0];

    /// <summary>Sends a command and checks the exact reply.</summary>
    public void Call(string expected, params object[] args) => Assert.Equal(expected, Client.Call(args));

    /// <summary>A binary reply as the text client returns it (bulk bodies decoded as UTF-8).</summary>
    public static string AsReceived(byte[] reply) => Encoding.UTF8.GetString(reply);

    /// <summary>A value of another type (a list, as far as TYPE is concerned) under <paramref name="key"/>.</summary>
    public void PlantList(string key)
    {
        lock (Core.Gate) Db.Set(Encoding.UTF8.GetBytes(key), new FakeList());
    }

    /// <summary>TTL in seconds as Redis's TTL command reports it (-2 missing, -1 no expire).</summary>
    public void Ttl(string key, long expected)
    {
        lock (Core.Gate)
        {
            Core.UpdateClock();
            int slot = Db.PeekSlot(Encoding.UTF8.GetBytes(key));
            long ttl = -2;
            if (slot >= 0)
            {
                long at = Db.GetExpire(slot);
                ttl = at < 0 ? -1 : (at - Core.NowMs + 500) / 1000;
            }
            Assert.Equal(expected, ttl);
        }
    }

    public void Exists(string key, bool expected)
    {
        lock (Core.Gate)
        {
            Core.UpdateClock();
            Assert.Equal(expected, Db.Exists(Encoding.UTF8.GetBytes(key)));
        }
    }

    /// <summary>What OBJECT ENCODING answers for the key.</summary>
    public void EncodingIs(string key, string expected)
    {
        lock (Core.Gate)
        {
            var value = Db.Peek(Encoding.UTF8.GetBytes(key));
            Assert.NotNull(value);
            Assert.Equal(expected, ValueKind.EncodingName(value));
        }
    }

    /// <summary>The exact stored bytes (for binary values the text client would mangle).</summary>
    public void ValueIs(string key, byte[] expected)
    {
        lock (Core.Gate)
        {
            var value = Db.Peek(Encoding.UTF8.GetBytes(key));
            Assert.True(StringValue.TryGetBytes(value, out var bytes));
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(bytes));
        }
    }

    public void Flush()
    {
        lock (Core.Gate) foreach (var db in Core.Databases) db.Flush();
    }

    /// <summary>Switches this client to RESP3 (as HELLO 3 would).</summary>
    public void Resp3()
    {
        lock (Core.Gate)
        {
            var client = Core.ClientsSnapshot().Single();
            client.Connection!.Writer.Protocol = 3;
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }

    private sealed class FakeList : IRedisValue
    {
        public string TypeName => "list";
        public string EncodingName => "listpack";
        public IRedisValue DeepCopy() => new FakeList();
        public long MemoryBytes => 24;
        public long AccountedBytes { get; set; } = -1;
    }
}
