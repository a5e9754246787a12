using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// SORT and SORT_RO over lists, sets and sorted sets: BY pattern (<c>weight_*</c>, <c>obj_*-&gt;field</c>,
/// or a pattern without '*' for no sorting), LIMIT, GET (incl. <c>#</c>), ASC/DESC, ALPHA, STORE (a list).
/// Follows Redis 7.0's sortCommandGeneric step by step, including its quirks (a sorted set is converted to
/// the skiplist encoding, numeric ties are broken by comparing the elements).
/// </summary>
public static class SortCommand
{
    [RedisCommand("SORT")]
    public static void Sort(CommandContext ctx) => SortGeneric(ctx, readOnly: false);

    [RedisCommand("SORT_RO")]
    public static void SortReadOnly(CommandContext ctx) => SortGeneric(ctx, readOnly: true);

    /// <summary>One element being sorted with the value it sorts by.</summary>
    private sealed class Item(byte[] element)
    {
        public readonly byte[] Element = element;
        public double Score;
        public byte[]? CompareBy;
    }

    private static void SortGeneric(CommandContext ctx, bool readOnly)
    {
        bool desc = false, alpha = false, dontSort = false;
        long limitStart = 0, limitCount = -1;
        int storeIndex = -1, byIndex = -1;
        var getPatterns = new List<int>();
        for (int j = 2; j < ctx.ArgCount; j++)
        {
            int left = ctx.ArgCount - j - 1;
            if (ctx.ArgIs(j, "ASC"u8)) desc = false;
            else if (ctx.ArgIs(j, "DESC"u8)) desc = true;
            else if (ctx.ArgIs(j, "ALPHA"u8)) alpha = true;
            else if (ctx.ArgIs(j, "LIMIT"u8) && left >= 2)
            {
                if (!ctx.TryArgLong(j + 1, out limitStart) || !ctx.TryArgLong(j + 2, out limitCount)) return;
                j += 2;
            }
            else if (!readOnly && ctx.ArgIs(j, "STORE"u8) && left >= 1) storeIndex = ++j;
            else if (ctx.ArgIs(j, "BY"u8) && left >= 1)
            {
                byIndex = ++j;
                // A pattern without '*' cannot name per-element keys: it means "do not sort".
                if (ctx.Arg(j).IndexOf((byte)'*') < 0) dontSort = true;
            }
            else if (ctx.ArgIs(j, "GET"u8) && left >= 1) getPatterns.Add(++j);
            else { ctx.SyntaxError(); return; }
        }

        var value = ctx.Db.LookupRead(ctx.Arg(1));
        if (value != null && value is not RedisList && value is not RedisSet && value is not ZSet) { ctx.WrongType(); return; }
        // A set has no order of its own: when stored, sort it alphabetically so the result is deterministic.
        if (dontSort && value is RedisSet && storeIndex >= 0)
        {
            dontSort = false;
            alpha = true;
            byIndex = -1;
        }
        if (value is ZSet)
        {
            // As Redis does (observable in OBJECT ENCODING); the value's size changes with it. Through a write-style
            // lookup, so a value packed in its key's record would be converted on a copy lent to this command.
            var zsetToConvert = (ZSet)ctx.Db.LentValueAt(ctx.Db.PeekSlot(ctx.Arg(1)));
            ctx.Db.NoteEncodingChange(zsetToConvert);
            zsetToConvert.ConvertToSkipList();
            value = zsetToConvert;
        }

        long length = value switch { RedisList l => l.Count, RedisSet s => s.Count, ZSet z => z.Count, _ => 0 };
        long start = limitStart < 0 ? 0 : limitStart;
        long end = limitCount < 0 ? length - 1 : start + limitCount - 1;
        if (start >= length)
        {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) end = length - 1;

        var items = LoadElements(value, dontSort, desc, ref start, ref end);

        bool conversionError = false;
        if (!dontSort)
        {
            foreach (var item in items)
            {
                byte[]? by;
                if (byIndex >= 0)
                {
                    by = LookupByPattern(ctx, ctx.Arg(byIndex), item.Element);
                    if (by == null) continue;
                }
                else by = item.Element;
                if (alpha)
                {
                    if (byIndex >= 0) item.CompareBy = by;
                }
                else if (!TryParseSortScore(by, out item.Score)) conversionError = true;
            }
            bool byPattern = byIndex >= 0;
            items.Sort((a, b) =>
            {
                int cmp;
                if (!alpha)
                {
                    cmp = a.Score > b.Score ? 1 : a.Score < b.Score ? -1 : a.Element.AsSpan().SequenceCompareTo(b.Element);
                }
                else if (byPattern)
                {
                    if (a.CompareBy == null || b.CompareBy == null)
                        cmp = a.CompareBy == b.CompareBy ? 0 : a.CompareBy == null ? -1 : 1;
                    else cmp = a.CompareBy.AsSpan().SequenceCompareTo(b.CompareBy);
                }
                else cmp = a.Element.AsSpan().SequenceCompareTo(b.Element);
                return desc ? -cmp : cmp;
            });
        }

        long outputLength = getPatterns.Count > 0 ? getPatterns.Count * (end - start + 1) : end - start + 1;
        if (conversionError)
        {
            ctx.Error("ERR One or more scores can't be converted into double");
            return;
        }
        if (storeIndex < 0)
        {
            ctx.Reply.WriteArrayHeader(outputLength);
            for (long j = start; j <= end; j++)
            {
                var element = items[(int)j].Element;
                if (getPatterns.Count == 0) ctx.Reply.WriteBulk(element);
                foreach (int g in getPatterns)
                {
                    var got = LookupByPattern(ctx, ctx.Arg(g), element);
                    if (got == null) ctx.Reply.WriteNull();
                    else ctx.Reply.WriteBulk(got);
                }
            }
            return;
        }

        var list = new RedisList(ctx.Server.Config.ListMaxListpackSize);
        for (long j = start; j <= end; j++)
        {
            var element = items[(int)j].Element;
            if (getPatterns.Count == 0) list.PushTail(element);
            foreach (int g in getPatterns) list.PushTail(LookupByPattern(ctx, ctx.Arg(g), element) ?? []);
        }
        var storeKey = ctx.Arg(storeIndex);
        if (outputLength > 0)
        {
            ctx.Db.Set(storeKey, list);
            ctx.KeyModified(ctx.Db, storeKey);
            ctx.Notify('l', "sortstore", ctx.Db, storeKey);
            ctx.Dirty(outputLength);
        }
        else if (ctx.Db.Delete(storeKey))
        {
            ctx.KeyModified(ctx.Db, storeKey);
            ctx.Notify('g', "del", ctx.Db, storeKey);
            ctx.Dirty();
        }
        ctx.Reply.WriteInteger(outputLength);
    }

