using System.Globalization;
using System.Text;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// The DEBUG subcommands operators and test suites use to look inside the data structures: HTSTATS,
/// HTSTATS-KEY, LISTPACK, QUICKLIST-PACKED-THRESHOLD and STRINGMATCH-TEST, with Redis 7.0's replies.
/// </summary>
public static class DebugTableCommands
{
    /// <summary>Redis's DICT_STATS_VECTLEN: chain lengths from this one on share the last counter.</summary>
    private const int StatsVectorLength = 50;

    public static readonly string[] HelpLines =
    [
        "HTSTATS <dbid>",
        "    Return hash table statistics of the specified Redis database.",
        "HTSTATS-KEY <key>",
        "    Like HTSTATS but for the hash table stored at <key>'s value.",
        "LISTPACK <key>",
        "    Show low level info about the listpack encoding of <key>.",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes",
        "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
        "STRINGMATCH-TEST",
        "    Run a fuzz tester against the stringmatchlen() function.",
    ];

    /// <summary>Runs one of these subcommands; false when the arguments name none of them.</summary>
    public static bool TryRun(CommandContext ctx)
    {
        int argc = ctx.ArgCount;
        if (ctx.ArgIs(1, "HTSTATS"u8) && argc == 3) HtStats(ctx);
        else if (ctx.ArgIs(1, "HTSTATS-KEY"u8) && argc == 3) HtStatsKey(ctx);
        else if (ctx.ArgIs(1, "LISTPACK"u8) && argc == 3) ListpackRepr(ctx);
        else if (ctx.ArgIs(1, "QUICKLIST-PACKED-THRESHOLD"u8) && argc == 3) PackedThreshold(ctx);
        else if (ctx.ArgIs(1, "STRINGMATCH-TEST"u8) && argc == 2) StringMatchTest(ctx);
        else return false;
        return true;
    }

    private static void HtStats(CommandContext ctx)
    {
        if (!ctx.TryArgLong(2, out long dbid)) return;
        if (dbid < 0 || dbid >= ctx.Server.Databases.Length)
        {
            ctx.Error("ERR Out of range database");
            return;
        }
        var table = ctx.Server.Databases[dbid].Table;
        var text = new StringBuilder("[Dictionary HT]\n");
        DescribeBoth(text, table.ChainLengths);
        text.Append("[Expires HT]\n");
        // Keys with a time to live are a dense array, one key per slot: described as a table without chains.
        int volatileKeys = table.VolatileCount;
        var expires = new int[volatileKeys == 0 ? 0 : table.VolatileCapacity];
        for (int i = 0; i < volatileKeys; i++) expires[i] = 1;
        Describe(text, 0, expires);
        ctx.Reply.WriteVerbatim(text.ToString());
    }

    private static void HtStatsKey(CommandContext ctx)
    {
        var value = ctx.Db.Peek(ctx.Arg(2));
        if (value == null)
        {
            ctx.Error("ERR no such key");
            return;
        }
        BytesHashTable? table = value switch
        {
            RedisHash h => h.Table,
            RedisSet s => s.Table,
            ZSet z => z.MemberTable,
            _ => null,
        };
        if (table == null)
        {
            ctx.Error("ERR The value stored at the specified key is not represented using an hash table");
            return;
        }
        var text = new StringBuilder();
        DescribeBoth(text, table.ChainLengths);
        ctx.Reply.WriteVerbatim(text.ToString());
    }

    /// <summary>A table's main bucket array, then the one it is rehashing into when there is one (as Redis prints a dict).</summary>
    private static void DescribeBoth(StringBuilder text, Func<int, int[]?> chainLengths)
    {
        Describe(text, 0, chainLengths(0)!);
        if (chainLengths(1) is { } target) Describe(text, 1, target);
    }

