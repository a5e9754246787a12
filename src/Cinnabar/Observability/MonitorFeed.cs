using System.Globalization;
using Cinnabar.Commands;
using Cinnabar.Protocol;

namespace Cinnabar.Observability;

/// <summary>
/// MONITOR: every command run through <see cref="Dispatcher.Call"/> (including those run by EXEC, not
/// admin commands nor those flagged skip-monitor) is sent to each monitoring client as Redis prints it:
/// <c>+1700000000.123456 [0 127.0.0.1:6000] "SET" "k" "v"</c>, arguments quoted as sdscatrepr quotes them.
/// Used with the store lock held.
/// </summary>
public sealed class MonitorFeed
{
    private readonly List<Client> _monitors = [];
    private readonly RespWriter _line = new(256);

    public bool Any => _monitors.Count > 0;

    public void Add(Client client)
    {
        if (!_monitors.Contains(client)) _monitors.Add(client);
    }

    public void Remove(Client client) => _monitors.Remove(client);

    public bool Contains(Client client) => _monitors.Contains(client);

    /// <summary>Feeds the running command of <paramref name="ctx"/> to every monitor.</summary>
    public void Feed(CommandContext ctx)
    {
        var w = _line;
        w.Clear();
        long micros = DateTime.UtcNow.Ticks / 10 - DateTime.UnixEpoch.Ticks / 10;
        w.WriteRaw("+"u8);
        WriteAscii(w, (micros / 1_000_000).ToString(CultureInfo.InvariantCulture));
        WriteAscii(w, "." + (micros % 1_000_000).ToString("D6", CultureInfo.InvariantCulture));
        WriteAscii(w, " [" + ctx.Db.Index.ToString(CultureInfo.InvariantCulture) + " " + ClientLabel(ctx) + "]");
        for (int i = 0; i < ctx.ArgCount; i++)
        {
            w.WriteRaw(" "u8);
            if (CommandRedaction.IsRedacted(ctx, i)) w.WriteRaw("\"(redacted)\""u8);
            else WriteRepr(w, ctx.Arg(i));
        }
        w.WriteRaw("\r\n"u8);
        foreach (var monitor in _monitors)
        {
            if (monitor.Connection is not { IsClosed: false } conn) continue;
            conn.Writer.WriteRaw(w.WrittenSpan);
            conn.RequestFlush();
        }
    }

    private static string ClientLabel(CommandContext ctx) => ctx.InScript ? "lua" : ctx.Client.Address;

    private static void WriteAscii(RespWriter w, string text)
    {
        Span<byte> buffer = stackalloc byte[64];
        int n = System.Text.Encoding.ASCII.GetBytes(text, buffer);
        w.WriteRaw(buffer[..n]);
    }

    /// <summary>Redis's sdscatrepr: a quoted string with \\ \" \n \r \t \a \b escapes and \xHH for unprintable bytes.</summary>
    public static void WriteRepr(RespWriter w, ReadOnlySpan<byte> arg)
    {
        Span<byte> hex = stackalloc byte[4];
        w.WriteRaw("\""u8);
        foreach (byte b in arg)
        {
            switch (b)
            {
                case (byte)'\\': w.WriteRaw("\\\\"u8); break;
                case (byte)'"': w.WriteRaw("\\\""u8); break;
                case (byte)'\n': w.WriteRaw("\\n"u8); break;
                case (byte)'\r': w.WriteRaw("\\r"u8); break;
                case (byte)'\t': w.WriteRaw("\\t"u8); break;
                case 7: w.WriteRaw("\\a"u8); break;
                case 8: w.WriteRaw("\\b"u8); break;
                default:
                    if (b >= 0x20 && b < 0x7f) w.WriteRaw([b]);
                    else
                    {
                        hex[0] = (byte)'\\';
                        hex[1] = (byte)'x';
                        hex[2] = (byte)"0123456789abcdef"[b >> 4];
                        hex[3] = (byte)"0123456789abcdef"[b & 15];
                        w.WriteRaw(hex);
                    }
                    break;
            }
        }
        w.WriteRaw("\""u8);
    }
}
