using System.Buffers.Binary;
using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Persistence;

/// <summary>
/// The primitives of the RDB format written to a stream: lengths, strings (integer-encoded, LZF-compressed or
/// plain, as Redis's rdbSaveRawString chooses), millisecond times and binary doubles, with the CRC-64 of
/// everything written kept as it goes (the file's footer and DUMP's).
/// </summary>
public sealed class RdbOutput
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _used;
    private byte[] _compressed = [];

    public RdbOutput(Stream stream, bool compress)
    {
        _stream = stream;
        Compress = compress;
    }

    /// <summary>rdbcompression: strings over 20 bytes are LZF-compressed when that saves at least 4 bytes.</summary>
    public bool Compress { get; }

    /// <summary>The CRC-64 of everything written so far (flushed or not).</summary>
    public ulong Checksum => _checksum.GetCurrentHashAsUInt64();

    private readonly System.IO.Hashing.Crc64 _checksum = Crc64.Start();

    /// <summary>Bytes written so far.</summary>
    public long Position { get; private set; }

    public void WriteByte(byte b)
    {
        if (_used == _buffer.Length) FlushBuffer();
        _buffer[_used++] = b;
        Position++;
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            if (_used == _buffer.Length) FlushBuffer();
            int n = Math.Min(data.Length, _buffer.Length - _used);
            data[..n].CopyTo(_buffer.AsSpan(_used));
            _used += n;
            Position += n;
            data = data[n..];
        }
    }

    private void FlushBuffer()
    {
        _checksum.Append(_buffer.AsSpan(0, _used));
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    /// <summary>Writes what is buffered to the stream (the checksum then covers it all).</summary>
    public void Flush()
    {
        FlushBuffer();
        _stream.Flush();
    }

    /// <summary>rdbSaveLen: 6 bits, 14 bits, or a 32/64-bit big-endian length after a marker byte.</summary>
    public void WriteLength(ulong length)
    {
        Span<byte> b = stackalloc byte[9];
        if (length < 1 << 6) WriteByte((byte)length);
        else if (length < 1 << 14)
        {
            b[0] = (byte)(0x40 | (length >> 8));
            b[1] = (byte)length;
            Write(b[..2]);
        }
        else if (length <= uint.MaxValue)
        {
            b[0] = 0x80;
            BinaryPrimitives.WriteUInt32BigEndian(b[1..], (uint)length);
            Write(b[..5]);
        }
        else
        {
            b[0] = 0x81;
            BinaryPrimitives.WriteUInt64BigEndian(b[1..], length);
            Write(b[..9]);
        }
    }

    public void WriteLength(long length) => WriteLength(unchecked((ulong)length));

    /// <summary>rdbSaveMillisecondTime: 8 bytes, little endian.</summary>
    public void WriteMillis(long ms)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, ms);
        Write(b);
    }

    /// <summary>rdbSaveBinaryDoubleValue: the IEEE double, little endian.</summary>
    public void WriteBinaryDouble(double value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, value);
        Write(b);
    }

    /// <summary>
    /// rdbSaveRawString: up to 11 bytes holding a canonical 32-bit integer become an integer encoding; with
    /// compression on, over 20 bytes LZF when it fits in 4 bytes less; otherwise the length and the bytes.
    /// </summary>
    public void WriteString(ReadOnlySpan<byte> s)
    {
        if (s.Length <= 11 && s.Length > 0 && RespParser.TryParseLong(s, out long v) && v >= int.MinValue && v <= int.MaxValue)
        {
            WriteEncodedInteger((int)v);
            return;
        }
        if (Compress && s.Length > 20 && TryWriteLzf(s)) return;
        WriteLength((ulong)s.Length);
        Write(s);
    }

    /// <summary>rdbSaveLongLongAsStringObject: an integer in the smallest encoding, or its decimal text.</summary>
    public void WriteInteger(long v)
    {
        if (v >= int.MinValue && v <= int.MaxValue)
        {
            WriteEncodedInteger((int)v);
            return;
        }
        Span<byte> text = stackalloc byte[20];
        int n = RespParser.FormatLong(v, text);
        WriteLength((ulong)n);
        Write(text[..n]);
    }

    private void WriteEncodedInteger(int v)
    {
        Span<byte> b = stackalloc byte[5];
        if (v >= sbyte.MinValue && v <= sbyte.MaxValue)
        {
            b[0] = 0xC0 | RdbFormat.EncInt8;
            b[1] = (byte)(sbyte)v;
            Write(b[..2]);
        }
        else if (v >= short.MinValue && v <= short.MaxValue)
        {
            b[0] = 0xC0 | RdbFormat.EncInt16;
            BinaryPrimitives.WriteInt16LittleEndian(b[1..], (short)v);
            Write(b[..3]);
        }
        else
        {
            b[0] = 0xC0 | RdbFormat.EncInt32;
            BinaryPrimitives.WriteInt32LittleEndian(b[1..], v);
            Write(b[..5]);
        }
    }

    private bool TryWriteLzf(ReadOnlySpan<byte> s)
    {
        int limit = s.Length - 4;
        if (_compressed.Length < limit) _compressed = new byte[Math.Max(limit, Math.Min(_compressed.Length * 2, 1 << 30))];
        int n = Lzf.Compress(s, _compressed.AsSpan(0, limit));
        if (n == 0) return false;
        WriteByte(0xC0 | RdbFormat.EncLzf);
        WriteLength((ulong)n);
        WriteLength((ulong)s.Length);
        Write(_compressed.AsSpan(0, n));
        return true;
    }
}
