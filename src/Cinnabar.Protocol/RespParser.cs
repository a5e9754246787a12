using System.Runtime.CompilerServices;
using System.Buffers.Text;

namespace Cinnabar.Protocol;

public enum ParseResult
{
    /// <summary>A whole command was parsed into the args.</summary>
    Command,
    /// <summary>Bytes were consumed but they held no command (empty inline line, <c>*0</c>).</summary>
    Empty,
    /// <summary>More bytes are needed; <c>needed</c> says how many the buffer must hold in all.</summary>
    Incomplete,
    /// <summary>A protocol error; the connection must get the error and be closed.</summary>
    Error,
}

/// <summary>
/// Where a multibulk command that arrived in pieces stopped: the next call resumes at the argument it was
/// reading instead of parsing the command again from its start, so a command received in many reads costs
/// time linear in its size. Kept by the caller (one per connection); offsets are relative to the command's
/// start, so the caller may compact or grow its buffer between calls.
/// </summary>
public struct ParseProgress
{
    internal byte[]? Buffer;
    internal int Start;
    internal int Count;
    internal int Done;
    internal int Pos;

    /// <summary>Bytes the parser has looked at (headers and line ends; bulk payloads are skipped, not examined).</summary>
    public long Examined;

    internal readonly bool InProgress => Buffer != null;
}

/// <summary>
/// Parses client requests: RESP multibulk arrays and inline commands, with Redis's limits and its
/// protocol error texts. A partial multibulk command resumes where it stopped (<see cref="ParseProgress"/>),
/// and a large bulk reports how many bytes it still needs, so the caller can wait for them without parsing.
/// </summary>
public static class RespParser
{
    /// <summary>Longest inline request or count line, as Redis's PROTO_INLINE_MAX_SIZE.</summary>
    public const int InlineMaxSize = 64 * 1024;

    /// <summary>Parses one command from scratch (callers that always hold whole commands).</summary>
    public static ParseResult TryParse(
        byte[] buffer, int start, int end, CommandArgs args, bool authenticated, long maxBulkLength,
        out int consumed, out long needed, out string? error)
    {
        var progress = new ParseProgress();
        return TryParse(buffer, start, end, args, authenticated, maxBulkLength, ref progress, out consumed, out needed, out error);
    }

    /// <summary>
    /// Parses one command, resuming a multibulk command left incomplete by the previous call with the same
    /// <paramref name="progress"/> (its arguments so far stay in <paramref name="args"/>).
    /// </summary>
    public static ParseResult TryParse(
        byte[] buffer, int start, int end, CommandArgs args, bool authenticated, long maxBulkLength,
        ref ParseProgress progress, out int consumed, out long needed, out string? error)
    {
        consumed = 0;
        needed = 0;
        error = null;
        if (progress.InProgress)
        {
            // The buffer may have been compacted or replaced since: the arguments so far move with it.
            if (progress.Buffer != buffer || progress.Start != start) args.Rebase(buffer, start - progress.Start);
            return ParseMultibulk(buffer, start, end, args, authenticated, maxBulkLength, ref progress, out consumed, out needed, out error);
        }
        args.Reset(buffer);
        if (start >= end) return ParseResult.Incomplete;
        return buffer[start] == (byte)'*'
            ? ParseMultibulk(buffer, start, end, args, authenticated, maxBulkLength, ref progress, out consumed, out needed, out error)
            : ParseInline(buffer, start, end, args, out consumed, out error);
    }

