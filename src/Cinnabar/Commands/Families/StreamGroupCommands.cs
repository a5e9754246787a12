using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>Consumer groups: XGROUP CREATE/SETID/DESTROY/CREATECONSUMER/DELCONSUMER/HELP, XACK and XPENDING.</summary>
public static class StreamGroupCommands
{
    private static readonly string[] HelpLines =
    [
        "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
        "HELP",
        "    Prints this help.",
    ];

    [RedisCommand("XGROUP HELP")]
    public static void Help(CommandContext ctx)
    {
        ctx.Reply.WriteArrayHeader(HelpLines.Length);
        foreach (var line in HelpLines) ctx.Reply.WriteSimpleString(line);
    }

    /// <summary>Redis's addReplySubcommandSyntaxError.</summary>
    internal static void SubcommandSyntaxError(CommandContext ctx) =>
        ctx.Error($"ERR unknown subcommand or wrong number of arguments for '{Dispatcher.Printable(ctx.Arg(1), 128)}'. Try {ctx.ArgString(0).ToUpperInvariant()} HELP.");

    private enum Sub { Create, SetId, Destroy, CreateConsumer, DelConsumer }

    [RedisCommand("XGROUP CREATE")] public static void Create(CommandContext ctx) => Group(ctx, Sub.Create);
    [RedisCommand("XGROUP SETID")] public static void SetId(CommandContext ctx) => Group(ctx, Sub.SetId);
    [RedisCommand("XGROUP DESTROY")] public static void Destroy(CommandContext ctx) => Group(ctx, Sub.Destroy);
    [RedisCommand("XGROUP CREATECONSUMER")] public static void CreateConsumer(CommandContext ctx) => Group(ctx, Sub.CreateConsumer);
    [RedisCommand("XGROUP DELCONSUMER")] public static void DelConsumer(CommandContext ctx) => Group(ctx, Sub.DelConsumer);

    /// <summary>The XGROUP subcommands, with Redis's shared option parsing and checks in its order.</summary>
    private static void Group(CommandContext ctx, Sub sub)
    {
        bool mkStream = false;
        long entriesRead = StreamGroup.UnknownEntriesRead;
        for (int i = 5; i < ctx.ArgCount;)
        {
            if (sub == Sub.Create && ctx.ArgIs(i, "MKSTREAM"u8))
            {
                mkStream = true;
                i++;
            }
            else if (sub is Sub.Create or Sub.SetId && ctx.ArgIs(i, "ENTRIESREAD"u8) && i + 1 < ctx.ArgCount)
            {
                if (!ctx.TryArgLong(i + 1, out entriesRead)) return;
                if (entriesRead < 0 && entriesRead != StreamGroup.UnknownEntriesRead)
                {
                    ctx.Error("ERR value for ENTRIESREAD must be positive or -1");
                    return;
                }
                i += 2;
            }
            else
            {
                SubcommandSyntaxError(ctx);
                return;
            }
        }
        var key = ctx.Arg(2);
        if (!ctx.TryLookupWrite<RedisStream>(key, out var stream)) return;
        var groupName = ctx.Arg(3);
        StreamGroup? group = null;
        if (!mkStream)
        {
            if (stream == null)
            {
                ctx.Error("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.");
                return;
            }
            group = stream.FindGroup(groupName);
            if (group == null && sub is Sub.SetId or Sub.CreateConsumer or Sub.DelConsumer)
            {
                ctx.Error($"NOGROUP No such consumer group '{ctx.ArgText(3)}' for key name '{ctx.ArgText(2)}'");
                return;
            }
        }
        int argc = ctx.ArgCount;
        switch (sub)
        {
            case Sub.Create when argc <= 8:
            {
                StreamId id;
                var idArg = ctx.Arg(4);
                if (idArg.Length == 1 && idArg[0] == '$') id = stream?.LastId ?? StreamId.Zero;
                else if (!StreamCommands.TryArgId(ctx, 4, out id)) return;
                if (stream == null)
                {
                    stream = new RedisStream();
                    ctx.Db.Add(key, stream);
                    ctx.KeyModified(ctx.Db, key);
                }
                if (stream.CreateGroup(groupName, id, entriesRead) == null)
                {
                    ctx.Error("BUSYGROUP Consumer Group name already exists");
                    return;
                }
                ctx.Reply.WriteOk();
                ctx.Dirty();
                ctx.Notify('t', "xgroup-create", ctx.Db, key);
                return;
            }
            case Sub.SetId when argc == 5 || argc == 7:
            {
                StreamId id;
                var idArg = ctx.Arg(4);
                if (idArg.Length == 1 && idArg[0] == '$') id = stream!.LastId;
                else if (!StreamCommands.TryArgId(ctx, 4, out id, strict: false)) return;
                group!.LastId = id;
                group.EntriesRead = entriesRead;
                ctx.Reply.WriteOk();
                ctx.Dirty();
                ctx.Notify('t', "xgroup-setid", ctx.Db, key);
                return;
            }
            case Sub.Destroy when argc == 4:
                if (group == null)
                {
                    ctx.Reply.WriteInteger(0);
                    return;
                }
                stream!.DestroyGroup(groupName);
                ctx.Reply.WriteInteger(1);
                ctx.Dirty();
                ctx.Notify('t', "xgroup-destroy", ctx.Db, key);
                // Clients blocked on the group get their NOGROUP error now.
                ctx.SignalKeyReady(ctx.Db, key);
                return;
            case Sub.CreateConsumer when argc == 5:
            {
                var created = group!.CreateConsumer(ctx.Arg(4), ctx.NowMs);
                if (created != null)
                {
                    ctx.Dirty();
                    ctx.Notify('t', "xgroup-createconsumer", ctx.Db, key);
                }
                ctx.Reply.WriteInteger(created != null ? 1 : 0);
                return;
            }
            case Sub.DelConsumer when argc == 5:
            {
                long pending = 0;
                var consumer = group!.FindConsumer(ctx.Arg(4));
                if (consumer != null)
                {
                    pending = group.DeleteConsumer(consumer);
                    ctx.Dirty();
                    ctx.Notify('t', "xgroup-delconsumer", ctx.Db, key);
                }
                ctx.Reply.WriteInteger(pending);
                return;
            }
            default:
                SubcommandSyntaxError(ctx);
                return;
        }
    }

