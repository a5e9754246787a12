using System.Text;
using Cinnabar.Config;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>CONFIG GET/SET/RESETSTAT/REWRITE/HELP over the configuration registry.</summary>
public static class ConfigCommands
{
    [RedisCommand("CONFIG GET")]
    public static void Get(CommandContext ctx)
    {
        var config = ctx.Server.Config;
        // Insertion-ordered, unique names: a directive matched by several patterns is reported once.
        var matches = new List<(string Name, ConfigEntry Entry)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            string pattern = ctx.ArgString(i);
            if (pattern.IndexOfAny(['*', '?', '[']) < 0)
            {
                // An exact name is reported as written, as Redis does (CONFIG GET MAXMEMORY answers "MAXMEMORY").
                var entry = config.Find(pattern);
                if (entry != null && seen.Add(pattern)) matches.Add((pattern, entry));
                continue;
            }
            var patternBytes = ctx.ArgBytes(i);
            foreach (var (name, _) in config.Names())
            {
                if (seen.Contains(name)) continue;
                if (GlobMatcher.IsMatch(patternBytes, Encoding.ASCII.GetBytes(name), noCase: true))
                {
                    seen.Add(name);
                    matches.Add((name, config.Find(name)!));
                }
            }
        }
        ctx.Reply.WriteMapHeader(matches.Count);
        foreach (var (name, entry) in matches)
        {
            ctx.Reply.WriteBulk(name);
            ctx.Reply.WriteBulk(entry.Shown);
        }
    }

    [RedisCommand("CONFIG SET")]
    public static void Set(CommandContext ctx)
    {
        if (ctx.ArgCount % 2 != 0)
        {
            ctx.SyntaxError();
            return;
        }
        var config = ctx.Server.Config;
        var pairs = new List<(string Name, string Value)>();
        // Names set so far, case-insensitively; a directive and its alias count as different names, as in Redis.
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        (string Name, string Error)? refused = null;
        for (int i = 2; i < ctx.ArgCount; i += 2)
        {
            string name = ctx.ArgString(i);
            var entry = config.Find(name);
            if (entry == null)
            {
                ctx.Error($"ERR Unknown option or number of arguments for CONFIG SET - '{name}'");
                return;
            }
            // Like Redis, the last refused name is the one reported.
            if (!entry.Mutable) refused = (name, "can't set immutable config");
            else if (entry.Protected && config.EnableProtectedConfigs != "yes") refused = (name, "can't set protected config");
            if (!names.Add(name)) refused = (name, "duplicate parameter");
            pairs.Add((name, ctx.ArgString(i + 1)));
        }
        if (refused is { } r)
        {
            ctx.Error($"ERR CONFIG SET failed (possibly related to argument '{r.Name}') - {r.Error}");
            return;
        }
        var oldValues = pairs.Select(p => (p.Name, config.Find(p.Name)!.Value)).ToList();
        string[] oldBind = config.Bind;
        int oldPort = config.Port;
        int oldHz = config.Hz;
        bool oldAppendOnly = config.AppendOnly;
        var failure = config.TrySetAll(pairs);
        if (failure is { } f)
        {
            ctx.Error($"ERR CONFIG SET failed (possibly related to argument '{f.Name}') - {f.Error}");
            return;
        }
        if (!ApplyListenerChange(ctx, oldBind, oldPort, out string? failedName, out string? reason))
        {
            config.TrySetAll(oldValues);
            ctx.Error($"ERR CONFIG SET failed (possibly related to argument '{failedName}') - {reason}");
            return;
        }
        if (config.AppendOnly != oldAppendOnly && ctx.Server.Aof.ApplyAppendOnly() is string aofError)
        {
            config.TrySetAll(oldValues);
            ctx.Error($"ERR CONFIG SET failed (possibly related to argument 'appendonly') - {aofError}");
            return;
        }
        if (config.Hz != oldHz) ctx.Server.RescheduleCron();
        ctx.Reply.WriteOk();
    }

    /// <summary>A changed port or bind list moves the listener, as CONFIG SET does in Redis.</summary>
    private static bool ApplyListenerChange(CommandContext ctx, string[] oldBind, int oldPort, out string? name, out string? reason)
    {
        var config = ctx.Server.Config;
        bool portChanged = config.Port != oldPort;
        bool bindChanged = !config.Bind.SequenceEqual(oldBind);
        name = reason = null;
        if (!portChanged && !bindChanged) return true;
        // A server started on port 0 keeps the port it was given when only the addresses change.
        if (!portChanged && config.Port == 0) config.Port = ctx.Server.Port;
        bool ok = ctx.Server.TryRebindListener(oldBind);
        if (!portChanged) config.Port = oldPort;
        if (ok) return true;
        (name, reason) = portChanged ? ("port", "Unable to listen on this port. Check server logs.") : ("bind", "Failed to bind to specified addresses.");
        return false;
    }

    [RedisCommand("CONFIG RESETSTAT")]
    public static void ResetStat(CommandContext ctx)
    {
        ctx.Server.Stats.Reset();
        ctx.Server.CommandStatistics.Reset();
        ctx.Reply.WriteOk();
    }

    [RedisCommand("CONFIG REWRITE")]
    public static void Rewrite(CommandContext ctx)
    {
        var config = ctx.Server.Config;
        if (config.ConfigFile == null)
        {
            ctx.Error("ERR The server is running without a config file");
            return;
        }
        string? error = ConfigRewriter.Rewrite(config, config.ConfigFile);
        if (error != null)
        {
            ctx.Error("ERR Rewriting config file: " + error);
            return;
        }
        ctx.Server.Log.Notice("CONFIG REWRITE executed with success.");
        ctx.Reply.WriteOk();
    }

    private static readonly string[] HelpLines =
    [
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    ];

    [RedisCommand("CONFIG HELP")]
    public static void Help(CommandContext ctx)
    {
        ctx.WriteHelp(HelpLines);
    }
}
