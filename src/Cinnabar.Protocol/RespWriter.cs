using System.Buffers;
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

    /// <summary>
    /// A writer whose buffers come from the shared pool (a connection's): it starts empty, grows by renting,
    /// and gives its buffer back with <see cref="ReleaseBuffer"/>. Its owner must never keep a span of the
    /// written bytes across a later write, since an outgrown buffer goes back to the pool.
    /// </summary>
    public static RespWriter Pooled() => new(0) { _pooled = true };

    private bool _pooled;

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

    // Push frames written while replies are suppressed (CLIENT REPLY OFF/SKIP): Redis still delivers them.
    private List<(int Start, int End)>? _pushes;

    /// <summary>Set while the command of a client with suppressed replies runs: pushes written then are remembered.</summary>
    public bool TrackPushes { get; set; }

    /// <summary>Records that bytes from <paramref name="start"/> to the end are one complete push frame.</summary>
    public void MarkPush(int start)
    {
        if (TrackPushes) (_pushes ??= []).Add((start, _length));
    }

    /// <summary>Drops everything written after <paramref name="length"/> except the push frames marked since.</summary>
    public void TruncateKeepingPushes(int length)
    {
        int end = length;
        if (_pushes != null)
        {
            foreach (var (start, stop) in _pushes)
            {
                if (start < length) continue;
                Buffer.BlockCopy(_buffer, start, _buffer, end, stop - start);
                end += stop - start;
            }
            _pushes.Clear();
        }
        _length = end;
    }

    /// <summary>Forgets the marked push frames (the command is over and its output stays).</summary>
    public void ForgetPushes() => _pushes?.Clear();

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

    /// <summary>The smallest buffer a pooled writer takes from the shared pool; larger ones up to <see cref="MaxPooledSize"/>.</summary>
    public const int PooledBufferSize = 4096;
    public const int MaxPooledSize = 1024 * 1024;

    /// <summary>
    /// With nothing written: gives the buffer back to the pool, so an idle client holds none; the next write
    /// takes one again.
    /// </summary>
    public void ReleaseBuffer()
    {
        if (_length != 0 || _buffer.Length == 0) return;
        ReturnToPool(_buffer);
        _buffer = [];
    }

    /// <summary>Gives a buffer no longer referenced anywhere to the shared pool when it has one of the pooled sizes.</summary>
    public static void ReturnToPool(byte[] buffer)
    {
        if (IsPooledSize(buffer.Length)) ArrayPool<byte>.Shared.Return(buffer);
    }

    private static bool IsPooledSize(int length) =>
        length >= PooledBufferSize && length <= MaxPooledSize && (length & (length - 1)) == 0;

    private void Grow(int size)
    {
        long want = Math.Max((long)_buffer.Length * 2, (long)_length + size);
        if (_pooled && want <= MaxPooledSize)
        {
            var grown = ArrayPool<byte>.Shared.Rent((int)Math.Max(want, PooledBufferSize));
            Buffer.BlockCopy(_buffer, 0, grown, 0, _length);
            ReturnToPool(_buffer);
            _buffer = grown;
            return;
        }
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
        // Error texts are ASCII plus argument bytes carried as Latin-1 chars: written back byte for byte.
        var span = Reserve(message.Length + 3);
        span[0] = (byte)'-';
        int n = Encoding.Latin1.GetBytes(message, span[1..]);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        _length += n + 3;
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

    /// <summary>
    /// Writes an array header in front of the bytes written since <paramref name="at"/>: for replies whose
    /// length is known only after their elements (Redis's deferred lengths). Moves those bytes once.
    /// </summary>
    public void InsertArrayHeader(int at, long count) => InsertHeader(at, (byte)'*', count);

    /// <summary>A map header (RESP3) or an array of twice the pairs (RESP2) in front of the bytes written since <paramref name="at"/>.</summary>
    public void InsertMapHeader(int at, long pairs) =>
        InsertHeader(at, IsResp3 ? (byte)'%' : (byte)'*', IsResp3 ? pairs : pairs * 2);

    private void InsertHeader(int at, byte prefix, long count)
    {
        Span<byte> header = stackalloc byte[24];
        header[0] = prefix;
        Utf8Formatter.TryFormat(count, header[1..], out int n);
        header[1 + n] = (byte)'\r';
        header[2 + n] = (byte)'\n';
        int size = n + 3;
        Reserve(size);
        Buffer.BlockCopy(_buffer, at, _buffer, at + size, _length - at);
        header[..size].CopyTo(_buffer.AsSpan(at));
        _length += size;
    }

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

    /// <summary>Formats a double as Redis's "%.17g" with "inf"/"-inf"/"nan"; allocates nothing.</summary>
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
        return FormatG17(value, dest);
    }

    /// <summary>C's printf("%.17g") for finite doubles, into ASCII bytes.</summary>
    public static int FormatG17(double value, Span<byte> dest)
    {
        // "E16" yields the correctly rounded 17 significant digits: d.dddddddddddddddde±xxx.
        Span<char> e = stackalloc char[32];
        value.TryFormat(e, out int len, "E16", CultureInfo.InvariantCulture);
        e = e[..len];
        int pos = 0;
        int i = 0;
        if (e[0] == '-') { dest[pos++] = (byte)'-'; i = 1; }
        Span<byte> digits = stackalloc byte[17];
        int nd = 0;
        for (; i < e.Length && e[i] != 'E'; i++)
            if (e[i] != '.') digits[nd++] = (byte)e[i];
        int exp = int.Parse(e[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        while (nd > 1 && digits[nd - 1] == '0') nd--;
        if (exp < -4 || exp >= 17)
        {
            dest[pos++] = digits[0];
            if (nd > 1)
            {
                dest[pos++] = (byte)'.';
                digits[1..nd].CopyTo(dest[pos..]);
                pos += nd - 1;
            }
            dest[pos++] = (byte)'e';
            dest[pos++] = exp < 0 ? (byte)'-' : (byte)'+';
            int a = Math.Abs(exp);
            if (a < 10) dest[pos++] = (byte)'0';
            Utf8Formatter.TryFormat(a, dest[pos..], out int w);
            pos += w;
        }
        else if (exp < 0)
        {
            dest[pos++] = (byte)'0';
            dest[pos++] = (byte)'.';
            for (int z = 0; z < -exp - 1; z++) dest[pos++] = (byte)'0';
            digits[..nd].CopyTo(dest[pos..]);
            pos += nd;
        }
        else if (nd <= exp + 1)
        {
            digits[..nd].CopyTo(dest[pos..]);
            pos += nd;
            for (int z = 0; z < exp + 1 - nd; z++) dest[pos++] = (byte)'0';
        }
        else
        {
            digits[..(exp + 1)].CopyTo(dest[pos..]);
            pos += exp + 1;
            dest[pos++] = (byte)'.';
            digits[(exp + 1)..nd].CopyTo(dest[pos..]);
            pos += nd - exp - 1;
        }
        return pos;
    }

    /// <summary>C's printf("%.17g") for finite doubles, as a string.</summary>
    public static string FormatG17(double value)
    {
        Span<byte> buf = stackalloc byte[40];
        int n = FormatG17(value, buf);
        return Encoding.ASCII.GetString(buf[..n]);
    }
}
