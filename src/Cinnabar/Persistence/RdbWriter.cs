using System.Text;
using Cinnabar.Storage;

namespace Cinnabar.Persistence;

/// <summary>
/// Writes an RDB file (version 10, as Redis 7.0) to a stream, part by part, so a caller can walk its data
/// at its own pace (SAVE at once, BGSAVE in slices, the AOF's RDB preamble): <see cref="WriteHeader"/>,
/// <see cref="WriteFunction"/> per library, <see cref="WriteDatabase"/> per non-empty database followed by
/// its keys (<see cref="WriteKey"/>), then <see cref="WriteEnd"/> (the EOF opcode and the CRC-64, or zeros
/// without rdbchecksum).
/// </summary>
public sealed class RdbWriter
{
    private readonly RdbOutput _output;
    private readonly RdbValueWriter _values;
    private readonly bool _checksum;

    public RdbWriter(Stream stream, bool compress, bool checksum)
    {
        _output = new RdbOutput(stream, compress);
        _values = new RdbValueWriter(_output);
        _checksum = checksum;
    }

    /// <summary>Bytes written so far.</summary>
    public long Position => _output.Position;

    /// <summary>The magic "REDIS0010" and Redis 7.0's aux fields (rdbSaveInfoAuxFields without replication info).</summary>
    public void WriteHeader(long usedMemory, bool aofPreamble, long unixSeconds)
    {
        _output.Write(Encoding.ASCII.GetBytes($"REDIS{RdbFormat.WriteVersion:D4}"));
        WriteAux("redis-ver", Encoding.ASCII.GetBytes(ServerInfo.RedisVersion));
        WriteAux("redis-bits", 64);
        WriteAux("ctime", unixSeconds);
        WriteAux("used-mem", usedMemory);
        WriteAux("aof-base", aofPreamble ? 1 : 0);
    }

    public void WriteAux(string key, ReadOnlySpan<byte> value)
    {
        _output.WriteByte(RdbFormat.OpAux);
        _output.WriteString(Encoding.ASCII.GetBytes(key));
        _output.WriteString(value);
    }

    /// <summary>rdbSaveAuxFieldStrInt: the number's decimal text as an RDB string.</summary>
    public void WriteAux(string key, long value)
    {
        _output.WriteByte(RdbFormat.OpAux);
        _output.WriteString(Encoding.ASCII.GetBytes(key));
        _output.WriteInteger(value);
    }

    /// <summary>One function library (its code, shebang included).</summary>
    public void WriteFunction(ReadOnlySpan<byte> code)
    {
        _output.WriteByte(RdbFormat.OpFunction2);
        _output.WriteString(code);
    }

    /// <summary>SELECTDB and the RESIZEDB hint before a database's keys.</summary>
    public void WriteDatabase(int index, long keys, long volatileKeys)
    {
        _output.WriteByte(RdbFormat.OpSelectDb);
        _output.WriteLength(index);
        _output.WriteByte(RdbFormat.OpResizeDb);
        _output.WriteLength(keys);
        _output.WriteLength(volatileKeys);
    }

    /// <summary>
    /// One key (rdbSaveKeyValuePair): its expiry (Unix ms, -1 for none), its idle seconds under an LRU policy
    /// or its LFU counter under an LFU policy (-1 when not written), then type, key and value.
    /// </summary>
    public void WriteKey(ReadOnlySpan<byte> key, object value, long expireMs, long idleSeconds = -1, int lfuCounter = -1)
    {
        WriteKeyHeader(expireMs, idleSeconds, lfuCounter);
        _output.WriteByte(RdbValueWriter.TypeOf(value));
        _output.WriteString(key);
        _values.Write(value);
    }

    /// <summary><see cref="WriteKey"/> of a plain string given as bytes (a key table's record, with no object made for it).</summary>
    public void WriteStringKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expireMs, long idleSeconds = -1, int lfuCounter = -1)
    {
        WriteKeyHeader(expireMs, idleSeconds, lfuCounter);
        _output.WriteByte(RdbFormat.TypeString);
        _output.WriteString(key);
        _output.WriteString(value);
    }

    /// <summary>
    /// <see cref="WriteKey"/> of a hash, set or sorted set packed in <paramref name="slot"/>'s record, read where it is (no copy
    /// made for it); false, with nothing written, when the slot holds no packed value.
    /// </summary>
    public bool TryWritePackedKey(KeyTable table, int slot, long expireMs, long idleSeconds = -1, int lfuCounter = -1)
    {
        if (!RdbValueWriter.TryPackedType(table, slot, out byte type)) return false;
        WriteKeyHeader(expireMs, idleSeconds, lfuCounter);
        _output.WriteByte(type);
        _output.WriteString(table.KeyAt(slot));
        _values.WritePacked(table, slot);
        return true;
    }

    private void WriteKeyHeader(long expireMs, long idleSeconds, int lfuCounter)
    {
        if (expireMs != -1)
        {
            _output.WriteByte(RdbFormat.OpExpireTimeMs);
            _output.WriteMillis(expireMs);
        }
        if (idleSeconds >= 0)
        {
            _output.WriteByte(RdbFormat.OpIdle);
            _output.WriteLength(idleSeconds);
        }
        if (lfuCounter >= 0)
        {
            _output.WriteByte(RdbFormat.OpFreq);
            _output.WriteByte((byte)lfuCounter);
        }
    }

    /// <summary>Bytes another writer produced (keys serialized ahead of the walk), counted in the checksum.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    /// <summary>Hands buffered bytes to the stream (before the stream itself is flushed or read).</summary>
    public void Flush() => _output.Flush();

    /// <summary>The EOF opcode and the checksum of the whole file; flushes the stream.</summary>
    public void WriteEnd()
    {
        _output.WriteByte(RdbFormat.OpEof);
        _output.Flush();
        Span<byte> footer = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(footer, _checksum ? _output.Checksum : 0);
        _output.Write(footer);
        _output.Flush();
    }

    /// <summary>
    /// A DUMP payload: the value as RDB writes it (type byte first), the RDB version (2 bytes, little endian)
    /// and the CRC-64 of all that (8 bytes, little endian). Strings are compressed when rdbcompression is on.
    /// </summary>
    public static byte[] DumpPayload(object value, bool compress = true)
    {
        var buffer = new MemoryStream();
        var output = new RdbOutput(buffer, compress);
        new RdbValueWriter(output).WriteTyped(value);
        output.WriteByte(RdbFormat.WriteVersion & 0xFF);
        output.WriteByte(RdbFormat.WriteVersion >> 8);
        output.Flush();
        Span<byte> crc = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(crc, output.Checksum);
        buffer.Write(crc);
        return buffer.ToArray();
    }

    /// <summary>
    /// DEBUG OBJECT's serializedlength, Redis's rdbSavedObjectLen: the bytes RDB writes for the value, without
    /// its type byte. Counted, not kept.
    /// </summary>
    public static long SerializedLength(object value, bool compress)
    {
        var output = new RdbOutput(Stream.Null, compress);
        new RdbValueWriter(output).WriteTyped(value);
        output.Flush();
        return output.Position - 1;
    }
}
