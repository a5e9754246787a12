using System.Buffers.Binary;
using System.Security.Cryptography;
using Cinnabar.Types;

namespace Cinnabar.Storage;

/// <summary>
/// DEBUG DIGEST and DEBUG DIGEST-VALUE, computed as Redis 7.0 computes them, so the same data gives the same
/// 20 bytes on both servers (the equality check of persistence and replication tests). Two primitives:
/// <c>Xor</c> folds SHA1(data) into a digest (order-free: set members, hash fields, keys), <c>Mix</c> folds
/// it in and then replaces the digest by its own SHA1 (order matters: list elements, a key then its value).
/// Encodings never matter: integers are hashed as their decimal text, scores as printf("%.17g").
/// </summary>
public static class DatasetDigest
{
    public const int Size = 20;

    // Redis's OBJ_* type codes, hashed big-endian before each value.
    private const uint TypeString = 0, TypeList = 1, TypeSet = 2, TypeZSet = 3, TypeHash = 4, TypeStream = 6;

    /// <summary>The digest of every database (all zeros when every database is empty).</summary>
    public static void OfDataset(IReadOnlyList<Database> databases, Span<byte> result)
    {
        result.Clear();
        Span<byte> entry = stackalloc byte[Size];
        Span<byte> dbId = stackalloc byte[4];
        foreach (var db in databases)
        {
            var table = db.Table;
            if (table.Count == 0) continue;
            // The database number goes in, so the same data in another database digests differently.
            BinaryPrimitives.WriteUInt32BigEndian(dbId, (uint)db.Index);
            Mix(result, dbId);
            foreach (int slot in table.Slots())
            {
                entry.Clear();
                Mix(entry, table.KeyAt(slot));
                OfValue(table.ValueAt(slot), table.GetExpire(slot) != -1, entry);
                Xor(result, entry);
            }
        }
    }

    /// <summary>Folds one value (and whether it has a time to live) into <paramref name="digest"/>, as Redis's xorObjectDigest.</summary>
    public static void OfValue(object value, bool hasExpire, Span<byte> digest)
    {
        Span<byte> scratch = stackalloc byte[Math.Max(Listpack.ScratchSize, 32)];
        Span<byte> type = stackalloc byte[4];
        Span<byte> element = stackalloc byte[Size];
        BinaryPrimitives.WriteUInt32BigEndian(type, TypeCode(value));
        Mix(digest, type);
        switch (value)
        {
            case RedisList list:
                for (var c = list.Iterate(0); c.Valid; c.MoveNext()) Mix(digest, c.Read(scratch));
                break;
            case RedisSet set:
                for (int pos = set.First(); pos >= 0; pos = set.Next(pos)) Xor(digest, set.MemberAt(pos, scratch));
                break;
            case ZSet zset:
                for (var c = zset.Iterate(0); c.MoveNext();)
                {
                    element.Clear();
                    Mix(element, c.Member);
                    int n = Protocol.RespWriter.FormatDouble(c.Score, scratch);
                    Mix(element, scratch[..n]);
                    Xor(digest, element);
                }
                break;
            case RedisHash hash:
                Span<byte> valueScratch = stackalloc byte[Math.Max(Listpack.ScratchSize, 32)];
                for (int pos = hash.First(); pos >= 0; pos = hash.Next(pos))
                {
                    element.Clear();
                    Mix(element, hash.FieldAt(pos, scratch));
                    Mix(element, hash.ValueAt(pos, valueScratch));
                    Xor(digest, element);
                }
                break;
            case RedisStream stream:
                OfStream(stream, digest);
                break;
            default:
                if (!StringValue.TryGetBytes(value, out var bytes))
                    throw new InvalidOperationException("no digest for values of type " + ValueKind.TypeName(value));
                Mix(digest, bytes);
                break;
        }
        if (hasExpire) Xor(digest, "!!expire!!"u8);
    }

    /// <summary>A stream as Redis digests it: each entry's ID as "ms.seq", then its fields and values, in order (groups are left out).</summary>
    private static void OfStream(RedisStream stream, Span<byte> digest)
    {
        Span<byte> id = stackalloc byte[StreamId.MaxTextLength];
        Span<byte> fieldScratch = stackalloc byte[StreamListpack.ScratchSize];
        Span<byte> valueScratch = stackalloc byte[StreamListpack.ScratchSize];
        for (var it = stream.Range(StreamId.Zero, StreamId.Max); it.MoveNext();)
        {
            int n = it.Id.Format(id);
            id[id[..n].IndexOf((byte)'-')] = (byte)'.';
            Mix(digest, id[..n]);
            var fields = it.Fields();
            while (fields.MoveNext())
            {
                Mix(digest, fields.Field(fieldScratch));
                Mix(digest, fields.Value(valueScratch));
            }
        }
    }

    private static uint TypeCode(object value) => value switch
    {
        RedisList => TypeList,
        RedisSet => TypeSet,
        ZSet => TypeZSet,
        RedisHash => TypeHash,
        RedisStream => TypeStream,
        _ => TypeString,
    };

    /// <summary>digest ^= SHA1(data).</summary>
    public static void Xor(Span<byte> digest, ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[Size];
        SHA1.HashData(data, hash);
        for (int i = 0; i < Size; i++) digest[i] ^= hash[i];
    }

    /// <summary>digest = SHA1(digest ^ SHA1(data)).</summary>
    public static void Mix(Span<byte> digest, ReadOnlySpan<byte> data)
    {
        Xor(digest, data);
        Span<byte> copy = stackalloc byte[Size];
        digest.CopyTo(copy);
        SHA1.HashData(copy, digest);
    }

    /// <summary>40 lowercase hex characters, as Redis prints a digest.</summary>
    public static string ToHex(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);
}