    /// <summary>
    /// The elements to sort. Lists and sorted sets that are not sorted (BY without '*') keep their own
    /// order, read directly in the LIMIT window (start/end are then rebased to that window) and walked
    /// backwards for DESC.
    /// </summary>
    private static List<Item> LoadElements(object? value, bool dontSort, bool desc, ref long start, ref long end)
    {
        var items = new List<Item>();
        switch (value)
        {
            case RedisList list when dontSort:
                if (end >= start)
                {
                    var cursor = list.Iterate((int)(desc ? list.Count - 1 - start : start), reverse: desc);
                    for (long i = start; i <= end; i++, cursor.MoveNext()) items.Add(new Item(cursor.ReadBytes()));
                    end -= start;
                    start = 0;
                }
                break;
            case RedisList list:
                foreach (var element in list.ToList()) items.Add(new Item(element));
                break;
            case RedisSet set:
                for (int pos = set.First(); pos >= 0; pos = set.Next(pos)) items.Add(new Item(set.MemberBytesAt(pos)));
                break;
            case ZSet zset when dontSort:
                if (end >= start)
                {
                    var cursor = zset.Iterate(desc ? zset.Count - 1 - start : start, reverse: desc);
                    for (long i = start; i <= end && cursor.MoveNext(); i++) items.Add(new Item(cursor.MemberArray));
                    end -= start;
                    start = 0;
                }
                break;
            case ZSet zset:
                var all = zset.Iterate(0);
                while (all.MoveNext()) items.Add(new Item(all.MemberArray));
                break;
        }
        return items;
    }

    /// <summary>
    /// Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by the
    /// element, and "key-&gt;field" (the "-&gt;" after the '*', followed by a field name) reads a hash field.
    /// Missing keys, wrong types and patterns without '*' give null.
    /// </summary>
    internal static byte[]? LookupByPattern(CommandContext ctx, ReadOnlySpan<byte> pattern, byte[] element)
    {
        if (pattern is [(byte)'#']) return element;
        int star = pattern.IndexOf((byte)'*');
        if (star < 0) return null;
        ReadOnlySpan<byte> field = default;
        bool isHashField = false;
        int arrow = pattern[(star + 1)..].IndexOf("->"u8);
        int postfixEnd = pattern.Length;
        if (arrow >= 0 && star + 1 + arrow + 2 < pattern.Length)
        {
            isHashField = true;
            postfixEnd = star + 1 + arrow;
            field = pattern[(postfixEnd + 2)..];
        }
        var key = new byte[star + element.Length + (postfixEnd - star - 1)];
        pattern[..star].CopyTo(key);
        element.CopyTo(key, star);
        pattern[(star + 1)..postfixEnd].CopyTo(key.AsSpan(star + element.Length));

        var value = ctx.Db.LookupRead(key);
        if (value == null) return null;
        if (isHashField)
        {
            if (value is not RedisHash hash) return null;
            int pos = hash.Find(field);
            if (pos < 0) return null;
            Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
            return hash.ValueAt(pos, scratch).ToArray();
        }
        // A string may be a byte[] or a RawString (left by in-place writes such as APPEND).
        if (value is byte[] array) return array;
        return StringValue.TryGetBytes(value, out var bytes) ? bytes.ToArray() : null;
    }

    /// <summary>
    /// strtod over the value as SORT uses it, a C string (it ends at the first NUL byte, so "\0" and "1\0x" read as
    /// 0 and 1): empty is 0; junk, ERANGE and NaN are errors.
    /// </summary>
    private static bool TryParseSortScore(byte[] text, out double score)
    {
        int nul = Array.IndexOf(text, (byte)0);
        return Strtod.TryParseWhole(nul < 0 ? text : text.AsSpan(0, nul), out score, out bool rangeError) && !rangeError && !double.IsNaN(score);
    }
}