    [RedisCommand("XACK")]
    public static void XAck(CommandContext ctx)
    {
        if (!ctx.TryLookupWrite<RedisStream>(ctx.Arg(1), out var stream)) return;
        var group = stream?.FindGroup(ctx.Arg(2));
        if (group == null)
        {
            ctx.Reply.WriteInteger(0);
            return;
        }
        int n = ctx.ArgCount - 3;
        Span<StreamId> ids = n <= 16 ? stackalloc StreamId[n] : new StreamId[n];
        for (int j = 0; j < n; j++)
            if (!StreamCommands.TryArgId(ctx, 3 + j, out ids[j])) return;
        long acknowledged = 0;
        foreach (var id in ids)
        {
            if (!group.Acknowledge(id)) continue;
            acknowledged++;
            ctx.Dirty();
        }
        ctx.Reply.WriteInteger(acknowledged);
    }

    [RedisCommand("XPENDING")]
    public static void XPending(CommandContext ctx)
    {
        int argc = ctx.ArgCount;
        if (argc != 3 && (argc < 6 || argc > 9))
        {
            ctx.SyntaxError();
            return;
        }
        long count = 0, minIdle = 0;
        StreamId start = default, end = default;
        int consumerArg = 0;
        if (argc >= 6)
        {
            int startIdx = 3;
            if (ctx.ArgIs(3, "IDLE"u8))
            {
                if (!ctx.TryArgLong(4, out minIdle)) return;
                if (argc < 8)
                {
                    ctx.SyntaxError();
                    return;
                }
                startIdx += 2;
            }
            if (!ctx.TryArgLong(startIdx + 2, out count)) return;
            if (count < 0) count = 0;
            if (!StreamCommands.TryArgIntervalId(ctx, startIdx, isStart: true, out start)) return;
            if (!StreamCommands.TryArgIntervalId(ctx, startIdx + 1, isStart: false, out end)) return;
            if (startIdx + 3 < argc) consumerArg = startIdx + 3;
        }
        if (!ctx.TryLookupRead<RedisStream>(ctx.Arg(1), out var stream)) return;
        var group = stream?.FindGroup(ctx.Arg(2));
        if (group == null)
        {
            ctx.Error($"NOGROUP No such key '{ctx.ArgText(1)}' or consumer group '{ctx.ArgText(2)}'");
            return;
        }
        var reply = ctx.Reply;
        if (argc == 3)
        {
            WriteSummary(ctx, group);
            return;
        }
        var pel = group.Pending;
        if (consumerArg != 0)
        {
            var consumer = group.FindConsumer(ctx.Arg(consumerArg));
            if (consumer == null)
            {
                reply.WriteEmptyArray();
                return;
            }
            pel = consumer.Pending;
        }
        long now = ctx.NowMs;
        int at = reply.Length;
        long n = 0;
        for (var p = pel.LowerBound(start); count > 0 && p.IsValid && pel.KeyAt(p) <= end; p = pel.Next(p))
        {
            var entry = pel.ValueAt(p);
            if (minIdle != 0 && now - entry.DeliveryTime < minIdle) continue;
            n++;
            count--;
            reply.WriteArrayHeader(4);
            StreamCommands.WriteId(reply, pel.KeyAt(p));
            reply.WriteBulk(entry.Owner.Name);
            reply.WriteInteger(Math.Max(0, now - entry.DeliveryTime));
            reply.WriteInteger(entry.DeliveryCount);
        }
        reply.InsertArrayHeader(at, n);
    }

    /// <summary>XPENDING key group: how many, the smallest and greatest IDs, and how many per consumer.</summary>
    private static void WriteSummary(CommandContext ctx, StreamGroup group)
    {
        var reply = ctx.Reply;
        var pel = group.Pending;
        reply.WriteArrayHeader(4);
        reply.WriteInteger(pel.Count);
        if (pel.Count == 0)
        {
            reply.WriteNull();
            reply.WriteNull();
            reply.WriteNullArray();
            return;
        }
        StreamCommands.WriteId(reply, pel.KeyAt(pel.First));
        StreamCommands.WriteId(reply, pel.KeyAt(pel.Last));
        long owners = 0;
        foreach (var consumer in group.Consumers.Values)
            if (consumer.Pending.Count > 0) owners++;
        reply.WriteArrayHeader(owners);
        foreach (var consumer in group.Consumers.Values)
        {
            if (consumer.Pending.Count == 0) continue;
            reply.WriteArrayHeader(2);
            reply.WriteBulk(consumer.Name);
            reply.WriteBulkLong(consumer.Pending.Count);
        }
    }
}
