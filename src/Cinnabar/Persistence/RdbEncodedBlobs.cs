using System.Buffers.Binary;
using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Persistence;

/// <summary>
/// Decodes the compact encodings Redis stores as one RDB string: listpack (7.0+), ziplist (3.2–6.2), zipmap
/// (before 2.6) and intset. Each is checked as it is walked (header lengths, entry bounds, the end byte);
/// damage throws <see cref="InvalidDataException"/> with what was wrong.
/// </summary>
public static class RdbEncodedBlobs
{
    /// <summary>The elements of a listpack, as text.</summary>
    public static List<byte[]> Listpack(ReadOnlySpan<byte> lp)
    {
        if (lp.Length < 7 || BinaryPrimitives.ReadUInt32LittleEndian(lp) != lp.Length) throw new InvalidDataException("listpack header length mismatch");
        int declared = BinaryPrimitives.ReadUInt16LittleEndian(lp[4..]);
        if (lp[^1] != 0xFF) throw new InvalidDataException("listpack without its end byte");
        var body = lp[6..^1];
        var elements = new List<byte[]>();
        Span<byte> scratch = stackalloc byte[StreamListpack.ScratchSize];
        int pos = 0;
        while (pos < body.Length)
        {
            int next = ListpackEntryEnd(body, pos);
            elements.Add(StreamListpack.Read(body, pos, scratch).ToArray());
            pos = next;
        }
        if (declared != 65535 && declared != elements.Count) throw new InvalidDataException("listpack element count mismatch");
        return elements;
    }

    /// <summary>Where the entry at <paramref name="pos"/> ends, checked against the body and its backlen.</summary>
    public static int ListpackEntryEnd(ReadOnlySpan<byte> body, int pos)
    {
        byte h = body[pos];
        long encoding;
        if (h < 0x80) encoding = 1;
        else if (h < 0xC0) encoding = 1 + (h & 0x3F);
        else if (h < 0xE0) encoding = 2;
        else if (h < 0xF0) encoding = 2 + (((h & 0x0F) << 8) | At(body, pos + 1));
        else encoding = h switch
        {
            0xF0 => 5 + (long)BinaryPrimitives.ReadUInt32LittleEndian(Slice(body, pos + 1, 4)),
            0xF1 => 3,
            0xF2 => 4,
            0xF3 => 5,
            0xF4 => 9,
            _ => throw new InvalidDataException($"invalid listpack entry encoding 0x{h:x2}"),
        };
        int backlen = encoding <= 127 ? 1 : encoding < 16383 ? 2 : encoding < 2097151 ? 3 : encoding < 268435455 ? 4 : 5;
        long end = pos + encoding + backlen;
        if (end > body.Length) throw new InvalidDataException("listpack entry runs past its end");
        return (int)end;
    }

