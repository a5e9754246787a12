using System.Buffers.Binary;
using System.Text;
using Cinnabar.Types;

namespace Cinnabar.Persistence;

/// <summary>Where an RDB file's contents go as they are read.</summary>
public interface IRdbLoadTarget
{
    /// <summary>A key of database <paramref name="db"/>; <paramref name="expireMs"/> is -1 without a time to live,
    /// <paramref name="idleSeconds"/> / <paramref name="lfuCounter"/> are -1 when the file has none.</summary>
    void AddKey(int db, byte[] key, object value, long expireMs, long idleSeconds, int lfuCounter);
    /// <summary>A function library's code.</summary>
    void AddFunction(byte[] code);
    /// <summary>An aux field (redis-ver, ctime, used-mem, aof-base, repl-*, …).</summary>
    void Aux(string key, byte[] value) { }
    /// <summary>Called now and then with the input's position, for progress reports.</summary>
    void Progress(long position) { }
}

/// <summary>What a load found.</summary>
public readonly record struct RdbLoadResult(int Version, long Keys, long ExpiredSkipped, long EmptySkipped, long Bytes);

/// <summary>
/// Reads an RDB file of any version up to 12 (Redis 7.4) into an <see cref="IRdbLoadTarget"/>. Unknown
/// opcodes and types, module data and damage stop the load with an <see cref="RdbFormatException"/> naming
/// what was found and where; the checksum footer is verified (when present and <c>verifyChecksum</c>).
/// Also reads DUMP payloads (<see cref="ReadDumpPayload"/>).
/// </summary>
public sealed class RdbReader
{
    private readonly RdbInput _input;
    private readonly RdbValueReader _values;

    public RdbReader(Stream stream, RdbValueLimits limits)
    {
        _input = new RdbInput(stream);
        _values = new RdbValueReader(_input, limits);
    }

    /// <summary>Bytes the reader took from the stream beyond the RDB's end (an AOF base file's commands begin with them).</summary>
    public ReadOnlySpan<byte> Unconsumed => _input.Unconsumed;

    /// <param name="skipExpiredBeforeMs">Keys whose time to live ends before this are not loaded (a master
    /// loading its file; pass long.MinValue to load them all, as an AOF preamble does).</param>
    public RdbLoadResult Load(IRdbLoadTarget target, bool verifyChecksum, long skipExpiredBeforeMs)
    {
        Span<byte> magic = stackalloc byte[9];
        try
        {
            _input.ReadExact(magic);
        }
        catch (RdbFormatException)
        {
            throw new RdbFormatException("wrong signature: not an RDB file", 0);
        }
        if (!magic[..5].SequenceEqual("REDIS"u8) || !int.TryParse(Encoding.ASCII.GetString(magic[5..]), out int version) || version < 1)
            throw new RdbFormatException("wrong signature: not an RDB file", 0);
        if (version > RdbFormat.MaxReadVersion) throw new RdbFormatException($"can't handle RDB format version {version}", 5);

        int db = 0;
        long keys = 0, expiredSkipped = 0, emptySkipped = 0;
        long expireMs = -1, idle = -1;
        int lfu = -1;
        long nextProgress = 0;
        while (true)
        {
            if (_input.Position >= nextProgress)
            {
                target.Progress(_input.Position);
                nextProgress = _input.Position + (2 << 20);
            }
            long opcodeAt = _input.Position;
            byte type = _input.ReadByte();
            switch (type)
            {
                case RdbFormat.OpExpireTimeMs:
                    expireMs = _input.ReadMillis();
                    continue;
                case RdbFormat.OpExpireTime:
                    expireMs = _input.ReadSeconds() * 1000L;
                    continue;
                case RdbFormat.OpIdle:
                    idle = (long)_input.ReadLength();
                    continue;
                case RdbFormat.OpFreq:
                    lfu = _input.ReadByte();
                    continue;
                case RdbFormat.OpSelectDb:
                {
                    ulong n = _input.ReadLength();
                    if (n > int.MaxValue) throw new RdbFormatException($"database number {n} out of range", opcodeAt);
                    db = (int)n;
                    continue;
                }
                case RdbFormat.OpResizeDb:
                    _input.ReadLength();
                    _input.ReadLength();
                    continue;
                case RdbFormat.OpSlotInfo:
                    _input.ReadLength();
                    _input.ReadLength();
                    _input.ReadLength();
                    continue;
                case RdbFormat.OpAux:
                {
                    var auxKey = _input.ReadString();
                    target.Aux(Encoding.ASCII.GetString(auxKey), _input.ReadString());
                    continue;
                }
                case RdbFormat.OpModuleAux:
                {
                    ulong moduleId = _input.ReadLength();
                    throw new RdbFormatException($"module data of module {ModuleName(moduleId)}: Cinnabar has no modules", opcodeAt);
                }
                case RdbFormat.OpFunction2:
                    target.AddFunction(_input.ReadString());
                    continue;
                case RdbFormat.OpFunctionPreGa:
                    target.AddFunction(ReadPreGaFunction());
                    continue;
                case RdbFormat.OpEof:
                    if (version >= 5) VerifyChecksum(verifyChecksum);
                    return new RdbLoadResult(version, keys, expiredSkipped, emptySkipped, _input.Position);
            }
            if (RdbValueReader.UnsupportedType(type) is { } unsupported) throw new RdbFormatException(unsupported, opcodeAt);
            var name = _input.ReadString();
            var value = _values.Read(type);
            if (value == null) emptySkipped++;
            else if (expireMs != -1 && expireMs < skipExpiredBeforeMs) expiredSkipped++;
            else
            {
                target.AddKey(db, name, value, expireMs, idle, lfu);
                keys++;
            }
            expireMs = idle = -1;
            lfu = -1;
        }
    }

