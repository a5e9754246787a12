using Cinnabar.Commands;

namespace Cinnabar.Observability;

/// <summary>One SLOWLOG entry, as Redis keeps it: arguments already cut to their logged form.</summary>
public sealed record SlowLogEntry(long Id, long UnixSeconds, long Microseconds, byte[][] Args, string ClientAddress, string ClientName);

/// <summary>
/// SLOWLOG: calls that took at least slowlog-log-slower-than µs, newest first, at most slowlog-max-len.
/// Fed by <see cref="Dispatcher.Call"/>; arguments are logged as Redis logs them (32 at most, the last
/// saying how many more; a long argument cut to 128 bytes plus how many more; passwords redacted).
/// Used with the store lock held.
/// </summary>
public sealed class SlowLog
{
    private const int MaxArgs = 32;
    private const int MaxArgLength = 128;
    private readonly LinkedList<SlowLogEntry> _entries = new();
    private long _nextId;

    public int Count => _entries.Count;

    public void Add(CommandContext ctx, long microseconds)
    {
        var config = ctx.Server.Config;
        if (config.SlowlogLogSlowerThan < 0 || microseconds < config.SlowlogLogSlowerThan) return;
        var args = ctx.Args;
        int count = Math.Min(args.Count, MaxArgs);
        var logged = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            if (i == MaxArgs - 1 && args.Count > MaxArgs)
            {
                logged[i] = System.Text.Encoding.ASCII.GetBytes($"... ({args.Count - MaxArgs + 1} more arguments)");
                break;
            }
            var arg = args[i];
            if (CommandRedaction.IsRedacted(ctx, i)) logged[i] = CommandRedaction.Redacted;
            else if (arg.Length > MaxArgLength)
                logged[i] = [.. arg[..MaxArgLength], .. System.Text.Encoding.ASCII.GetBytes($"... ({arg.Length - MaxArgLength} more bytes)")];
            else logged[i] = arg.ToArray();
        }
        var client = ctx.Client;
        _entries.AddFirst(new SlowLogEntry(_nextId++, ctx.NowMs / 1000, microseconds, logged, client.Address, client.Name ?? ""));
        while (_entries.Count > config.SlowlogMaxLen) _entries.RemoveLast();
    }

    /// <summary>The newest <paramref name="count"/> entries (all of them for -1).</summary>
    public IEnumerable<SlowLogEntry> Newest(long count) => count < 0 ? _entries : _entries.Take((int)Math.Min(count, int.MaxValue));

    public void Reset() => _entries.Clear();
}

/// <summary>Arguments that SLOWLOG and MONITOR never show (Redis's redactClientCommandArgument): passwords.</summary>
public static class CommandRedaction
{
    public static readonly byte[] Redacted = "(redacted)"u8.ToArray();

    /// <summary>True when argument <paramref name="index"/> of the running command is a secret.</summary>
    public static bool IsRedacted(CommandContext ctx, int index)
    {
        if (index == 0) return false;
        switch (ctx.Command.Name)
        {
            case "AUTH":
                return true;
            case "HELLO":
                // HELLO [protover [AUTH username password] [SETNAME name]]: the two words after AUTH.
                for (int i = 2; i + 2 < ctx.ArgCount; i++)
                    if (ctx.ArgIs(i, "AUTH"u8)) return index == i + 1 || index == i + 2;
                return false;
            case "MIGRATE":
                // The password after AUTH, the user name and password after AUTH2, among the options before KEYS.
                for (int i = 6; i < ctx.ArgCount; i++)
                {
                    if (ctx.ArgIs(i, "AUTH"u8)) { if (index == ++i) return true; }
                    else if (ctx.ArgIs(i, "AUTH2"u8)) { if (index == i + 1 || index == i + 2) return true; i += 2; }
                    else if (ctx.ArgIs(i, "KEYS"u8)) return false;
                }
                return false;
            default:
                return false;
        }
    }
}
