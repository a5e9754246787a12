using System.Text;
using Cinnabar.Networking;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Unit;

/// <summary>
/// A request's whole path through a connection (receive, parse, the gate, the handler, the end of the batch,
/// the reply's send, the buffers going back) allocates nothing, the value it stores included: a string is
/// copied into its key's record (Storage/RecordSlab.cs), a small hash's field into its listpack. The connection
/// runs on an in-memory transport, so all of it happens on the test's thread and is counted there.
/// </summary>
public class ConnectionAllocationTests
{
    private const string Value = "0123456789abcdef";

    private static (Connection, MemoryTransport) Open(CinnabarServer server)
    {
        var client = new Client(1, server.Databases[0]) { Authenticated = true };
        return MemoryTransport.Connect(server, client);
    }

    /// <summary>
    /// Bytes allocated per request over <paramref name="times"/> deliveries, after a warm-up: the least of three
    /// measures, so a one-off growth (a pool's bucket, a buffer sized once) does not read as a per-request
    /// cost; one made by every request shows in all three.
    /// </summary>
    private static long AllocatedPerRequest(MemoryTransport transport, byte[] request, int times = 200, int commandsPerRequest = 1)
    {
        for (int i = 0; i < 50; i++) transport.Deliver(request);
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < times; i++) transport.Deliver(request);
            least = Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / (times * commandsPerRequest));
        }
        return least;
    }

    [Fact]
    public void RequestsAllocateNothing()
    {
        var server = new CinnabarServer();
        var (connection, transport) = Open(server);
        transport.Replies = new MemoryStream();
        transport.Deliver(RespClient.Encode("SET", "k", Value));
        transport.Deliver(RespClient.Encode("SET", "counter", "1000"));
        transport.Deliver(RespClient.Encode("HSET", "h", "f", Value));
        transport.Deliver(RespClient.Encode("GET", "k"));
        Assert.Equal($"+OK\r\n+OK\r\n:1\r\n${Value.Length}\r\n{Value}\r\n", Encoding.ASCII.GetString(transport.Replies.ToArray()));
        transport.Replies = null;

        Assert.Equal(0, AllocatedPerRequest(transport, RespClient.Encode("GET", "k")));
        Assert.Equal(0, AllocatedPerRequest(transport, RespClient.Encode("HSET", "h", "f", Value)));
        Assert.Equal(0, AllocatedPerRequest(transport, RespClient.Encode("SET", "k", Value)));
        // 1000 + 650 INCRs: four digits throughout.
        Assert.Equal(0, AllocatedPerRequest(transport, RespClient.Encode("INCR", "counter")));
        transport.Replies = new MemoryStream();
        transport.Deliver(RespClient.Encode("GET", "counter"));
        Assert.Equal("$4\r\n1650\r\n", Encoding.ASCII.GetString(transport.Replies.ToArray()));
        transport.Replies = null;

        var pipeline = new MemoryStream();
        for (int i = 0; i < 25; i++)
        {
            pipeline.Write(RespClient.Encode("SET", "k", Value));
            pipeline.Write(RespClient.Encode("GET", "k"));
            pipeline.Write(RespClient.Encode("INCR", "counter"));
            pipeline.Write(RespClient.Encode("HSET", "h", "f", Value));
        }
        long perCommand = AllocatedPerRequest(transport, pipeline.ToArray(), times: 20, commandsPerRequest: 100);
        Assert.Equal(0, perCommand);
        Assert.Equal(0, connection.HeldBufferBytes);
        connection.Close();
    }

    /// <summary>
    /// A connection ended by its peer gives back the input buffer it rented for the read that found the end of
    /// stream. Kept, it cost every connection a new 16 KB buffer, and a benchmark's fresh clients a young
    /// collection every few runs. Connecting, running a command and hanging up allocates less than that buffer.
    /// </summary>
    [Fact]
    public void ConnectionEndedByPeerKeepsNoBuffer()
    {
        var server = new CinnabarServer();
        var request = RespClient.Encode("SET", "k", Value);
        Connection Cycle()
        {
            var (connection, transport) = Open(server);
            transport.Deliver(request);
            transport.HangUp();
            return connection;
        }
        for (int i = 0; i < 20; i++) Cycle();
        var last = Cycle();
        Assert.True(last.IsClosed);
        Assert.Equal(0, last.HeldBufferBytes);
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++) Cycle();
            least = Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / 50);
        }
        Assert.True(least < 4096, $"{least} bytes per connection");
    }

    /// <summary>
    /// A small hash is edited inside its key's record (Storage/KeyTable.Packed.cs): adding a field, changing its
    /// value to another width and removing it again, and reading it, allocate nothing (while the hash was its own
    /// listpack array, each of these writes made a new array).
    /// </summary>
    [Fact]
    public void SmallHashEditsAllocateNothing()
    {
        var server = new CinnabarServer();
        var (connection, transport) = Open(server);
        transport.Deliver(RespClient.Encode("HSET", "h", "a", "1", "b", Value, "c", "300"));
        var cycle = new MemoryStream();
        for (int i = 0; i < 10; i++)
        {
            cycle.Write(RespClient.Encode("HSET", "h", "extra", Value));
            cycle.Write(RespClient.Encode("HSET", "h", "extra", "12"));
            cycle.Write(RespClient.Encode("HINCRBY", "h", "c", "1000"));
            cycle.Write(RespClient.Encode("HGET", "h", "b"));
            cycle.Write(RespClient.Encode("HMGET", "h", "a", "extra", "missing"));
            cycle.Write(RespClient.Encode("HDEL", "h", "extra"));
        }
        Assert.Equal(0, AllocatedPerRequest(transport, cycle.ToArray(), times: 20, commandsPerRequest: 60));
        transport.Replies = new MemoryStream();
        transport.Deliver(RespClient.Encode("HGETALL", "h"));
        transport.Deliver(RespClient.Encode("OBJECT", "ENCODING", "h"));
        long c = 300 + 1000L * 10 * (50 + 3 * 20);
        Assert.Equal($"*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n${Value.Length}\r\n{Value}\r\n$1\r\nc\r\n${c.ToString().Length}\r\n{c}\r\n$8\r\nlistpack\r\n",
            Encoding.ASCII.GetString(transport.Replies.ToArray()));
        connection.Close();
    }

    /// <summary>
    /// HSET and HINCRBY of a new key start from an empty hash packed in the key's record and fill it in place:
    /// creating small hashes and deleting them again allocates no more than creating and deleting strings of the same
    /// keys does (an object was made for each new hash before: 25 bytes a request against 9 for strings).
    /// </summary>
    [Fact]
    public void NewSmallHashesAllocateNoObject()
    {
        long Cycle(Func<int, byte[]> create)
        {
            var server = new CinnabarServer();
            var (connection, transport) = Open(server);
            var cycle = new MemoryStream();
            for (int i = 0; i < 10; i++) cycle.Write(create(i));
            for (int i = 0; i < 10; i++) cycle.Write(RespClient.Encode("DEL", "session:" + i));
            long bytes = AllocatedPerRequest(transport, cycle.ToArray(), times: 20, commandsPerRequest: 20);
            connection.Close();
            return bytes;
        }
        long strings = Cycle(i => RespClient.Encode("SET", "session:" + i, "x"));
        long hashes = Cycle(i => RespClient.Encode("HSET", "session:" + i, "user", "42", "seen", "1733000000"));
        long counters = Cycle(i => RespClient.Encode("HINCRBY", "session:" + i, "hits", "1"));
        Assert.True(hashes <= strings && counters <= strings, $"per request: strings {strings}, hashes {hashes}, counters {counters}");

        var server = new CinnabarServer();
        var (connection, transport) = Open(server);
        transport.Replies = new MemoryStream();
        transport.Deliver(RespClient.Encode("HSET", "session:1", "user", "7"));
        transport.Deliver(RespClient.Encode("HGETALL", "session:1"));
        transport.Deliver(RespClient.Encode("OBJECT", "ENCODING", "session:1"));
        transport.Deliver(RespClient.Encode("DBSIZE"));
        Assert.Equal(":1\r\n*2\r\n$4\r\nuser\r\n$1\r\n7\r\n$8\r\nlistpack\r\n:1\r\n", Encoding.ASCII.GetString(transport.Replies.ToArray()));
        connection.Close();
    }

    /// <summary>
    /// A small set (an intset, a listpack of strings) is edited inside its key's record as a small hash is: adding a
    /// member, testing it and removing it again allocate nothing.
    /// </summary>
    [Fact]
    public void SmallSetEditsAllocateNothing()
    {
        var server = new CinnabarServer();
        var (connection, transport) = Open(server);
        transport.Deliver(RespClient.Encode("SADD", "ints", "1", "2", "300"));
        transport.Deliver(RespClient.Encode("SADD", "words", "alpha", "beta"));
        var cycle = new MemoryStream();
        for (int i = 0; i < 10; i++)
        {
            cycle.Write(RespClient.Encode("SADD", "ints", "150"));
            cycle.Write(RespClient.Encode("SISMEMBER", "ints", "150"));
            cycle.Write(RespClient.Encode("SREM", "ints", "150"));
            cycle.Write(RespClient.Encode("SADD", "words", "gamma"));
            cycle.Write(RespClient.Encode("SMISMEMBER", "words", "alpha", "gamma", "delta"));
            cycle.Write(RespClient.Encode("SREM", "words", "gamma"));
            cycle.Write(RespClient.Encode("SCARD", "words"));
        }
        Assert.Equal(0, AllocatedPerRequest(transport, cycle.ToArray(), times: 20, commandsPerRequest: 70));
        transport.Replies = new MemoryStream();
        transport.Deliver(RespClient.Encode("SMEMBERS", "ints"));
        transport.Deliver(RespClient.Encode("OBJECT", "ENCODING", "ints"));
        transport.Deliver(RespClient.Encode("SCARD", "words"));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$3\r\n300\r\n$6\r\nintset\r\n:2\r\n", Encoding.ASCII.GetString(transport.Replies.ToArray()));
        connection.Close();
    }

    /// <summary>
    /// A small sorted set is edited inside its key's record, through an object over the record that the next command
    /// uses again: score updates, inserts, removals and reads on two keys in turn allocate nothing.
    /// </summary>
    [Fact]
    public void SmallSortedSetEditsAllocateNothing()
    {
        var server = new CinnabarServer();
        var (connection, transport) = Open(server);
        transport.Deliver(RespClient.Encode("ZADD", "board", "1", "alice", "2", "bob", "3", "carol"));
        transport.Deliver(RespClient.Encode("ZADD", "other", "5", "x", "6", "y"));
        var cycle = new MemoryStream();
        for (int i = 0; i < 10; i++)
        {
            cycle.Write(RespClient.Encode("ZADD", "board", "4", "alice"));
            cycle.Write(RespClient.Encode("ZSCORE", "other", "y"));
            cycle.Write(RespClient.Encode("ZADD", "board", "1", "alice"));
            cycle.Write(RespClient.Encode("ZADD", "other", "7", "z"));
            cycle.Write(RespClient.Encode("ZRANK", "board", "carol"));
            cycle.Write(RespClient.Encode("ZREM", "other", "z"));
            cycle.Write(RespClient.Encode("ZCARD", "board"));
            cycle.Write(RespClient.Encode("ZRANGE", "board", "0", "-1"));
        }
        Assert.Equal(0, AllocatedPerRequest(transport, cycle.ToArray(), times: 20, commandsPerRequest: 80));
        transport.Replies = new MemoryStream();
        transport.Deliver(RespClient.Encode("ZRANGE", "board", "0", "-1", "WITHSCORES"));
        transport.Deliver(RespClient.Encode("ZRANGE", "other", "0", "-1", "WITHSCORES"));
        transport.Deliver(RespClient.Encode("OBJECT", "ENCODING", "board"));
        Assert.Equal("*6\r\n$5\r\nalice\r\n$1\r\n1\r\n$3\r\nbob\r\n$1\r\n2\r\n$5\r\ncarol\r\n$1\r\n3\r\n"
            + "*4\r\n$1\r\nx\r\n$1\r\n5\r\n$1\r\ny\r\n$1\r\n6\r\n$8\r\nlistpack\r\n",
            Encoding.ASCII.GetString(transport.Replies.ToArray()));
        connection.Close();
    }

    /// <summary>
    /// A small list is edited inside its key's record (Types/StoredList.cs): pushes and pops at both ends (a pop replies
    /// with the element where it is), moves between two lists, reads by index and range, on two keys in turn,
    /// allocate nothing.
    /// </summary>
    [Fact]
    public void SmallListEditsAllocateNothing()
    {
        var server = new CinnabarServer();
        var (connection, transport) = Open(server);
        transport.Deliver(RespClient.Encode("RPUSH", "queue", "a", "b", "c"));
        transport.Deliver(RespClient.Encode("RPUSH", "other", "1", "2"));
        var cycle = new MemoryStream();
        for (int i = 0; i < 10; i++)
        {
            cycle.Write(RespClient.Encode("LPUSH", "queue", Value));
            cycle.Write(RespClient.Encode("RPUSH", "other", "12345"));
            cycle.Write(RespClient.Encode("LRANGE", "queue", "0", "-1"));
            cycle.Write(RespClient.Encode("LPOP", "queue"));
            cycle.Write(RespClient.Encode("LINDEX", "other", "-1"));
            cycle.Write(RespClient.Encode("RPOP", "other"));
            cycle.Write(RespClient.Encode("RPUSH", "queue", "x", "y"));
            cycle.Write(RespClient.Encode("RPOP", "queue", "2"));
            cycle.Write(RespClient.Encode("LLEN", "queue"));
            cycle.Write(RespClient.Encode("RPOPLPUSH", "queue", "other"));
            cycle.Write(RespClient.Encode("LMOVE", "other", "queue", "LEFT", "RIGHT"));
        }
        Assert.Equal(0, AllocatedPerRequest(transport, cycle.ToArray(), times: 20, commandsPerRequest: 110));
        transport.Replies = new MemoryStream();
        transport.Deliver(RespClient.Encode("LRANGE", "queue", "0", "-1"));
        transport.Deliver(RespClient.Encode("LRANGE", "other", "0", "-1"));
        transport.Deliver(RespClient.Encode("OBJECT", "ENCODING", "queue"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n$9\r\nquicklist\r\n",
            Encoding.ASCII.GetString(transport.Replies.ToArray()));
        Assert.True(Cinnabar.Types.StoredList.TryOpen(server.Databases[0].Table, server.Databases[0].Table.Find("queue"u8), out var queue));
        Assert.True(queue.IsPacked);
        connection.Close();
    }

    /// <summary>
    /// A long string is read where it is stored: STRLEN, GETRANGE, GETBIT, BITCOUNT, BITPOS, APPEND's length
    /// check and a WRONGTYPE answer for it copy none of its megabyte (a copy would show as about 1 MB a request).
    /// </summary>
    [Fact]
    public void ReadsOfALongStringCopyNothing()
    {
        var server = new CinnabarServer();
        var (connection, transport) = Open(server);
        var big = new string('x', 1 << 20);
        transport.Deliver(RespClient.Encode("SET", "big", big));
        foreach (var request in new[]
        {
            RespClient.Encode("STRLEN", "big"),
            RespClient.Encode("GETRANGE", "big", "0", "9"),
            RespClient.Encode("GETBIT", "big", "100"),
            RespClient.Encode("BITCOUNT", "big", "0", "9"),
            RespClient.Encode("BITPOS", "big", "0", "0", "9"),
            RespClient.Encode("BITFIELD_RO", "big", "GET", "u8", "0"),
            RespClient.Encode("LPUSH", "big", "x"),
            RespClient.Encode("HGET", "big", "f"),
        })
        {
            long perRequest = AllocatedPerRequest(transport, request, times: 20);
            Assert.True(perRequest < 4096, $"{Encoding.ASCII.GetString(request).Replace("\r\n", " ")}: {perRequest} bytes a request");
        }
        transport.Replies = new MemoryStream();
        transport.Deliver(RespClient.Encode("STRLEN", "big"));
        transport.Deliver(RespClient.Encode("LPUSH", "big", "x"));
        Assert.Equal(":1048576\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", Encoding.ASCII.GetString(transport.Replies.ToArray()));
        connection.Close();
    }
}
