using System.Globalization;
using System.Text;

namespace Cinnabar.Commands.Families;

/// <summary>The CLIENT LIST / CLIENT INFO line, field by field in Redis 7.2's order.</summary>
public static class ClientInfoFormatter
{
    /// <summary>Normalizes a CLIENT LIST/KILL type name; null when unknown.</summary>
    public static string? ParseType(string name) => name.ToLowerInvariant() switch
    {
        "normal" => "normal",
        "slave" or "replica" => "replica",
        "pubsub" => "pubsub",
        "master" => "master",
        _ => null,
    };

    private const long ReplyBufferBytes = 16 * 1024;

    public static string TypeOf(Client c) => c.Subscriptions?.Any == true ? "pubsub" : "normal";

    public static void Append(StringBuilder sb, CinnabarServer server, Client c, CommandContext caller)
    {
        long now = server.NowMs;
        var conn = c.Connection;
        string flags = "";
        if (server.Monitors.Contains(c)) flags += "O";
        if (c.Subscriptions?.Any == true) flags += "P";
        if (c.Multi != null) flags += "x";
        if (c.Blocked != null) flags += "b";
        if (c.WatchDirty) flags += "d";
        if (c.CloseAfterReply) flags += "c";
        if (c.NoEvict) flags += "e";
        if (c.NoTouch) flags += "T";
        if (flags.Length == 0) flags = "N";
        long argvMem = 0;
        if (c == caller.Client)
            for (int i = 0; i < caller.ArgCount; i++) argvMem += caller.Arg(i).Length;
        int rbs = conn?.InputBufferSize ?? 0;
        long qbuf = c.QueryBufferLength;
        // Redis keeps replies in a 16 KB buffer (obl) and then a list of nodes (oll, omem); one buffer here,
        // shown the same way: its first 16 KB as obl, the rest as 16 KB nodes.
        long pending = conn?.PendingOutput ?? 0;
        long obl = Math.Min(pending, ReplyBufferBytes);
        long omem = pending - obl;
        long oll = (omem + ReplyBufferBytes - 1) / ReplyBufferBytes;
        long outCapacity = conn?.Writer.Capacity ?? 0;
        long totMem = rbs + Math.Max(outCapacity, pending) + argvMem;
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"id={c.Id} addr={c.Address} laddr={c.LocalAddress} fd={conn?.SocketHandle ?? -1} name={c.Name}");
        sb.Append(inv, $" age={(now - c.CreatedMs) / 1000} idle={(now - c.LastInteractionMs) / 1000} flags={flags} db={c.Db.Index}");
        sb.Append(inv, $" sub={c.Subscriptions?.Channels.Count ?? 0} psub={c.Subscriptions?.Patterns.Count ?? 0} ssub={c.Subscriptions?.ShardChannels.Count ?? 0}");
        sb.Append(inv, $" multi={(c.Multi == null ? -1 : c.Multi.Queue.Count)} qbuf={qbuf} qbuf-free={Math.Max(0, rbs - qbuf)}");
        sb.Append(inv, $" argv-mem={argvMem} multi-mem=0 rbs={rbs} rbp={rbs} obl={obl} oll={oll} omem={omem} tot-mem={totMem}");
        // Redis installs a write handler ("w") only when a write could not finish; the caller's replies so far are
        // written after its command (beforeSleep), so it shows "r" even with pipelined replies buffered.
        sb.Append(inv, $" events={(obl > 0 && c != caller.Client ? "rw" : "r")} cmd={c.LastCommand} user={c.User} redir=-1 resp={c.Protocol}");
        sb.Append(inv, $" lib-name={c.LibName} lib-ver={c.LibVersion}");
    }
}
