using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Cinnabar.Protocol;

/// <summary>
/// Writes replies into a growable output buffer, in RESP2 or RESP3 as the client negotiated. Shapes that
/// RESP2 lacks (maps, sets, doubles, booleans, null, push) are written as Redis writes them for RESP2.
/// </summary>
public sealed class RespWriter
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private byte[] _buffer;
    private int _length;

    public RespWriter(int initialCapacity = 16 * 1024) => _buffer = new byte[initialCapacity];

    /// <summary>2 or 3.</summary>
    public int Protocol { get; set; } = 2;
    public bool IsResp3 => Protocol == 3;

    public int Length => _length;
    public ReadOnlyMemory<byte> Written => new(_buffer, 0, _length);
    public ReadOnlySpan<byte> WrittenSpan => new(_buffer, 0, _length);
    public int Capacity => _buffer.Length;

    public void Clear() => _length = 0;

    /// <summary>
    /// Hands the written bytes to a sender: <paramref name="other"/> receives the current buffer and this
    /// writer continues in the buffer passed in (double buffering, so replies for other clients can be
    /// appended while a send is in flight).
    /// </summary>
    public int Swap(ref byte[] other)
    {
        var taken = _buffer;
        int length = _length;
        _buffer = other;
        _length = 0;
        other = taken;
        return length;
    }

    /// <summary>Drops everything written after <paramref name="length"/> (e.g. replies suppressed by CLIENT REPLY).</summary>
    public void Truncate(int length) => _length = length;

    /// <summary>Removes the first <paramref name="count"/> bytes (after a partial send).</summary>
    public void Consume(int count)
    {
        if (count >= _length) { _length = 0; return; }
        Buffer.BlockCopy(_buffer, count, _buffer, 0, _length - count);
        _length -= count;
    }

    /// <summary>Releases a buffer that grew large for one reply, so an idle client does not keep it.</summary>
    public void ShrinkIfLarge(int keep = 16 * 1024)
    {
        if (_length == 0 && _buffer.Length > 1024 * 1024) _buffer = new byte[keep];
    }

    private Span<byte> Reserve(int size)
    {
        if (_length + size > _buffer.Length) Grow(size);
        return _buffer.AsSpan(_length, size);
    }

    private void Grow(int size)
    {
        long want = Math.Max((long)_buffer.Length * 2, (long)_length + size);
        if (want > Array.MaxLength) want = Math.Max(_length + size, Array.MaxLength);
        Array.Resize(ref _buffer, (int)want);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    private void WriteByte(byte b)
    {
        Reserve(1)[0] = b;
        _length++;
    }

    private void WriteNumberLine(byte prefix, long value)
    {
        var span = Reserve(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(value, span[1..], out int n);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        _length += n + 3;
    }

    private void WriteAsciiLine(byte prefix, string text)
    {
        var span = Reserve(text.Length * 3 + 3);
        span[0] = prefix;
        int n = Encoding.UTF8.GetBytes(text, span[1..]);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        _length += n + 3;
    }

    public void WriteOk() => WriteRaw("+OK\r\n"u8);

    public void WriteSimpleString(string text) => WriteAsciiLine((byte)'+', text);

    public void WriteSimpleString(ReadOnlySpan<byte> text)
    {
        WriteByte((byte)'+');
        WriteRaw(text);
        WriteRaw(Crlf);
    }

    /// <summary>Writes an error; <paramref name="message"/> carries its own code, e.g. "ERR syntax error".</summary>
    public void WriteError(string message)
    {
        // Redis replaces newlines in error texts so the reply stays one line.
        if (message.AsSpan().IndexOfAny('\r', '\n') >= 0) message = message.Replace('\r', ' ').Replace('\n', ' ');
        WriteAsciiLine((byte)'-', message);
    }

    public void WriteInteger(long value)
    {
        if (value == 0) { WriteRaw(":0\r\n"u8); return; }
        if (value == 1) { WriteRaw(":1\r\n"u8); return; }
        WriteNumberLine((byte)':', value);
    }

    public void WriteBulk(ReadOnlySpan<byte> value)
    {
        var span = Reserve(value.Length + 24);
        span[0] = (byte)'$';
        Utf8Formatter.TryFormat(value.Length, span[1..], out int n);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        value.CopyTo(span[(3 + n)..]);
        int end = 3 + n + value.Length;
        span[end] = (byte)'\r';
        span[end + 1] = (byte)'\n';
        _length += end + 2;
    }

    public void WriteBulk(string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 512)
        {
            Span<byte> tmp = stackalloc byte[max];
            int n = Encoding.UTF8.GetBytes(value, tmp);
            WriteBulk(tmp[..n]);
        }
        else WriteBulk(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>A bulk string holding a decimal integer (e.g. a score or a count sent as text).</summary>
    public void WriteBulkLong(long value)
    {
        Span<byte> tmp = stackalloc byte[24];
        Utf8Formatter.TryFormat(value, tmp, out int n);
        WriteBulk(tmp[..n]);
    }

    /// <summary>The null reply: <c>$-1</c> in RESP2, <c>_</c> in RESP3.</summary>
    public void WriteNull()
    {
        if (IsResp3) WriteRaw("_\r\n"u8);
        else WriteRaw("$-1\r\n"u8);
    }

    /// <summary>A null array: <c>*-1</c> in RESP2, <c>_</c> in RESP3.</summary>
    public void WriteNullArray()
    {
        if (IsResp3) WriteRaw("_\r\n"u8);
        else WriteRaw("*-1\r\n"u8);
    }

    public void WriteArrayHeader(long count) => WriteNumberLine((byte)'*', count);

    /// <summary>A map header; RESP2 gets an array of twice the length, as Redis sends.</summary>
    public void WriteMapHeader(long pairs)
    {
        if (IsResp3) WriteNumberLine((byte)'%', pairs);
        else WriteNumberLine((byte)'*', pairs * 2);
    }

    /// <summary>A set header; RESP2 gets an array.</summary>
    public void WriteSetHeader(long count) => WriteNumberLine(IsResp3 ? (byte)'~' : (byte)'*', count);

    /// <summary>A push header; RESP2 gets an array (pub/sub messages).</summary>
    public void WritePushHeader(long count) => WriteNumberLine(IsResp3 ? (byte)'>' : (byte)'*', count);

    public void WriteEmptyArray() => WriteRaw("*0\r\n"u8);

    /// <summary>RESP3 boolean; RESP2 gets 1 or 0 as Redis does.</summary>
    public void WriteBoolean(bool value)
    {
        if (IsResp3) WriteRaw(value ? "#t\r\n"u8 : "#f\r\n"u8);
        else WriteInteger(value ? 1 : 0);
    }

    /// <summary>A double: RESP3 <c>,</c> type; RESP2 a bulk string. Formatted as Redis 7.0 (%.17g, inf, -inf).</summary>
    public void WriteDouble(double value)
    {
        Span<byte> tmp = stackalloc byte[40];
        int n = FormatDouble(value, tmp);
        if (IsResp3)
        {
            WriteByte((byte)',');
            WriteRaw(tmp[..n]);
            WriteRaw(Crlf);
        }
        else WriteBulk(tmp[..n]);
    }

    /// <summary>RESP3 verbatim string (<c>=</c>, with a three-letter format); RESP2 a bulk string.</summary>
    public void WriteVerbatim(string text, string format = "txt")
    {
        if (!IsResp3) { WriteBulk(text); return; }
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteNumberLine((byte)'=', bytes.Length + 4);
        WriteRaw(Encoding.ASCII.GetBytes(format));
        WriteByte((byte)':');
        WriteRaw(bytes);
        WriteRaw(Crlf);
    }

    /// <summary>Formats a double as Redis's "%.17g" with "inf"/"-inf"/"nan".</summary>
    public static int FormatDouble(double value, Span<byte> dest)
    {
        if (double.IsPositiveInfinity(value)) { "inf"u8.CopyTo(dest); return 3; }
        if (double.IsNegativeInfinity(value)) { "-inf"u8.CopyTo(dest); return 4; }
        if (double.IsNaN(value)) { "nan"u8.CopyTo(dest); return 3; }
        // Integral values in range print without exponent or fraction, like %.17g.
        if (value == Math.Floor(value) && Math.Abs(value) < 1e17)
        {
            if (value == 0 && double.IsNegative(value)) { "-0"u8.CopyTo(dest); return 2; }
            Utf8Formatter.TryFormat((long)value, dest, out int w);
            return w;
        }
        string s = FormatG17(value);
        return Encoding.ASCII.GetBytes(s, dest);
    }

    /// <summary>C's printf("%.17g") for finite doubles.</summary>
    public static string FormatG17(double value)
    {
        // "E16" gives 17 significant digits in scientific form; rebuild %g's choice between fixed and exponent.
        string e = value.ToString("E16", CultureInfo.InvariantCulture);
        int ePos = e.IndexOf('E');
        int exp = int.Parse(e.AsSpan(ePos + 1), CultureInfo.InvariantCulture);
        string mantissa = e[..ePos];
        bool neg = mantissa[0] == '-';
        string digits = mantissa.Replace("-", "").Replace(".", "");
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        var sb = new StringBuilder();
        if (neg) sb.Append('-');
        if (exp < -4 || exp >= 17)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append('e').Append(exp < 0 ? '-' : '+');
            int a = Math.Abs(exp);
            if (a < 10) sb.Append('0');
            sb.Append(a);
        }
        else if (exp < 0)
        {
            sb.Append("0.").Append('0', -exp - 1).Append(digits);
        }
        else
        {
            if (digits.Length <= exp + 1) sb.Append(digits).Append('0', exp + 1 - digits.Length);
            else sb.Append(digits, 0, exp + 1).Append('.').Append(digits, exp + 1, digits.Length - exp - 1);
        }
        return sb.ToString();
    }
}
