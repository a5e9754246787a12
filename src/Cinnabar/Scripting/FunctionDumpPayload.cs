using System.Buffers.Binary;
using Cinnabar.Types;

namespace Cinnabar.Scripting;

/// <summary>
/// FUNCTION DUMP's payload in Redis's format, so dumps move between Redis and Cinnabar: per library the RDB
/// function opcode and the code as an RDB string (LZF-compressed as Redis compresses it), then the RDB version
/// (2 bytes, little endian) and the CRC-64 of everything before it (8 bytes, little endian).
/// </summary>
public static class FunctionDumpPayload
{
    public const int RdbVersion = 10; // Redis 7.0
    private const byte OpcodeFunction2 = 245;
    private const byte OpcodeFunctionPreGa = 246; // 7.0 release candidates: name, engine, description, code
    private const int FooterLength = 10;

    public static byte[] Encode(IEnumerable<FunctionLibrary> libraries)
    {
        var output = new List<byte>();
        foreach (var library in libraries)
        {
            output.Add(OpcodeFunction2);
            WriteString(output, library.Code);
        }
        output.Add(RdbVersion & 0xff);
        output.Add(RdbVersion >> 8);
        var bytes = new byte[output.Count + 8];
        output.CopyTo(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(output.Count), Crc64.Compute(bytes.AsSpan(0, output.Count)));
        return bytes;
    }

    /// <summary>Redis's verifyDumpPayload: a known RDB version and a matching checksum.</summary>
    public static bool Verify(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < FooterLength) return false;
        var footer = payload[^FooterLength..];
        if ((footer[0] | footer[1] << 8) > RdbVersion) return false;
        return Crc64.Compute(payload[..^8]) == BinaryPrimitives.ReadUInt64LittleEndian(footer[2..]);
    }

    /// <summary>The libraries' codes in a verified payload, or null with Redis's error text (without "ERR ").</summary>
    public static List<byte[]>? Decode(ReadOnlySpan<byte> payload, out string? error)
    {
        var codes = new List<byte[]>();
        int pos = 0;
        error = null;
        // As Redis, reading stops 10 bytes before the end; a string may still read into the footer.
        while (payload.Length - pos > FooterLength)
        {
            byte type = payload[pos++];
            if (type is not (OpcodeFunction2 or OpcodeFunctionPreGa))
            {
                error = "given type is not a function";
                return null;
            }
            if (type == OpcodeFunction2)
            {
                var code = ReadString(payload, ref pos);
                if (code == null)
                {
                    error = "Failed loading library payload";
                    return null;
                }
                codes.Add(code);
                continue;
            }
            var name = ReadString(payload, ref pos);
            if (name == null) return Fail(out error, "Failed loading library name");
            var engine = ReadString(payload, ref pos);
            if (engine == null) return Fail(out error, "Failed loading engine name");
            if (!TryReadLength(payload, ref pos, out ulong hasDescription, out bool encoded) || encoded)
                return Fail(out error, "Failed loading library description indicator");
            if (hasDescription != 0 && ReadString(payload, ref pos) == null) return Fail(out error, "Failed loading library description");
            var blob = ReadString(payload, ref pos);
            if (blob == null) return Fail(out error, "Failed loading library blob");
            // The release candidates kept name and engine apart; the shebang carries them now.
            codes.Add([.. "#!"u8, .. engine, .. " name="u8, .. name, (byte)'\n', .. blob]);
        }
        return codes;
    }

    private static List<byte[]>? Fail(out string error, string message)
    {
        error = message;
        return null;
    }

    // ---- RDB strings -------------------------------------------------------------------------------

    /// <summary>rdbSaveRawString: LZF when over 20 bytes and it saves at least 4, else length and bytes.</summary>
    private static void WriteString(List<byte> output, byte[] value)
    {
        if (value.Length > 20)
        {
            var compressed = new byte[value.Length - 4];
            int n = Lzf.Compress(value, compressed);
            if (n > 0)
            {
                output.Add(0xC3);
                WriteLength(output, (ulong)n);
                WriteLength(output, (ulong)value.Length);
                output.AddRange(compressed.AsSpan(0, n));
                return;
            }
        }
        WriteLength(output, (ulong)value.Length);
        output.AddRange(value);
    }

    private static void WriteLength(List<byte> output, ulong length)
    {
        if (length < 1 << 6) output.Add((byte)length);
        else if (length < 1 << 14)
        {
            output.Add((byte)(0x40 | (length >> 8)));
            output.Add((byte)length);
        }
        else if (length <= uint.MaxValue)
        {
            output.Add(0x80);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, (uint)length);
            output.AddRange(b);
        }
        else
        {
            output.Add(0x81);
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(b, length);
            output.AddRange(b);
        }
    }

    /// <summary>rdbLoadLen: a length, or (<paramref name="encoded"/>) the kind of a specially encoded string.</summary>
    private static bool TryReadLength(ReadOnlySpan<byte> data, ref int pos, out ulong length, out bool encoded)
    {
        length = 0;
        encoded = false;
        if (pos >= data.Length) return false;
        byte first = data[pos++];
        switch (first >> 6)
        {
            case 0:
                length = (ulong)(first & 0x3f);
                return true;
            case 1:
                if (pos >= data.Length) return false;
                length = (ulong)((first & 0x3f) << 8 | data[pos++]);
                return true;
            case 3:
                encoded = true;
                length = (ulong)(first & 0x3f);
                return true;
        }
        int size = first switch { 0x80 => 4, 0x81 => 8, _ => 0 };
        if (size == 0 || pos + size > data.Length) return false;
        length = size == 4 ? BinaryPrimitives.ReadUInt32BigEndian(data.Slice(pos)) : BinaryPrimitives.ReadUInt64BigEndian(data.Slice(pos));
        pos += size;
        return true;
    }

    /// <summary>rdbGenericLoadStringObject: plain, integer-encoded or LZF strings; null when malformed.</summary>
    private static byte[]? ReadString(ReadOnlySpan<byte> data, ref int pos)
    {
        if (!TryReadLength(data, ref pos, out ulong length, out bool encoded)) return null;
        if (!encoded)
        {
            if (length > (ulong)(data.Length - pos)) return null;
            var plain = data.Slice(pos, (int)length).ToArray();
            pos += (int)length;
            return plain;
        }
        switch (length)
        {
            case 0 or 1 or 2:
            {
                int size = 1 << (int)length;
                if (pos + size > data.Length) return null;
                long v = size switch
                {
                    1 => (sbyte)data[pos],
                    2 => BinaryPrimitives.ReadInt16LittleEndian(data.Slice(pos)),
                    _ => BinaryPrimitives.ReadInt32LittleEndian(data.Slice(pos)),
                };
                pos += size;
                return System.Text.Encoding.ASCII.GetBytes(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            case 3:
            {
                if (!TryReadLength(data, ref pos, out ulong compressedLength, out bool e1) || e1) return null;
                if (!TryReadLength(data, ref pos, out ulong valueLength, out bool e2) || e2) return null;
                // A reference expands 3 bytes to at most 264: a larger claim is malformed, not a reason to allocate it.
                if (compressedLength > (ulong)(data.Length - pos) || valueLength > compressedLength * 88) return null;
                var value = new byte[(int)valueLength];
                if (!Lzf.TryDecompress(data.Slice(pos, (int)compressedLength), value)) return null;
                pos += (int)compressedLength;
                return value;
            }
            default:
                return null;
        }
    }
}
