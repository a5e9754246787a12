using System.Text;
using Cinnabar.Commands.Families;

namespace Cinnabar.Networking;

/// <summary>
/// client-output-buffer-limit and client-query-buffer-limit, as Redis enforces them: a client whose unsent
/// replies pass its class's hard limit, or stay over the soft limit for longer than its seconds, is closed as
/// soon as the batch ends, with its replies dropped; a client whose query buffer grows past the limit is
/// closed at once. Both are logged with the client's CLIENT LIST line.
/// </summary>
public sealed partial class Connection
{
    /// <summary>Bytes claimed by the send loop and not yet taken by the kernel.</summary>
    private long _inFlight;
    private long _softLimitSinceMs;
    private bool _closeAsap;

    /// <summary>Bytes of replies queued for this client and not yet sent (Redis's output buffer).</summary>
    public long PendingOutput => Writer.Length + Interlocked.Read(ref _inFlight);

    /// <summary>True once the client passed its output limit and waits to be closed at the end of the batch.</summary>
    public bool ClosingForOutputLimit => _closeAsap;

    /// <summary>
    /// With the store lock held, after output was appended for this client: applies its class's limits (pubsub
    /// for a subscribed client, normal otherwise). Returns true when the client is to be closed.
    /// </summary>
    internal bool CheckOutputLimit()
    {
        if (_closeAsap) return true;
        var config = _server.Config;
        var (hard, soft, seconds) = Client.Subscriptions?.Any == true ? config.PubSubOutputLimit : config.NormalOutputLimit;
        if (hard == 0 && soft == 0) return false;
        long pending = PendingOutput;
        bool overSoft = soft > 0 && pending > soft;
        if (!overSoft) _softLimitSinceMs = 0;
        else if (_softLimitSinceMs == 0) _softLimitSinceMs = _server.NowMs;
        bool overHard = hard > 0 && pending > hard;
        if (!overHard && !(overSoft && _server.NowMs - _softLimitSinceMs > seconds * 1000)) return false;
        _closeAsap = true;
        Client.KillRequested = true;
        _server.Log.Warning($"Client {InfoLine()} scheduled to be closed ASAP for overcoming of output buffer limits.");
        _server.Stats.ClientOutputLimitDisconnections++;
        _server.CloseAtEndOfBatch(this);
        return true;
    }

    /// <summary>
    /// After a read: a query buffer past client-query-buffer-limit closes the client at once (a large argument
    /// still being received counts too). Returns true when the connection was closed.
    /// </summary>
    private bool QueryBufferOverLimit()
    {
        long length = _end - _start;
        if (length <= _server.Config.ClientQueryBufferLimit) return false;
        lock (_server.Gate)
        {
            Client.QueryBufferLength = length;
            var head = _input.AsSpan(_parsedEnd < _end ? _parsedEnd : _start, (int)Math.Min(64, _end - (_parsedEnd < _end ? _parsedEnd : _start)));
            _server.Log.Warning($"Closing client that reached max query buffer length: {InfoLine()} (qbuf initial bytes: {Quoted(head)})");
            _server.Stats.ClientQueryLimitDisconnections++;
        }
        Close(abort: true);
        return true;
    }

    private string InfoLine()
    {
        var sb = new StringBuilder();
        ClientInfoFormatter.Append(sb, _server, Client, Context);
        return sb.ToString();
    }

    /// <summary>Bytes as Redis's sdscatrepr shows them: quoted, with escapes for what is not printable.</summary>
    internal static string Quoted(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder("\"");
        foreach (byte b in bytes)
        {
            switch (b)
            {
                case (byte)'\\': sb.Append("\\\\"); break;
                case (byte)'"': sb.Append("\\\""); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case 7: sb.Append("\\a"); break;
                case 8: sb.Append("\\b"); break;
                default:
                    if (b >= 32 && b < 127) sb.Append((char)b);
                    else sb.Append("\\x").Append(b.ToString("x2"));
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
