using System.Text;
using Cinnabar.Commands;
using Cinnabar.Propagation;

namespace Cinnabar.Tests.Unit;

/// <summary>
/// The effects stream holds Redis's propagated forms (server.c propagate/alsoPropagate, t_string.c, t_set.c,
/// expire.c, blocked.c of Redis 7.0): absolute expiry, SREM for SPOP, non-blocking pops, SET KEEPTTL for
/// INCRBYFLOAT, DEL of expired keys before the command, SELECT, MULTI/EXEC around units of several writes.
/// </summary>
public class EffectsStreamTests
{
    internal static (CinnabarServer Server, EffectsStream Stream, LocalClient Client) Start()
    {
        var server = new CinnabarServer();
        var stream = new EffectsStream();
        server.Propagator.Attach(stream);
        return (server, stream, new LocalClient(server));
    }

    private static byte[][] A(params string[] args) => args.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>The stream as one line per command, arguments separated by spaces.</summary>
    internal static List<string> Commands(EffectsStream stream)
    {
        var lines = new List<string>();
        var text = Encoding.Latin1.GetString(stream.Written.Span).Split("\r\n");
        for (int i = 0; i < text.Length - 1;)
        {
            int n = int.Parse(text[i][1..]);
            var args = new List<string>();
            for (int j = 0; j < n; j++) args.Add(text[i + 2 + 2 * j]);
            lines.Add(string.Join(' ', args));
            i += 1 + 2 * n;
        }
        return lines;
    }

    [Fact]
    public void AScriptIsPropagatedAsTheCommandsItCalled()
    {
        var (_, stream, c) = Start();
        c.Run(A("EVAL", "return redis.call('LPUSH', KEYS[1], ARGV[1])", "1", "l", "x"));
        c.Run(A("EVAL", "redis.call('SET', 'a', '1') return redis.call('INCR', 'a')", "0"));
        c.Run(A("EVAL", "return redis.call('GET', 'a')", "0"));
        // One write goes alone; several are one unit in MULTI/EXEC; the EVAL itself never goes.
        Assert.Equal(["SELECT 0", "LPUSH l x", "MULTI", "SET a 1", "INCR a", "EXEC"], Commands(stream));
    }

    [Fact]
    public void RelativeExpiryIsPropagatedAsAbsoluteMilliseconds()
    {
        var (server, stream, c) = Start();
        c.Run(A("SET", "k", "v", "EX", "100"));
        long at = server.NowMs + 100_000;
        c.Run(A("EXPIRE", "k", "200", "GT"));
        long at2 = server.NowMs + 200_000;
        c.Run(A("SETEX", "s", "10", "x"));
        long at3 = server.NowMs + 10_000;
        c.Run(A("GETEX", "s", "PERSIST"));
        c.Run(A("EXPIRE", "s", "-1"));
        var lines = Commands(stream);
        Assert.Equal("SELECT 0", lines[0]);
        Assert.Equal($"SET k v PXAT {at}", lines[1]);
        Assert.Equal($"PEXPIREAT k {at2}", lines[2]);
        Assert.Equal($"SET s x PXAT {at3}", lines[3]);
        Assert.Equal("PERSIST s", lines[4]);
        Assert.Equal("DEL s", lines[5]);
        Assert.Equal(6, lines.Count);
    }

    [Fact]
    public void RandomAndFloatResultsArePropagatedAsTheirOutcome()
    {
        var (_, stream, c) = Start();
        c.Run(A("SADD", "s", "only"));
        c.Run(A("SPOP", "s"));
        c.Run(A("INCRBYFLOAT", "f", "1.5"));
        c.Run(A("GET", "f"));
        c.Run(A("SET", "k", "v", "NX"));
        c.Run(A("SET", "k", "w", "NX"));
        Assert.Equal(["SELECT 0", "SADD s only", "SREM s only", "SET f 1.5 KEEPTTL", "SET k v NX"], Commands(stream));
    }

    [Fact]
    public void ServedBlockingPopIsPropagatedInItsNonBlockingForm()
    {
        var (server, stream, c) = Start();
        var waiter = new LocalClient(server);
        waiter.Run(A("BLPOP", "q", "other", "0"));
        Assert.True(waiter.IsBlocked);
        c.Run(A("RPUSH", "q", "a", "b"));
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\na\r\n", Encoding.ASCII.GetString(waiter.TakeOutput()));
        c.Run(A("BZPOPMIN", "z", "0"));
        Assert.Equal(["SELECT 0", "RPUSH q a b", "LPOP q"], Commands(stream));
    }

    [Fact]
    public void TransactionsAreOneUnitAndDatabasesAreSelected()
    {
        var (_, stream, c) = Start();
        c.Run(A("MULTI"));
        c.Run(A("SET", "a", "1"));
        c.Run(A("GET", "a"));
        c.Run(A("SELECT", "1"));
        c.Run(A("SET", "b", "2"));
        c.Run(A("EXEC"));
        c.Run(A("MULTI"));
        c.Run(A("INCR", "n"));
        c.Run(A("EXEC"));
        c.Run(A("FLUSHDB"));
        c.Run(A("FLUSHDB"));
        Assert.Equal(["SELECT 0", "MULTI", "SET a 1", "SELECT 1", "SET b 2", "EXEC", "INCR n", "FLUSHDB", "FLUSHDB"], Commands(stream));
    }

    [Fact]
    public void LazilyExpiredKeyIsDeletedBeforeTheCommandThatFoundIt()
    {
        var (server, stream, c) = Start();
        c.Run(A("SET", "k", "v"));
        lock (server.Gate)
        {
            var db = server.Databases[0];
            db.SetExpire(db.PeekSlot("k"u8), server.NowMs - 1000);
        }
        c.Run(A("APPEND", "k", "x"));
        c.Run(A("GET", "missing"));
        Assert.Equal(["SELECT 0", "SET k v", "MULTI", "DEL k", "APPEND k x", "EXEC"], Commands(stream));
    }

    [Fact]
    public void ReplayingIntoALoadingServerKeepsKeysTheStreamHasNotDeleted()
    {
        // While loading, an expire time already past does not delete the key: the stream says when it went.
        var replica = new CinnabarServer { Loading = true };
        var loader = new LocalClient(replica);
        loader.RunAll(Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*3\r\n$9\r\nPEXPIREAT\r\n$1\r\nk\r\n$1\r\n1\r\n"));
        lock (replica.Gate) Assert.NotNull(replica.Databases[0].Peek("k"u8));
    }
}
