namespace Cinnabar.Commands.Families;

/// <summary>
/// What SCAN, HSCAN, SSCAN and ZSCAN share: the cursor argument (parsed by <see cref="ScanCommands.TryParseCursor"/>), the
/// MATCH / COUNT options, the reply for a missing key, and the paging of a hash or set by position.
/// </summary>
public static class CollectionScan
{
    /// <summary>Reads the cursor argument; on failure writes Redis's error.</summary>
    public static bool TryArgCursor(CommandContext ctx, int index, out ulong cursor)
    {
        if (ScanCommands.TryParseCursor(ctx.Arg(index), out cursor)) return true;
        ctx.Error(ScanCommands.InvalidCursorError);
        return false;
    }

    /// <summary>
    /// Parses MATCH / COUNT from argument <paramref name="first"/> on. Returns false after writing the error.
    /// <paramref name="patternIndex"/> is the argument holding the last MATCH pattern, or -1.
    /// </summary>
    public static bool TryParseOptions(CommandContext ctx, int first, out int patternIndex, out long count)
    {
        patternIndex = -1;
        count = 10;
        for (int i = first; i < ctx.ArgCount; i += 2)
        {
            bool hasValue = i + 1 < ctx.ArgCount;
            if (ctx.ArgIs(i, "COUNT"u8) && hasValue)
            {
                if (!ctx.TryArgLong(i + 1, out count)) return false;
                if (count < 1) { ctx.SyntaxError(); return false; }
            }
            else if (ctx.ArgIs(i, "MATCH"u8) && hasValue)
            {
                patternIndex = i + 1;
            }
            else
            {
                ctx.SyntaxError();
                return false;
            }
        }
        return true;
    }

    /// <summary>True when the pattern is "*", which matches everything (Redis skips matching then).</summary>
    public static bool MatchesAll(ReadOnlySpan<byte> pattern) => Types.GlobMatcher.MatchesEverything(pattern);

    /// <summary>The reply to a scan of a missing key: cursor 0 and no elements.</summary>
    public static void WriteEmptyPage(CommandContext ctx)
    {
        ctx.Reply.WriteArrayHeader(2);
        ctx.Reply.WriteBulk("0"u8);
        ctx.Reply.WriteEmptyArray();
    }

    /// <summary>
    /// Parses MATCH / COUNT from argument 3 on, collects one page of positions from <paramref name="cursor"/>
    /// and drops those MATCH rejects. A compact encoding is returned whole in one call (cursor 0), as Redis
    /// does; a table by slot ranges, the next slot being the next cursor. Returns false after writing an error.
    /// </summary>
    public static bool TryCollectPage<T>(CommandContext ctx, T collection, ulong cursor, Span<byte> scratch,
        out List<int> positions, out ulong next) where T : Types.IScannableCollection
    {
        positions = new List<int>();
        next = 0;
        if (!TryParseOptions(ctx, 3, out int patternIndex, out long count)) return false;
        var table = collection.Table;
        if (table == null)
        {
            for (int pos = collection.First(); pos >= 0; pos = collection.Next(pos)) positions.Add(pos);
        }
        else if (cursor < (ulong)table.SlotLimit)
        {
            int slot = table.NextOccupied((int)cursor);
            while (slot >= 0 && positions.Count < count)
            {
                positions.Add(slot);
                slot = table.NextOccupied(slot + 1);
            }
            next = slot < 0 ? 0 : (ulong)slot;
        }
        var pattern = patternIndex < 0 ? default : ctx.Arg(patternIndex);
        if (patternIndex >= 0 && !MatchesAll(pattern))
        {
            // MATCH filters after collecting, as Redis does: a page may come back short or empty.
            int kept = 0;
            for (int i = 0; i < positions.Count; i++)
                if (Types.GlobMatcher.IsMatch(pattern, collection.ScanKeyAt(positions[i], scratch))) positions[kept++] = positions[i];
            positions.RemoveRange(kept, positions.Count - kept);
        }
        return true;
    }

    /// <summary>Writes the outer scan reply and the header of the element array that follows.</summary>
    public static void WritePageHeader(CommandContext ctx, ulong next, long elementCount)
    {
        ctx.Reply.WriteArrayHeader(2);
        ctx.Reply.WriteBulkLong((long)next);
        ctx.Reply.WriteArrayHeader(elementCount);
    }
}