    private static byte At(ReadOnlySpan<byte> s, int i) => i < s.Length ? s[i] : throw new InvalidDataException("entry runs past its end");

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> s, int start, int length) =>
        start + length <= s.Length ? s.Slice(start, length) : throw new InvalidDataException("entry runs past its end");

    /// <summary>The elements of a ziplist, as text.</summary>
    public static List<byte[]> Ziplist(ReadOnlySpan<byte> zl)
    {
        if (zl.Length < 11 || BinaryPrimitives.ReadUInt32LittleEndian(zl) != zl.Length) throw new InvalidDataException("ziplist header length mismatch");
        if (zl[^1] != 0xFF) throw new InvalidDataException("ziplist without its end byte");
        int declared = BinaryPrimitives.ReadUInt16LittleEndian(zl[8..]);
        var elements = new List<byte[]>();
        int pos = 10;
        Span<byte> text = stackalloc byte[20];
        while (zl[pos] != 0xFF)
        {
            pos += zl[pos] < 254 ? 1 : 5; // the previous entry's length
            byte enc = At(zl, pos);
            long value;
            switch (enc >> 6)
            {
                case 0:
                    elements.Add(Slice(zl, pos + 1, enc & 0x3F).ToArray());
                    pos += 1 + (enc & 0x3F);
                    continue;
                case 1:
                {
                    int n = ((enc & 0x3F) << 8) | At(zl, pos + 1);
                    elements.Add(Slice(zl, pos + 2, n).ToArray());
                    pos += 2 + n;
                    continue;
                }
                case 2:
                {
                    uint n = BinaryPrimitives.ReadUInt32BigEndian(Slice(zl, pos + 1, 4));
                    if (n > zl.Length) throw new InvalidDataException("ziplist entry runs past its end");
                    elements.Add(Slice(zl, pos + 5, (int)n).ToArray());
                    pos += 5 + (int)n;
                    continue;
                }
            }
            switch (enc)
            {
                case 0xC0: value = BinaryPrimitives.ReadInt16LittleEndian(Slice(zl, pos + 1, 2)); pos += 3; break;
                case 0xD0: value = BinaryPrimitives.ReadInt32LittleEndian(Slice(zl, pos + 1, 4)); pos += 5; break;
                case 0xE0: value = BinaryPrimitives.ReadInt64LittleEndian(Slice(zl, pos + 1, 8)); pos += 9; break;
                case 0xF0:
                {
                    var b = Slice(zl, pos + 1, 3);
                    value = b[0] | b[1] << 8 | (sbyte)b[2] << 16;
                    pos += 4;
                    break;
                }
                case 0xFE: value = (sbyte)At(zl, pos + 1); pos += 2; break;
                default:
                    if (enc >= 0xF1 && enc <= 0xFD)
                    {
                        value = (enc & 0x0F) - 1;
                        pos += 1;
                        break;
                    }
                    throw new InvalidDataException($"invalid ziplist entry encoding 0x{enc:x2}");
            }
            elements.Add(text[..RespParser.FormatLong(value, text)].ToArray());
            if (pos >= zl.Length) throw new InvalidDataException("ziplist entry runs past its end");
        }
        if (pos != zl.Length - 1) throw new InvalidDataException("ziplist end byte before its end");
        if (declared != 65535 && declared != elements.Count) throw new InvalidDataException("ziplist element count mismatch");
        return elements;
    }

    /// <summary>The fields and values of a zipmap (hashes before Redis 2.6), alternating.</summary>
    public static List<byte[]> Zipmap(ReadOnlySpan<byte> zm)
    {
        var elements = new List<byte[]>();
        if (zm.Length < 2) throw new InvalidDataException("zipmap too short");
        int pos = 1; // the count byte (only a hint)
        while (true)
        {
            byte first = At(zm, pos);
            if (first == 0xFF) break;
            var key = ZipmapString(zm, ref pos, withFree: false);
            var value = ZipmapString(zm, ref pos, withFree: true);
            elements.Add(key);
            elements.Add(value);
        }
        if (pos != zm.Length - 1) throw new InvalidDataException("zipmap end byte before its end");
        return elements;
    }

    private static byte[] ZipmapString(ReadOnlySpan<byte> zm, ref int pos, bool withFree)
    {
        int length = At(zm, pos);
        if (length == 0xFF) throw new InvalidDataException("zipmap ends inside an entry");
        if (length < 254) pos++;
        else if (length == 254)
        {
            uint n = BinaryPrimitives.ReadUInt32LittleEndian(Slice(zm, pos + 1, 4));
            if (n > zm.Length) throw new InvalidDataException("zipmap entry runs past its end");
            length = (int)n;
            pos += 5;
        }
        int free = withFree ? At(zm, pos++) : 0;
        var s = Slice(zm, pos, length).ToArray();
        pos += length + free;
        return s;
    }

    /// <summary>The members of an intset, in its (ascending) order.</summary>
    public static List<long> Intset(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 8) throw new InvalidDataException("intset too short");
        uint width = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(blob[4..]);
        if (width is not (2 or 4 or 8)) throw new InvalidDataException($"invalid intset encoding {width}");
        if ((ulong)count * width + 8 != (ulong)blob.Length) throw new InvalidDataException("intset length mismatch");
        var members = new List<long>((int)count);
        for (int i = 0; i < count; i++)
        {
            var at = blob[(8 + i * (int)width)..];
            long v = width == 2 ? BinaryPrimitives.ReadInt16LittleEndian(at) : width == 4 ? BinaryPrimitives.ReadInt32LittleEndian(at) : BinaryPrimitives.ReadInt64LittleEndian(at);
            if (i > 0 && v <= members[^1]) throw new InvalidDataException("intset members out of order");
            members.Add(v);
        }
        return members;
    }
}
