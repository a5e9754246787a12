using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: longest common subsequence of two strings.</summary>
public static class LcsCommand
{
    [RedisCommand("LCS")]
    public static void Lcs(CommandContext ctx)
    {
        var db = ctx.Db;
        var first = db.LookupRead(ctx.Arg(1));
        var second = db.LookupRead(ctx.Arg(2));
        if ((first != null && !StringValue.IsString(first)) || (second != null && !StringValue.IsString(second)))
        {
            ctx.Error("ERR The specified keys must contain string values");
            return;
        }
        bool wantLength = false, wantIndexes = false, withMatchLength = false;
        long minMatchLength = 0;
        for (int j = 3; j < ctx.ArgCount; j++)
        {
            bool hasNext = j < ctx.ArgCount - 1;
            if (ctx.ArgIs(j, "IDX"u8)) wantIndexes = true;
            else if (ctx.ArgIs(j, "LEN"u8)) wantLength = true;
            else if (ctx.ArgIs(j, "WITHMATCHLEN"u8)) withMatchLength = true;
            else if (ctx.ArgIs(j, "MINMATCHLEN"u8) && hasNext)
            {
                if (!ctx.TryArgLong(++j, out minMatchLength)) return;
                if (minMatchLength < 0) minMatchLength = 0;
            }
            else { ctx.SyntaxError(); return; }
        }
        if (wantIndexes && wantLength)
        {
            ctx.Error("ERR If you want both the length and indexes, please just use IDX.");
            return;
        }

        var a = first == null ? ReadOnlySpan<byte>.Empty : StringValue.Bytes(first);
        var b = second == null ? ReadOnlySpan<byte>.Empty : StringValue.Bytes(second);
        long cells = (long)(a.Length + 1) * (b.Length + 1);
        // Redis refuses a table (4 bytes a cell) larger than proto-max-bulk-len.
        if (cells * sizeof(uint) > ctx.Server.Config.ProtoMaxBulkLen)
        {
            ctx.Error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
            return;
        }
        int width = b.Length + 1;
        // table[i * width + j] = length of the LCS of a[..i] and b[..j].
        var table = new uint[cells];
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                table[i * width + j] = a[i - 1] == b[j - 1]
                    ? table[(i - 1) * width + j - 1] + 1
                    : Math.Max(table[(i - 1) * width + j], table[i * width + j - 1]);
            }
        }
        int total = (int)table[a.Length * width + b.Length];
        if (wantLength) { ctx.Reply.WriteInteger(total); return; }

        // Walk back from the end, as Redis does, collecting the subsequence and the matching ranges (last first).
        var common = new byte[total];
        var ranges = new List<(int AStart, int AEnd, int BStart, int BEnd)>();
        int x = a.Length, y = b.Length, k = total;
        int aStart = -1, aEnd = 0, bStart = 0, bEnd = 0;
        while (x > 0 && y > 0)
        {
            bool emit = false;
            if (a[x - 1] == b[y - 1])
            {
                common[--k] = a[x - 1];
                if (aStart < 0) { aStart = aEnd = x - 1; bStart = bEnd = y - 1; }
                else { aStart--; bStart--; } // still contiguous: each match moves both back by one
                if (aStart == 0 || bStart == 0) emit = true;
                x--; y--;
            }
            else
            {
                // Ties go towards the second string, the order Redis's replies show.
                if (table[(x - 1) * width + y] > table[x * width + y - 1]) x--;
                else y--;
                if (aStart >= 0) emit = true;
            }
            if (emit)
            {
                if (minMatchLength == 0 || aEnd - aStart + 1 >= minMatchLength) ranges.Add((aStart, aEnd, bStart, bEnd));
                aStart = -1;
            }
        }

        if (!wantIndexes) { ctx.Reply.WriteBulk(common); return; }
        ctx.Reply.WriteMapHeader(2);
        ctx.Reply.WriteBulk("matches"u8);
        ctx.Reply.WriteArrayHeader(ranges.Count);
        foreach (var r in ranges)
        {
            ctx.Reply.WriteArrayHeader(withMatchLength ? 3 : 2);
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteInteger(r.AStart);
            ctx.Reply.WriteInteger(r.AEnd);
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteInteger(r.BStart);
            ctx.Reply.WriteInteger(r.BEnd);
            if (withMatchLength) ctx.Reply.WriteInteger(r.AEnd - r.AStart + 1);
        }
        ctx.Reply.WriteBulk("len"u8);
        ctx.Reply.WriteInteger(total);
    }
}