    private static ParseResult ParseMultibulk(
        byte[] buffer, int start, int end, CommandArgs args, bool authenticated, long maxBulkLength,
        ref ParseProgress progress, out int consumed, out long needed, out string? error)
    {
        consumed = 0;
        needed = 0;
        error = null;
        var span = buffer.AsSpan(start, end - start);
        long count;
        int pos;
        long i;
        if (progress.InProgress)
        {
            count = progress.Count;
            pos = progress.Pos;
            i = progress.Done;
        }
        else
        {
            int lineEnd;
            if (TryReadShortLength(span, out int shortCount, out lineEnd))
            {
                progress.Examined += lineEnd + 1;
                count = shortCount;
            }
            else
            {
                lineEnd = span.IndexOf((byte)'\r');
                progress.Examined += lineEnd < 0 ? span.Length : lineEnd + 1;
                if (lineEnd < 0 || lineEnd + 1 >= span.Length)
                {
                    if (span.Length > InlineMaxSize) { error = "too big mbulk count string"; return ParseResult.Error; }
                    return ParseResult.Incomplete;
                }
                if (!TryParseLong(span.Slice(1, lineEnd - 1), out count) || count > int.MaxValue)
                {
                    error = "invalid multibulk length";
                    return ParseResult.Error;
                }
            }
            if (!authenticated && count > 10)
            {
                error = "unauthenticated multibulk length";
                return ParseResult.Error;
            }
            pos = lineEnd + 2;
            if (count <= 0)
            {
                consumed = pos;
                return ParseResult.Empty;
            }
            i = 0;
        }
        var result = ParseBulks(span, start, args, authenticated, maxBulkLength, count, ref i, ref pos, ref progress.Examined, out needed, out error);
        if (result == ParseResult.Incomplete)
        {
            progress.Buffer = buffer;
            progress.Start = start;
            progress.Count = (int)count;
            progress.Done = (int)i;
            progress.Pos = pos;
            return result;
        }
        long examined = progress.Examined;
        progress = default;
        progress.Examined = examined;
        if (result == ParseResult.Command) consumed = pos;
        return result;
    }

    /// <summary>The bulk strings of a multibulk command, from argument <paramref name="i"/> at <paramref name="pos"/> on.</summary>
    private static ParseResult ParseBulks(ReadOnlySpan<byte> span, int start, CommandArgs args, bool authenticated, long maxBulkLength,
        long count, ref long i, ref int pos, ref long examined, out long needed, out string? error)
    {
        needed = 0;
        error = null;
        for (; i < count; i++)
        {
            if (pos >= span.Length) return ParseResult.Incomplete;
            if (span[pos] != (byte)'$')
            {
                error = $"expected '$', got '{(char)span[pos]}'";
                return ParseResult.Error;
            }
            var rest = span.Slice(pos);
            long len;
            if (TryReadShortLength(rest, out int shortLen, out int cr) && shortLen <= maxBulkLength)
            {
                examined += cr + 2;
                len = shortLen;
            }
            else
            {
                cr = rest.IndexOf((byte)'\r');
                examined += cr < 0 ? rest.Length : cr + 2;
                if (cr < 0 || cr + 1 >= rest.Length)
                {
                    if (rest.Length > InlineMaxSize) { error = "too big bulk count string"; return ParseResult.Error; }
                    return ParseResult.Incomplete;
                }
                if (!TryParseLong(rest.Slice(1, cr - 1), out len) || len < 0 || len > maxBulkLength)
                {
                    error = "invalid bulk length";
                    return ParseResult.Error;
                }
            }
            if (!authenticated && len > 16384)
            {
                error = "unauthenticated bulk length";
                return ParseResult.Error;
            }
            int dataStart = pos + cr + 2;
            long after = (long)dataStart + len + 2;
            if (after > span.Length)
            {
                needed = start + after;
                return ParseResult.Incomplete;
            }
            // Like Redis, the two bytes after the payload are skipped without being checked.
            args.Add(start + dataStart, (int)len);
            pos = (int)after;
        }
        return ParseResult.Command;
    }

    /// <summary>
    /// The common header line, a type byte and up to nine digits without a sign or a leading zero, then CR LF:
    /// its value and the CR's offset in one pass, instead of a search for the CR and a second parse. False for
    /// anything else (a sign, a leading zero, ten digits or more, a line not complete yet), which the general
    /// path then reads and judges, so the errors stay the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadShortLength(ReadOnlySpan<byte> line, out int value, out int cr)
    {
        value = 0;
        int i = 1;
        for (; i < line.Length && i <= 9; i++)
        {
            uint digit = (uint)(line[i] - '0');
            if (digit > 9) break;
            value = value * 10 + (int)digit;
        }
        cr = i;
        // Digits, then CR and one more byte (the LF) in the buffer; "0" alone but no other leading zero.
        return i > 1 && i + 1 < line.Length && line[i] == (byte)'\r' && (line[1] != (byte)'0' || i == 2);
    }

    private static ParseResult ParseInline(byte[] buffer, int start, int end, CommandArgs args, out int consumed, out string? error)
    {
        consumed = 0;
        error = null;
        var span = buffer.AsSpan(start, end - start);
        int nl = span.IndexOf((byte)'\n');
        if (nl < 0)
        {
            if (span.Length > InlineMaxSize) { error = "too big inline request"; return ParseResult.Error; }
            return ParseResult.Incomplete;
        }
        var line = span.Slice(0, nl);
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        consumed = nl + 1;
        if (!SplitArgs(line, start, args))
        {
            error = "unbalanced quotes in request";
            return ParseResult.Error;
        }
        return args.Count == 0 ? ParseResult.Empty : ParseResult.Command;
    }

