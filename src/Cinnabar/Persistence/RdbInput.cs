using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Persistence;

/// <summary>
/// Reads the primitives of the RDB format from a stream, keeping the offset (for messages) and the CRC-64 of
/// what was read. Every length is checked against what the input can still hold before anything is
/// allocated, so a damaged file ends in an <see cref="RdbFormatException"/>, never in a huge allocation.
/// </summary>
public sealed class RdbInput
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;
    private readonly long _length;

    public RdbInput(Stream stream)
    {
        _stream = stream;
        _length = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public long Position { get; private set; }

    /// <summary>Total bytes of the input when known (for progress), else -1.</summary>
    public long Length => _length == long.MaxValue ? -1 : _length;

    /// <summary>CRC-64 of the buffers consumed so far.</summary>
    private readonly System.IO.Hashing.Crc64 _checksum = Crc64.Start();

    public RdbFormatException Error(string message) => new(message, Position);

    private bool Fill()
    {
        // Called only once the buffer is consumed: all of it joins the checksum.
        _checksum.Append(_buffer.AsSpan(0, _end));
        _start = _end = 0;
        int n = _stream.Read(_buffer, 0, _buffer.Length);
        if (n <= 0) return false;
        _end = n;
        return true;
    }

    public byte ReadByte()
    {
        if (_start == _end && !Fill()) throw Error("unexpected end of file");
        Position++;
        return _buffer[_start++];
    }

    public void ReadExact(Span<byte> dest)
    {
        while (dest.Length > 0)
        {
            if (_start == _end && !Fill()) throw Error("unexpected end of file");
            int n = Math.Min(dest.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(dest);
            _start += n;
            Position += n;
            dest = dest[n..];
        }
    }

    /// <summary>Bytes read from the stream but not consumed (what follows an AOF's RDB preamble starts with them).</summary>
    public ReadOnlySpan<byte> Unconsumed => _buffer.AsSpan(_start, _end - _start);

    /// <summary>The CRC-64 of everything consumed, up to the current position.</summary>
    public ulong ChecksumSoFar()
    {
        var sofar = _checksum.Clone();
        sofar.Append(_buffer.AsSpan(0, _start));
        return sofar.GetCurrentHashAsUInt64();
    }

    /// <summary>Throws when <paramref name="length"/> bytes cannot be in what is left of the input.</summary>
    public void CheckAvailable(ulong length, string what)
    {
        if (length > (ulong)(_length - Position)) throw Error($"{what} of {length} bytes is longer than the file");
    }

    /// <summary>rdbLoadLen: a length, or (<paramref name="encoded"/>) a special string encoding.</summary>
    public ulong ReadLength(out bool encoded)
    {
        encoded = false;
        byte first = ReadByte();
        switch (first >> 6)
        {
            case 0: return (ulong)(first & 0x3F);
            case 1: return (ulong)((first & 0x3F) << 8 | ReadByte());
            case 3:
                encoded = true;
                return (ulong)(first & 0x3F);
        }
        Span<byte> b = stackalloc byte[8];
        if (first == 0x80)
        {
            ReadExact(b[..4]);
            return BinaryPrimitives.ReadUInt32BigEndian(b);
        }
        if (first == 0x81)
        {
            ReadExact(b);
            return BinaryPrimitives.ReadUInt64BigEndian(b);
        }
        throw Error($"unknown length encoding 0x{first:x2}");
    }

    /// <summary>A plain length (an encoded-string marker here is damage).</summary>
    public ulong ReadLength()
    {
        ulong n = ReadLength(out bool encoded);
        if (encoded) throw Error("a string encoding where a length was expected");
        return n;
    }

    /// <summary>A count of elements, checked to be plausible (each element takes at least one byte).</summary>
    public int ReadCount(string what)
    {
        ulong n = ReadLength();
        if (n > int.MaxValue) throw Error($"{what} count {n} is too large");
        CheckAvailable(n, what);
        return (int)n;
    }

    /// <summary>rdbGenericLoadStringObject: plain, integer-encoded or LZF-compressed.</summary>
    public byte[] ReadString()
    {
        ulong length = ReadLength(out bool encoded);
        if (!encoded)
        {
            CheckAvailable(length, "string");
            if (length > (ulong)Array.MaxLength) throw Error($"string of {length} bytes is too large");
            var plain = new byte[length];
            ReadExact(plain);
            return plain;
        }
        Span<byte> b = stackalloc byte[4];
        switch ((int)length)
        {
            case RdbFormat.EncInt8:
                return Format((sbyte)ReadByte());
            case RdbFormat.EncInt16:
                ReadExact(b[..2]);
                return Format(BinaryPrimitives.ReadInt16LittleEndian(b));
            case RdbFormat.EncInt32:
                ReadExact(b);
                return Format(BinaryPrimitives.ReadInt32LittleEndian(b));
            case RdbFormat.EncLzf:
            {
                ulong compressed = ReadLength();
                ulong plain = ReadLength();
                CheckAvailable(compressed, "compressed string");
                // A back reference expands 3 bytes into at most 264: a larger claim is damage.
                if (plain == 0 || plain > compressed * 88 || plain > (ulong)Array.MaxLength) throw Error("invalid LZF string length");
                var packed = new byte[compressed];
                ReadExact(packed);
                var value = new byte[plain];
                if (!Lzf.TryDecompress(packed, value)) throw Error("invalid LZF compressed string");
                return value;
            }
            default:
                throw Error($"unknown string encoding {length}");
        }
    }

    private static byte[] Format(long v)
    {
        Span<byte> text = stackalloc byte[20];
        return text[..RespParser.FormatLong(v, text)].ToArray();
    }

    public long ReadMillis()
    {
        Span<byte> b = stackalloc byte[8];
        ReadExact(b);
        return BinaryPrimitives.ReadInt64LittleEndian(b);
    }

    public int ReadSeconds()
    {
        Span<byte> b = stackalloc byte[4];
        ReadExact(b);
        return BinaryPrimitives.ReadInt32LittleEndian(b);
    }

    public double ReadBinaryDouble()
    {
        Span<byte> b = stackalloc byte[8];
        ReadExact(b);
        return BinaryPrimitives.ReadDoubleLittleEndian(b);
    }

    /// <summary>rdbLoadDoubleValue (zset v1): a length byte (253 nan, 254 inf, 255 -inf) then the text.</summary>
    public double ReadTextDouble()
    {
        byte n = ReadByte();
        switch (n)
        {
            case 253: return double.NaN;
            case 254: return double.PositiveInfinity;
            case 255: return double.NegativeInfinity;
        }
        Span<byte> text = stackalloc byte[n];
        ReadExact(text);
        if (!double.TryParse(Encoding.ASCII.GetString(text), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw Error("invalid score");
        return v;
    }
}
