using System.Buffers.Binary;
using Cinnabar.Types;

namespace Cinnabar.Persistence;

/// <summary>
/// Builds a listpack exactly as Redis lays it out in memory and in RDB files: a 6-byte header (total bytes,
/// element count or 65535 when larger), the entries in <see cref="StreamListpack"/>'s encoding (integers
/// when an element is a canonical one, as lpAppend decides), and the end byte 0xFF. Reused across values.
/// </summary>
public sealed class RedisListpackBuilder
{
    public const int HeaderSize = 6;
    private byte[] _buffer = new byte[256];
    private int _used = HeaderSize;
    private int _count;

    public void Clear()
    {
        _used = HeaderSize;
        _count = 0;
    }

    private Span<byte> Room(int n)
    {
        if (_used + n + 1 > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + n + 1));
        return _buffer.AsSpan(_used);
    }

    public void Add(ReadOnlySpan<byte> element)
    {
        _used += StreamListpack.WriteString(Room(element.Length + 10), element);
        _count++;
    }

    public void AddInteger(long v)
    {
        _used += StreamListpack.WriteInteger(Room(10), v);
        _count++;
    }

    /// <summary>An element already encoded (header and payload, as a stream node holds it); its backlen is added.</summary>
    public void AddElement(ReadOnlySpan<byte> element)
    {
        var room = Room(element.Length + 5);
        element.CopyTo(room);
        _used += element.Length + StreamListpack.WriteBacklen(room[element.Length..], element.Length);
        _count++;
    }

    /// <summary>The finished listpack (valid until the next change).</summary>
    public ReadOnlySpan<byte> Finish()
    {
        Room(0)[0] = 0xFF;
        int total = _used + 1;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)total);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(4), (ushort)Math.Min(_count, 65535));
        return _buffer.AsSpan(0, total);
    }
}

/// <summary>Passes a stream node's elements to a <see cref="RedisListpackBuilder"/> (RDB files hold Redis's listpack).</summary>
public readonly struct ListpackSink(RedisListpackBuilder builder) : IListpackSink
{
    public void Element(ReadOnlySpan<byte> element) => builder.AddElement(element);
    public void Integer(long value) => builder.AddInteger(value);
}