    /// <summary>Redis's _dictGetStatsHt layout, from the chain length of every bucket of one table.</summary>
    private static void Describe(StringBuilder text, int index, int[] chains)
    {
        string name = index == 0 ? "main hash table" : "rehashing target";
        long elements = 0, used = 0, longest = 0;
        var vector = new long[StatsVectorLength];
        foreach (int length in chains)
        {
            vector[Math.Min(length, StatsVectorLength - 1)]++;
            if (length == 0) continue;
            used++;
            elements += length;
            longest = Math.Max(longest, length);
        }
        text.Append(CultureInfo.InvariantCulture, $"Hash table {index} stats ({name}):\n");
        if (elements == 0)
        {
            text.Append("No stats available for empty dictionaries\n");
            return;
        }
        float average = (float)elements / used;
        text.Append(CultureInfo.InvariantCulture,
            $" table size: {chains.Length}\n number of elements: {elements}\n different slots: {used}\n max chain length: {longest}\n" +
            $" avg chain length (counted): {average:F2}\n avg chain length (computed): {average:F2}\n Chain length distribution:\n");
        for (int i = 0; i < StatsVectorLength - 1; i++)
        {
            if (vector[i] == 0) continue;
            text.Append(CultureInfo.InvariantCulture, $"   {i}: {vector[i]} ({(float)vector[i] / chains.Length * 100:F2}%)\n");
        }
    }

    /// <summary>
    /// Prints the entries of a listpack-encoded value on standard output (Redis's lpRepr goes to stdout too)
    /// and answers as Redis does.
    /// </summary>
    private static void ListpackRepr(CommandContext ctx)
    {
        var value = ctx.Db.Peek(ctx.Arg(2));
        if (value == null)
        {
            ctx.Error("ERR no such key");
            return;
        }
        if (Storage.ValueKind.EncodingName(value) != "listpack")
        {
            ctx.Error("ERR Not a listpack encoded object.");
            return;
        }
        byte[]? bytes = value switch
        {
            RedisHash h => h.ListpackBytes,
            RedisSet s => s.ListpackBytes,
            _ => null,
        };
        var text = new StringBuilder();
        if (bytes != null)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{total bytes {bytes.Length}}} {{num entries {Listpack.Count(bytes)}}}\n");
            Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
            for (int pos = 0, i = 0; pos < bytes.Length; pos += Listpack.EntrySize(bytes, pos), i++)
            {
                bool integer = Listpack.TryReadInteger(bytes, pos, out _);
                text.Append(CultureInfo.InvariantCulture, $"{{\n\tindex: {i,2},\n\toffset: {pos,5},\n\tentry len: {Listpack.EntrySize(bytes, pos),3},\n\t")
                    .Append(integer ? "[int]" : "[str]").Append(Encoding.UTF8.GetString(Listpack.Read(bytes, pos, scratch))).Append("\n}\n");
            }
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{{num entries {((ZSet)value).Count * 2}}}\n");
        }
        text.Append("{end}\n\n");
        Console.Out.Write(text.ToString());
        Console.Out.Flush();
        ctx.Reply.WriteSimpleString("Listpack structure printed on stdout");
    }

    /// <summary>
    /// Validated as Redis does; Cinnabar's quicklist packs every element however large (it has no plain
    /// nodes), so a threshold would change nothing and is refused rather than ignored.
    /// </summary>
    private static void PackedThreshold(CommandContext ctx)
    {
        bool valid = Config.ConfigValueParsers.TryParseMemory(ctx.ArgString(2), out long size) && size <= (1L << 32) - (1 << 20);
        if (!valid)
        {
            ctx.Error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
            return;
        }
        ctx.Error("ERR QUICKLIST-PACKED-THRESHOLD is not supported: Cinnabar's quicklist packs elements of any size (it has no plain nodes)");
    }

    /// <summary>Redis's stringmatchlen fuzz test: random patterns against random strings must never fail.</summary>
    private static void StringMatchTest(CommandContext ctx)
    {
        var random = new Random();
        Span<byte> pattern = stackalloc byte[32];
        Span<byte> text = stackalloc byte[32];
        for (int i = 0; i < 100_000; i++)
        {
            int p = random.Next(pattern.Length + 1), t = random.Next(text.Length + 1);
            for (int j = 0; j < p; j++) pattern[j] = (byte)random.Next(256);
            for (int j = 0; j < t; j++) text[j] = (byte)random.Next(256);
            GlobMatcher.IsMatch(pattern[..p], text[..t], noCase: (i & 1) == 1);
        }
        ctx.Reply.WriteSimpleString("Apparently Redis did not crash: test passed");
    }
}