    /// <summary>Splits an inline line as Redis's sdssplitargs does: spaces, "double" quotes with escapes, 'single' quotes.</summary>
    public static bool SplitArgs(ReadOnlySpan<byte> line, int lineOffset, CommandArgs args)
    {
        int i = 0;
        Span<byte> small = stackalloc byte[256];
        byte[]? rented = null;
        try
        {
            while (true)
            {
                while (i < line.Length && IsSpace(line[i])) i++;
                if (i >= line.Length) return true;
                int tokenStart = i;
                bool plain = true;
                int outLen = 0;
                var output = small;
                bool inDq = false, inSq = false, done = false;
                while (!done)
                {
                    if (inDq)
                    {
                        if (i >= line.Length) return false;
                        byte c = line[i];
                        if (c == '\\' && i + 3 < line.Length && line[i + 1] == 'x' && IsHex(line[i + 2]) && IsHex(line[i + 3]))
                        {
                            Append(ref output, ref outLen, ref rented, (byte)(HexVal(line[i + 2]) * 16 + HexVal(line[i + 3])));
                            i += 3;
                        }
                        else if (c == '\\' && i + 1 < line.Length)
                        {
                            i++;
                            byte e = line[i] switch
                            {
                                (byte)'n' => (byte)'\n', (byte)'r' => (byte)'\r', (byte)'t' => (byte)'\t',
                                (byte)'b' => (byte)'\b', (byte)'a' => (byte)'\a', var o => o,
                            };
                            Append(ref output, ref outLen, ref rented, e);
                        }
                        else if (c == '"')
                        {
                            if (i + 1 < line.Length && !IsSpace(line[i + 1])) return false;
                            done = true;
                        }
                        else Append(ref output, ref outLen, ref rented, c);
                    }
                    else if (inSq)
                    {
                        if (i >= line.Length) return false;
                        byte c = line[i];
                        if (c == '\\' && i + 1 < line.Length && line[i + 1] == '\'')
                        {
                            i++;
                            Append(ref output, ref outLen, ref rented, (byte)'\'');
                        }
                        else if (c == '\'')
                        {
                            if (i + 1 < line.Length && !IsSpace(line[i + 1])) return false;
                            done = true;
                        }
                        else Append(ref output, ref outLen, ref rented, c);
                    }
                    else
                    {
                        if (i >= line.Length) { done = true; break; }
                        byte c = line[i];
                        if (IsSpace(c)) { done = true; }
                        else if (c == '"') { inDq = true; plain = false; }
                        else if (c == '\'') { inSq = true; plain = false; }
                        else Append(ref output, ref outLen, ref rented, c);
                    }
                    if (i < line.Length) i++;
                }
                if (plain) args.Add(lineOffset + tokenStart, outLen);
                else args.AddCopy(output[..outLen]);
            }
        }
        finally
        {
            if (rented != null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Append(ref Span<byte> output, ref int len, ref byte[]? rented, byte b)
    {
        if (len == output.Length)
        {
            var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(output.Length * 2);
            output[..len].CopyTo(bigger);
            if (rented != null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            rented = bigger;
            output = bigger;
        }
        output[len++] = b;
    }

    private static bool IsSpace(byte c) => c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    private static bool IsHex(byte c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    private static int HexVal(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Strict decimal parse as Redis's string2ll: optional '-', digits, no spaces or '+'.</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.Length == 0 || s.Length > 20) return false;
        if (s.Length == 1 && s[0] == '0') return true;
        bool neg = s[0] == '-';
        int i = neg ? 1 : 0;
        if (i >= s.Length || s[i] < '1' || s[i] > '9') return false;
        ulong v = 0;
        for (; i < s.Length; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) return false;
            if (v > (ulong.MaxValue - d) / 10) return false;
            v = v * 10 + d;
        }
        if (neg)
        {
            if (v > (ulong)long.MaxValue + 1) return false;
            value = (long)(0 - v);
        }
        else
        {
            if (v > long.MaxValue) return false;
            value = (long)v;
        }
        return true;
    }

    /// <summary>Formats a long as ASCII digits into <paramref name="dest"/>; returns the length.</summary>
    public static int FormatLong(long value, Span<byte> dest)
    {
        Utf8Formatter.TryFormat(value, dest, out int written);
        return written;
    }
}
