namespace Cinnabar.Commands;

/// <summary>
/// The size LZF compression (liblzf, as Redis builds it: 16-bit hash, "very fast" mode) gives a string, which
/// is what DEBUG OBJECT's serializedlength shows for strings over 20 bytes. Only the length is computed.
/// </summary>
public static class LzfLength
{
    private const int HashLog = 16;
    private const int HashSize = 1 << HashLog;
    private const int MaxLiteral = 1 << 5;
    private const int MaxOffset = 1 << 13;
    private const int MaxReference = (1 << 8) + (1 << 3);

    /// <summary>The compressed length, or 0 when it would not fit in <paramref name="outLimit"/> bytes (Redis then stores the string as is).</summary>
    public static int Compress(ReadOnlySpan<byte> input, int outLimit)
    {
        int inLen = input.Length;
        if (inLen == 0 || outLimit <= 0) return 0;
        // Slots hold position + 1, so 0 means empty (Redis's table starts zeroed in practice: position 0 never matches).
        var table = new int[HashSize];
        int ip = 0, op = 1, lit = 0;
        uint hval = (uint)((input[0] << 8) | (inLen > 1 ? input[1] : 0));
        while (ip < inLen - 2)
        {
            hval = (hval << 8) | input[ip + 2];
            int slot = Index(hval);
            int reference = table[slot] - 1;
            table[slot] = ip + 1;
            long off = ip - reference - 1;
            if (reference > 0 && off >= 0 && off < MaxOffset
                && input[reference + 2] == input[ip + 2] && input[reference] == input[ip] && input[reference + 1] == input[ip + 1])
            {
                int len = 2;
                int maxLen = Math.Min(inLen - ip - len, MaxReference);
                if (op + 3 + 1 >= outLimit && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outLimit) return 0;
                if (lit == 0) op--; // undo the empty literal run
                // liblzf first compares 16 bytes unrolled without the length bound, then continues bounded;
                // a match can so run past maxLen, and the output length depends on it.
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
                op += len < 7 ? 2 : 3;
                lit = 0;
                op++; // start a new literal run
                ip += len + 1;
                if (ip >= inLen - 2) break;
                ip -= 2;
                hval = (uint)((input[ip] << 8) | input[ip + 1]);
                hval = (hval << 8) | input[ip + 2];
                table[Index(hval)] = ip + 1;
                ip++;
                hval = (hval << 8) | input[ip + 2];
                table[Index(hval)] = ip + 1;
                ip++;
            }
            else
            {
                if (op >= outLimit) return 0;
                lit++;
                op++;
                ip++;
                if (lit == MaxLiteral)
                {
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outLimit) return 0;
        while (ip < inLen)
        {
            lit++;
            op++;
            ip++;
            if (lit == MaxLiteral)
            {
                lit = 0;
                op++;
            }
        }
        if (lit == 0) op--;
        return op;
    }

    private static int Index(uint h) => (int)(((h >> (3 * 8 - HashLog)) - h * 5) & (HashSize - 1));
}
