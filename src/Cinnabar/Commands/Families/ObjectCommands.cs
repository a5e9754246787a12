using Cinnabar.Storage;

namespace Cinnabar.Commands.Families;

/// <summary>OBJECT ENCODING | IDLETIME | FREQ | REFCOUNT | HELP: what Redis tells about a stored value.</summary>
public static class ObjectCommands
{
    private const string PolicySwitchNote =
        " Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

    private static readonly string[] HelpLines =
    [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ];

    [RedisCommand("OBJECT HELP")]
    public static void Help(CommandContext ctx)
    {
        ctx.WriteHelp(HelpLines);
    }

    [RedisCommand("OBJECT ENCODING")]
    public static void Encoding(CommandContext ctx)
    {
        if (!TryLookup(ctx, out int slot)) return;
        ctx.Reply.WriteBulk(ValueKind.EncodingName(ctx.Db.Table.ValueAt(slot)));
    }

    [RedisCommand("OBJECT REFCOUNT")]
    public static void RefCount(CommandContext ctx)
    {
        if (!TryLookup(ctx, out int slot)) return;
        var table = ctx.Db.Table;
        ctx.Reply.WriteInteger(Types.SharedIntegers.RefCount(ctx.Server.Config, table.ValueAt(slot), table.IsUnshared(slot)));
    }

    /// <summary>Seconds since the key was last read or written, from its access field (LRU clock seconds).</summary>
    [RedisCommand("OBJECT IDLETIME")]
    public static void IdleTime(CommandContext ctx)
    {
        if (!TryLookup(ctx, out int slot)) return;
        uint access = ctx.Db.Table.At(slot).Access;
        if (UsesLfu(ctx))
        {
            ctx.Error("ERR An LFU maxmemory policy is selected, idle time not tracked." + PolicySwitchNote);
            return;
        }
        uint now = ctx.Server.LruClock;
        ctx.Reply.WriteInteger(now >= access ? now - access : 0);
    }

    [RedisCommand("OBJECT FREQ")]
    public static void Freq(CommandContext ctx)
    {
        if (!TryLookup(ctx, out int slot)) return;
        uint access = ctx.Db.Table.At(slot).Access;
        if (!UsesLfu(ctx))
        {
            ctx.Error("ERR An LFU maxmemory policy is not selected, access frequency not tracked." + PolicySwitchNote);
            return;
        }
        ctx.Reply.WriteInteger(LfuCounter.Decayed(access, ctx.Server.NowMs, ctx.Server.Config.LfuDecayTime));
    }

    private static bool UsesLfu(CommandContext ctx) => ctx.Server.Config.MaxMemoryPolicy.EndsWith("-lfu", StringComparison.Ordinal);

    /// <summary>Finds the key without touching it; a missing key answers null and returns false.</summary>
    private static bool TryLookup(CommandContext ctx, out int slot)
    {
        slot = ctx.Db.LookupReadSlot(ctx.Arg(2), touch: false);
        if (slot >= 0) return true;
        ctx.Reply.WriteNull();
        return false;
    }
}
