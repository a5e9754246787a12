namespace Cinnabar.Types;

/// <summary>
/// LZF as Redis builds liblzf (16-bit hash, "very fast" mode): the compressor gives the same bytes as Redis's,
/// so what Redis writes with it (RDB strings over 20 bytes, FUNCTION DUMP payloads) is reproduced exactly, and
/// the decompressor reads what Redis wrote.
/// </summary>
public static class Lzf
{
    private const int HashLog = 16;
    private const int HashSize = 1 << HashLog;
    private const int MaxLiteral = 1 << 5;
    private const int MaxOffset = 1 << 13;
    private const int MaxReference = (1 << 8) + (1 << 3);

    /// <summary>
    /// Compresses <paramref name="input"/> into <paramref name="output"/> (whose length is the limit); the
    /// compressed length, or 0 when it would not fit (Redis then stores the data as is).
    /// </summary>
    public static int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int inLen = input.Length, outEnd = output.Length;
        if (inLen == 0 || outEnd <= 0) return 0;
        var table = Table.Next();
        int ip = 0, op = 1, lit = 0;
        uint hval = (uint)((input[0] << 8) | (inLen > 1 ? input[1] : 0));
        while (ip < inLen - 2)
        {
            hval = (hval << 8) | input[ip + 2];
            int slot = Index(hval);
            int reference = table.Get(slot);
            table.Set(slot, ip);
            long off = ip - reference - 1;
            if (reference > 0 && off >= 0 && off < MaxOffset
                && input[reference + 2] == input[ip + 2] && input[reference] == input[ip] && input[reference + 1] == input[ip + 1])
            {
                int len = 2;
                int maxLen = Math.Min(inLen - ip - len, MaxReference);
                if (op + 3 + 1 >= outEnd && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;
                output[op - lit - 1] = (byte)(lit - 1); // close the literal run
                if (lit == 0) op--; // undo the empty literal run
                // liblzf first compares 16 bytes unrolled without the length bound, then continues bounded;
                // a match can so run past maxLen, and the output depends on it.
                bool mismatch = false;
                if (maxLen > 16)
                {
                    for (int k = 0; k < 16 && !mismatch; k++)
                    {
                        len++;
                        mismatch = input[reference + len] != input[ip + len];
                    }
                }
                if (!mismatch)
                {
                    do len++;
                    while (len < maxLen && input[reference + len] == input[ip + len]);
                }
                len -= 2;
                ip++;
                if (len < 7) output[op++] = (byte)((off >> 8) + (len << 5));
                else
                {
                    output[op++] = (byte)((off >> 8) + (7 << 5));
                    output[op++] = (byte)(len - 7);
                }
                output[op++] = (byte)off;
                lit = 0;
                op++; // start a new literal run
                ip += len + 1;
                if (ip >= inLen - 2) break;
                ip -= 2;
                hval = (uint)((input[ip] << 8) | input[ip + 1]);
                hval = (hval << 8) | input[ip + 2];
                table.Set(Index(hval), ip);
                ip++;
                hval = (hval << 8) | input[ip + 2];
                table.Set(Index(hval), ip);
                ip++;
            }
            else
            {
                if (op >= outEnd) return 0;
                CopyLiteral(input, output, ref ip, ref op, ref lit);
            }
        }
        if (op + 3 > outEnd) return 0;
        while (ip < inLen) CopyLiteral(input, output, ref ip, ref op, ref lit);
        output[op - lit - 1] = (byte)(lit - 1);
        if (lit == 0) op--;
        return op;
    }

    /// <summary>One byte into the current literal run; a full run is closed and a new one started.</summary>
    private static void CopyLiteral(ReadOnlySpan<byte> input, Span<byte> output, ref int ip, ref int op, ref int lit)
    {
        lit++;
        output[op++] = input[ip++];
        if (lit == MaxLiteral)
        {
            output[op - lit - 1] = (byte)(lit - 1);
            lit = 0;
            op++;
        }
    }

    /// <summary>Decompresses into <paramref name="output"/>; false when the data is malformed or does not fill it exactly.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int ip = 0, op = 0;
        while (ip < input.Length)
        {
            int ctrl = input[ip++];
            if (ctrl < MaxLiteral)
            {
                ctrl++;
                if (op + ctrl > output.Length || ip + ctrl > input.Length) return false;
                input.Slice(ip, ctrl).CopyTo(output[op..]);
                ip += ctrl;
                op += ctrl;
                continue;
            }
            int len = ctrl >> 5;
            int reference = op - ((ctrl & 0x1f) << 8) - 1;
            if (len == 7)
            {
                if (ip >= input.Length) return false;
                len += input[ip++];
            }
            if (ip >= input.Length) return false;
            reference -= input[ip++];
            len += 2;
            if (op + len > output.Length || reference < 0) return false;
            // Byte by byte: a reference may overlap what it produces (runs).
            for (int i = 0; i < len; i++) output[op++] = output[reference++];
        }
        return op == output.Length;
    }

    /// <summary>
    /// The compressor's hash table, one per thread and reused: a 256 KB table allocated (or cleared) per value
    /// made saving many short strings crawl. Each call is a new generation, and a slot written by an older one
    /// reads as empty, so the output is the same as with a table cleared for every call.
    /// </summary>
    private sealed class Table
    {
        [ThreadStatic] private static Table? t_current;
        private readonly ulong[] _slots = new ulong[HashSize];
        private ulong _generation;

        public static Table Next()
        {
            var table = t_current ??= new Table();
            if (++table._generation > uint.MaxValue)
            {
                Array.Clear(table._slots);
                table._generation = 1;
            }
            return table;
        }

        /// <summary>The position last hashed to <paramref name="slot"/> in this call, or -1.</summary>
        public int Get(int slot)
        {
            ulong v = _slots[slot];
            return v >> 32 == _generation ? (int)(uint)v : -1;
        }

        public void Set(int slot, int position) => _slots[slot] = _generation << 32 | (uint)position;
    }

    private static int Index(uint h) => (int)(((h >> (3 * 8 - HashLog)) - h * 5) & (HashSize - 1));
}