    private void VerifyChecksum(bool verify)
    {
        ulong computed = _input.ChecksumSoFar();
        long at = _input.Position;
        Span<byte> footer = stackalloc byte[8];
        _input.ReadExact(footer);
        ulong expected = BinaryPrimitives.ReadUInt64LittleEndian(footer);
        // A zero footer: written with rdbchecksum no.
        if (verify && expected != 0 && expected != computed)
            throw new RdbFormatException($"wrong RDB checksum expected: ({expected:x}) got ({computed:x})", at);
    }

    /// <summary>A 7.0 release candidate's function record: name, engine, optional description, code.</summary>
    private byte[] ReadPreGaFunction()
    {
        var name = _input.ReadString();
        var engine = _input.ReadString();
        if (_input.ReadLength() != 0) _input.ReadString();
        var blob = _input.ReadString();
        return [.. "#!"u8, .. engine, .. " name="u8, .. name, (byte)'\n', .. blob];
    }

    /// <summary>A module's name from its 64-bit id (9 characters of 6 bits, then a 10-bit version).</summary>
    private static string ModuleName(ulong id)
    {
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var name = new char[9];
        for (int i = 0; i < 9; i++) name[i] = chars[(int)((id >> (64 - 6 * (i + 1))) & 63)];
        return new string(name);
    }

    /// <summary>The error of <see cref="ReadDumpPayload"/> for a bad footer (Redis: "DUMP payload version or checksum are wrong").</summary>
    public const string BadChecksumError = "DUMP payload version or checksum are wrong";

    /// <summary>
    /// A DUMP payload's value: the footer (an RDB version Cinnabar reads, the CRC-64) is checked first. As in
    /// Redis, the value is read from the whole payload (a damaged one may read into the footer) and what
    /// follows it is ignored. Null with the error text (without "ERR ") when the payload is bad.
    /// </summary>
    public static object? ReadDumpPayload(ReadOnlySpan<byte> payload, RdbValueLimits limits, out string? error)
    {
        error = null;
        if (payload.Length < 10)
        {
            error = BadChecksumError;
            return null;
        }
        var footer = payload[^10..];
        int version = footer[0] | footer[1] << 8;
        if (version > RdbFormat.MaxReadVersion || Crc64.Compute(payload[..^8]) != BinaryPrimitives.ReadUInt64LittleEndian(footer[2..]))
        {
            error = BadChecksumError;
            return null;
        }
        var input = new RdbInput(new MemoryStream(payload.ToArray()));
        try
        {
            int type = input.ReadByte();
            if (RdbValueReader.UnsupportedType(type) != null) throw input.Error("unsupported type");
            var value = new RdbValueReader(input, limits).Read(type);
            if (value == null) error = "Bad data format";
            return value;
        }
        catch (RdbFormatException)
        {
            error = "Bad data format";
            return null;
        }
    }
}
