using Cinnabar.Protocol;

namespace Cinnabar.Commands;

/// <summary>
/// A client without a socket that runs commands in-process through the same gate as a connection (embedding
/// hosts, tests, replaying an effects stream). Not listed by CLIENT LIST. Each call takes the store lock,
/// processes the command, serves the waiters its writes made ready, and returns what was written for this
/// client (its reply, or a served wait's reply) since the last call.
/// </summary>
public sealed class LocalClient
{
    private readonly CinnabarServer _server;
    private readonly RespWriter _output = new(4096);
    private readonly CommandContext _ctx;

    public LocalClient(CinnabarServer server)
    {
        _server = server;
        Client = new Client(server.NextClientId(), server.Databases[0])
        {
            Authenticated = true,
            Address = "local",
            CreatedMs = server.NowMs,
        };
        _ctx = new CommandContext(server, Client, _output);
        Client.Context = _ctx;
    }

    public Client Client { get; }

    /// <summary>True while this client is parked by a blocking command.</summary>
    public bool IsBlocked
    {
        get { lock (_server.Gate) return Client.Blocked != null; }
    }

    /// <summary>Runs one command; returns the bytes written for this client since the last call.</summary>
    public byte[] Run(params byte[][] argv)
    {
        lock (_server.Gate)
        {
            _server.UpdateClock();
            _ctx.Args.Load(argv);
            RunLoaded();
            return TakeOutput();
        }
    }

    /// <summary>
    /// Runs every complete command in <paramref name="resp"/> (an effects stream, a pipelined batch); returns
    /// how many bytes were consumed. Replies are dropped.
    /// </summary>
    public int RunAll(ReadOnlySpan<byte> resp)
    {
        var buffer = resp.ToArray();
        int at = 0;
        lock (_server.Gate)
        {
            while (at < buffer.Length)
            {
                var result = RespParser.TryParse(buffer, at, buffer.Length, _ctx.Args, true, _server.Config.ProtoMaxBulkLen,
                    out int consumed, out _, out string? error);
                if (result == ParseResult.Incomplete) break;
                if (result == ParseResult.Error) throw new FormatException("bad RESP at byte " + at + ": " + error);
                at += consumed;
                if (result != ParseResult.Command) continue;
                _server.UpdateClock();
                RunLoaded();
                _output.Clear();
            }
        }
        return at;
    }

    /// <summary>The bytes written for this client since the last call (a served wait's reply arrives here).</summary>
    public byte[] TakeOutput()
    {
        lock (_server.Gate)
        {
            var bytes = _output.WrittenSpan.ToArray();
            _output.Clear();
            return bytes;
        }
    }

    private void RunLoaded()
    {
        if (Client.Blocked != null) throw new InvalidOperationException("the client is parked by a blocking command");
        if (Dispatcher.Process(_ctx) == ProcessResult.Postponed)
            throw new InvalidOperationException("CLIENT PAUSE is in effect: a local client cannot wait for it");
        if (_server.Blocking.HasReadyKeys) _server.Blocking.HandleReadyKeys();
        _server.EndOfBatch(null);
    }
}
