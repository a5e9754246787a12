using Cinnabar.Protocol;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// The stream family's entry commands: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID, and the helpers
/// the other stream files share (lookups, ID arguments, entry replies). Reads are in StreamReadCommands,
/// groups in StreamGroupCommands and StreamClaimCommands, XINFO in StreamInfoCommands.
/// </summary>
public static class StreamCommands
{
    public const string InvalidIdError = "ERR Invalid stream ID specified as stream command argument";

    /// <summary>The field/value arguments of XADD, read where they are.</summary>
    private readonly struct ArgumentFields(CommandArgs args, int first) : IStreamFieldSource
    {
        public int PairCount => (args.Count - first) / 2;
        public ReadOnlySpan<byte> Field(int i) => args[first + 2 * i];
        public ReadOnlySpan<byte> Value(int i) => args[first + 2 * i + 1];
    }

    // ---- shared helpers ----------------------------------------------------------------------------

    /// <summary>Parses an ID argument, writing Redis's error when it is not one.</summary>
    internal static bool TryArgId(CommandContext ctx, int i, out StreamId id, ulong missingSeq = 0, bool strict = true)
    {
        if (StreamId.TryParse(ctx.Arg(i), out id, missingSeq, strict)) return true;
        ctx.Error(InvalidIdError);
        return false;
    }

    /// <summary>
    /// An interval bound of XRANGE/XPENDING/XAUTOCLAIM: an ID, "-", "+", or "(" before an ID for an exclusive
    /// bound (moved one step inwards here; <paramref name="isStart"/> tells which way).
    /// </summary>
    internal static bool TryArgIntervalId(CommandContext ctx, int i, bool isStart, out StreamId id)
    {
        var arg = ctx.Arg(i);
        bool exclusive = arg.Length > 1 && arg[0] == '(';
        ulong missing = isStart ? 0 : ulong.MaxValue;
        bool ok = exclusive ? StreamId.TryParse(arg[1..], out id, missing, strict: true)
                            : StreamId.TryParse(arg, out id, missing);
        if (!ok)
        {
            ctx.Error(InvalidIdError);
            return false;
        }
        if (!exclusive) return true;
        bool stepped = isStart ? id.TryIncrement(out id) : id.TryDecrement(out id);
        if (!stepped) ctx.Error(isStart ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
        return stepped;
    }

    internal static void WriteId(RespWriter reply, StreamId id)
    {
        Span<byte> text = stackalloc byte[StreamId.MaxTextLength];
        reply.WriteBulk(text[..id.Format(text)]);
    }

    /// <summary>One entry as Redis replies it: [id, [field, value, ...]].</summary>
    internal static void WriteEntry(RespWriter reply, in StreamIterator it)
    {
        reply.WriteArrayHeader(2);
        WriteId(reply, it.Id);
        reply.WriteArrayHeader(it.Header.FieldCount * 2L);
        Span<byte> scratch = stackalloc byte[StreamListpack.ScratchSize];
        var fields = it.Fields();
        while (fields.MoveNext())
        {
            reply.WriteBulk(fields.Field(scratch));
            reply.WriteBulk(fields.Value(scratch));
        }
    }

    /// <summary>Writes the entry with this ID alone (no array around it); false when it does not exist.</summary>
    internal static bool WriteEntryById(RespWriter reply, RedisStream stream, StreamId id)
    {
        var it = stream.Range(id, id);
        if (!it.MoveNext()) return false;
        WriteEntry(reply, it);
        return true;
    }

    /// <summary>The entries in [start, end] as an array, at most <paramref name="count"/> (0 = all). Returns how many.</summary>
    internal static long WriteRange(RespWriter reply, RedisStream stream, StreamId start, StreamId end, long count, bool reverse)
    {
        int at = reply.Length;
        long n = 0;
        var it = stream.Range(start, end, reverse);
        while ((count == 0 || n < count) && it.MoveNext())
        {
            WriteEntry(reply, it);
            n++;
        }
        reply.InsertArrayHeader(at, n);
        return n;
    }

    // ---- XADD / XTRIM --------------------------------------------------------------------------------

    private struct TrimOptions
    {
        public bool ByMaxLen, ByMinId, Approximate, NoMkStream, IdGiven, SeqGiven;
        public long MaxLen, Limit;
        /// <summary>Position of the MAXLEN count or MINID ID (rewritten in the propagated form of a "~" trim).</summary>
        public int TrimArgIndex;
        public StreamId MinId, Id;
        public bool HasStrategy => ByMaxLen || ByMinId;
    }

    /// <summary>
    /// Parses the options of XADD (and its ID) or XTRIM in Redis's order and with its errors. Returns the
    /// position of XADD's ID argument (the fields follow it), or -1 after writing an error.
    /// </summary>
    private static int ParseTrimOptions(CommandContext ctx, bool xadd, out TrimOptions o)
    {
        o = default;
        bool limitGiven = false;
        int i = 2;
        for (; i < ctx.ArgCount; i++)
        {
            int more = ctx.ArgCount - 1 - i;
            var opt = ctx.Arg(i);
            if (xadd && opt.Length == 1 && opt[0] == '*') break;
            bool maxLen = ctx.ArgIs(i, "MAXLEN"u8), minId = !maxLen && ctx.ArgIs(i, "MINID"u8);
            if ((maxLen || minId) && more > 0)
            {
                if (o.HasStrategy)
                {
                    ctx.Error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    return -1;
                }
                o.Approximate = false;
                var next = ctx.Arg(i + 1);
                if (more >= 2 && next.Length == 1 && (next[0] == '~' || next[0] == '='))
                {
                    o.Approximate = next[0] == '~';
                    i++;
                }
                if (maxLen)
                {
                    if (!ctx.TryArgLong(i + 1, out o.MaxLen)) return -1;
                    if (o.MaxLen < 0)
                    {
                        ctx.Error("ERR The MAXLEN argument must be >= 0.");
                        return -1;
                    }
                    o.ByMaxLen = true;
                }
                else
                {
                    if (!TryArgId(ctx, i + 1, out o.MinId)) return -1;
                    o.ByMinId = true;
                }
                o.TrimArgIndex = i + 1;
                i++;
            }
            else if (ctx.ArgIs(i, "LIMIT"u8) && more > 0)
            {
                if (!ctx.TryArgLong(i + 1, out o.Limit)) return -1;
                if (o.Limit < 0)
                {
                    ctx.Error("ERR The LIMIT argument must be >= 0.");
                    return -1;
                }
                limitGiven = true;
                i++;
            }
            else if (xadd && ctx.ArgIs(i, "NOMKSTREAM"u8))
            {
                o.NoMkStream = true;
            }
            else if (xadd)
            {
                if (!StreamId.TryParse(opt, out o.Id, out o.SeqGiven, strict: true, allowSeqStar: true))
                {
                    ctx.Error(InvalidIdError);
                    return -1;
                }
                o.IdGiven = true;
                break;
            }
            else
            {
                ctx.SyntaxError();
                return -1;
            }
        }
        if (o.Limit != 0 && !o.HasStrategy)
        {
            ctx.Error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            return -1;
        }
        if (!xadd && !o.HasStrategy)
        {
            ctx.Error("ERR syntax error, XTRIM must be called with a trimming strategy");
            return -1;
        }
        if (ctx.Server.Loading)
        {
            // Replayed effects (Redis's mustObeyClient): the trim was rewritten to its exact outcome.
            o.Limit = 0;
        }
        else if (limitGiven)
        {
            if (!o.Approximate)
            {
                ctx.Error("ERR syntax error, LIMIT cannot be used without the special ~ option");
                return -1;
            }
        }
        else if (o.Approximate)
        {
            // Without LIMIT an approximate trim does at most 100 nodes' worth of work, as Redis.
            o.Limit = 100 * ctx.Server.Config.StreamNodeMaxEntries;
            if (o.Limit <= 0) o.Limit = 10000;
            if (o.Limit > 1000000) o.Limit = 1000000;
        }
        else
        {
            o.Limit = 0;
        }
        return i;
    }

    private static long Trim(RedisStream stream, in TrimOptions o) =>
        stream.Trim(o.ByMaxLen, o.MaxLen, o.MinId, o.Approximate, o.Limit);

    [RedisCommand("XADD")]
    public static void XAdd(CommandContext ctx)
    {
        int idPos = ParseTrimOptions(ctx, xadd: true, out var o);
        if (idPos < 0) return;
        int fieldPos = idPos + 1;
        int fieldArgs = ctx.ArgCount - fieldPos;
        if (fieldArgs < 2 || fieldArgs % 2 == 1)
        {
            ctx.Error($"ERR wrong number of arguments for '{ctx.Command.DisplayName}' command");
            return;
        }
        if (o.IdGiven && o.SeqGiven && o.Id.IsZero)
        {
            ctx.Error("ERR The ID specified in XADD must be greater than 0-0");
            return;
        }
        var key = ctx.Arg(1);
        if (!ctx.TryLookupWrite<RedisStream>(key, out var stream)) return;
        if (stream == null)
        {
            if (o.NoMkStream)
            {
                ctx.Reply.WriteNull();
                return;
            }
            stream = new RedisStream();
            ctx.Db.Add(key, stream);
        }
        if (stream.LastId == StreamId.Max)
        {
            ctx.Error("ERR The stream has exhausted the last possible ID, unable to add more items");
            return;
        }
        if (!TryNextId(ctx, stream, o, out var id)) return;
        var fields = new ArgumentFields(ctx.Args, fieldPos);
        if (!RedisStream.FitsInNode(fields))
        {
            ctx.Error("ERR Elements are too large to be stored");
            return;
        }
        var config = ctx.Server.Config;
        stream.Append(id, fields, config.StreamNodeMaxBytes, config.StreamNodeMaxEntries);
        WriteId(ctx.Reply, id);
        ctx.KeyChanged('t', "xadd", ctx.Db, key);
        if (o.HasStrategy && Trim(stream, o) > 0) ctx.Notify('t', "xtrim", ctx.Db, key);
        ctx.SignalKeyReady(ctx.Db, key);
        if (ctx.Propagating && (!o.IdGiven || !o.SeqGiven || (o.HasStrategy && o.Approximate)))
        {
            var argv = ctx.Args.ToArrays();
            if (!o.IdGiven || !o.SeqGiven) argv[idPos] = IdBytes(id);
            if (o.HasStrategy && o.Approximate) RewriteApproximateTrim(argv, stream, o);
            ctx.PropagateInstead(argv);
        }
    }

    /// <summary>An ID's text as a new array (propagated forms).</summary>
    internal static byte[] IdBytes(StreamId id)
    {
        Span<byte> text = stackalloc byte[StreamId.MaxTextLength];
        return text[..id.Format(text)].ToArray();
    }

    /// <summary>
    /// A "~" trim goes to the effects stream as the exact trim it turned out to be, as Redis rewrites it:
    /// "=" and the length left (MAXLEN) or the first entry's ID, deleted or not (MINID).
    /// </summary>
    private static void RewriteApproximateTrim(byte[][] argv, RedisStream stream, in TrimOptions o)
    {
        argv[o.TrimArgIndex - 1] = "="u8.ToArray();
        argv[o.TrimArgIndex] = o.ByMaxLen ? Propagation.Verbs.Number(stream.Length) : IdBytes(stream.FirstEntryIdIncludingDeleted());
    }

    /// <summary>The ID of the entry XADD adds: given, "ms-*", or from the clock (never below the last ID).</summary>
    private static bool TryNextId(CommandContext ctx, RedisStream stream, in TrimOptions o, out StreamId id)
    {
        var last = stream.LastId;
        bool ok = true;
        if (o.IdGiven && o.SeqGiven) id = o.Id;
        else if (o.IdGiven)
        {
            if (last.Ms == o.Id.Ms)
            {
                ok = last.Seq != ulong.MaxValue;
                id = ok ? new StreamId(last.Ms, last.Seq + 1) : last;
            }
            else id = new StreamId(o.Id.Ms, 0);
        }
        else
        {
            ulong now = (ulong)ctx.NowMs;
            if (now > last.Ms) id = new StreamId(now, 0);
            else last.TryIncrement(out id);
        }
        if (ok && id > last) return true;
        ctx.Error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        return false;
    }

    [RedisCommand("XTRIM")]
    public static void XTrim(CommandContext ctx)
    {
        if (ParseTrimOptions(ctx, xadd: false, out var o) < 0) return;
        var key = ctx.Arg(1);
        if (!ctx.TryLookupWrite<RedisStream>(key, out var stream)) return;
        if (stream == null)
        {
            ctx.Reply.WriteInteger(0);
            return;
        }
        long deleted = Trim(stream, o);
        ctx.Reply.WriteInteger(deleted);
        if (deleted == 0) return;
        if (ctx.Propagating && o.Approximate)
        {
            var argv = ctx.Args.ToArrays();
            RewriteApproximateTrim(argv, stream, o);
            ctx.PropagateInstead(argv);
        }
        ctx.Notify('t', "xtrim", ctx.Db, key);
        ctx.KeyModified(ctx.Db, key);
        ctx.Dirty(deleted);
    }

    // ---- reads and deletes ---------------------------------------------------------------------------

    [RedisCommand("XLEN")]
    public static void XLen(CommandContext ctx)
    {
        if (ctx.TryLookupRead<RedisStream>(ctx.Arg(1), out var stream)) ctx.Reply.WriteInteger(stream?.Length ?? 0);
    }

    [RedisCommand("XRANGE")] public static void XRange(CommandContext ctx) => Range(ctx, reverse: false);
    [RedisCommand("XREVRANGE")] public static void XRevRange(CommandContext ctx) => Range(ctx, reverse: true);

    private static void Range(CommandContext ctx, bool reverse)
    {
        if (!TryArgIntervalId(ctx, reverse ? 3 : 2, isStart: true, out var start)) return;
        if (!TryArgIntervalId(ctx, reverse ? 2 : 3, isStart: false, out var end)) return;
        long count = -1;
        for (int j = 4; j < ctx.ArgCount; j++)
        {
            if (ctx.ArgIs(j, "COUNT"u8) && j + 1 < ctx.ArgCount)
            {
                if (!ctx.TryArgLong(j + 1, out count)) return;
                if (count < 0) count = 0;
                j++;
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        if (!ctx.TryLookupRead<RedisStream>(ctx.Arg(1), out var stream)) return;
        if (stream == null) ctx.Reply.WriteEmptyArray();
        else if (count == 0) ctx.Reply.WriteNullArray();
        else WriteRange(ctx.Reply, stream, start, end, count == -1 ? 0 : count, reverse);
    }

    [RedisCommand("XDEL")]
    public static void XDel(CommandContext ctx)
    {
        var key = ctx.Arg(1);
        if (!ctx.TryLookupWrite<RedisStream>(key, out var stream)) return;
        if (stream == null)
        {
            ctx.Reply.WriteInteger(0);
            return;
        }
        Span<StreamId> ids = ctx.ArgCount - 2 <= 16 ? stackalloc StreamId[ctx.ArgCount - 2] : new StreamId[ctx.ArgCount - 2];
        for (int j = 2; j < ctx.ArgCount; j++)
            if (!TryArgId(ctx, j, out ids[j - 2])) return;
        long deleted = 0;
        foreach (var id in ids)
            if (stream.Delete(id)) deleted++;
        ctx.Reply.WriteInteger(deleted);
        if (deleted == 0) return;
        ctx.KeyModified(ctx.Db, key);
        ctx.Notify('t', "xdel", ctx.Db, key);
        ctx.Dirty(deleted);
    }

    [RedisCommand("XSETID")]
    public static void XSetId(CommandContext ctx)
    {
        if (!TryArgId(ctx, 2, out var id)) return;
        long entriesAdded = -1;
        var maxDeleted = StreamId.Zero;
        for (int i = 3; i < ctx.ArgCount; i += 2)
        {
            bool more = i + 1 < ctx.ArgCount;
            if (ctx.ArgIs(i, "ENTRIESADDED"u8) && more)
            {
                if (!ctx.TryArgLong(i + 1, out entriesAdded)) return;
                if (entriesAdded < 0)
                {
                    ctx.Error("ERR entries_added must be positive");
                    return;
                }
            }
            else if (ctx.ArgIs(i, "MAXDELETEDID"u8) && more)
            {
                if (!TryArgId(ctx, i + 1, out maxDeleted)) return;
                if (id < maxDeleted)
                {
                    ctx.Error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                    return;
                }
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        var key = ctx.Arg(1);
        if (!ctx.TryLookupWrite<RedisStream>(key, out var stream)) return;
        if (stream == null)
        {
            ctx.Error(KeyCommands.NoSuchKeyError);
            return;
        }
        if (stream.Length > 0)
        {
            if (id < stream.LastLiveId())
            {
                ctx.Error("ERR The ID specified in XSETID is smaller than the target stream top item");
                return;
            }
            if (entriesAdded != -1 && stream.Length > entriesAdded)
            {
                ctx.Error("ERR The entries_added specified in XSETID is smaller than the target stream length");
                return;
            }
        }
        stream.LastId = id;
        if (entriesAdded != -1) stream.EntriesAdded = entriesAdded;
        if (!maxDeleted.IsZero) stream.MaxDeletedId = maxDeleted;
        ctx.Reply.WriteOk();
        ctx.Dirty();
        ctx.Notify('t', "xsetid", ctx.Db, key);
    }
}
