namespace Cinnabar.Storage;

/// <summary>
/// Implemented by every stored value type other than the plain string (<c>byte[]</c>): it tells TYPE and
/// OBJECT ENCODING what the value is, as Redis names them.
/// </summary>
public interface IRedisValue
{
    /// <summary>"string", "list", "set", "zset", "hash", "stream".</summary>
    string TypeName { get; }
    /// <summary>"raw", "listpack", "quicklist", "intset", "hashtable", "skiplist", "stream" …</summary>
    string EncodingName { get; }

    /// <summary>An independent copy for COPY: changing one must never change the other.</summary>
    IRedisValue DeepCopy();

    /// <summary>
    /// The bytes this value occupies now (its objects and arrays, see <see cref="Types.HeapSize"/>), kept
    /// as it changes or computed from a few fields: never a walk over the elements.
    /// </summary>
    long MemoryBytes { get; }

    /// <summary>
    /// The size its key table counts for it (the <see cref="MemoryBytes"/> of the last settlement), or -1
    /// while it is in no table. Only the key table and <see cref="SizeLedger"/> change it.
    /// </summary>
    long AccountedBytes { get; set; }
}

/// <summary>Type and encoding names of any stored value.</summary>
public static class ValueKind
{
    public static string TypeName(object value) => value switch
    {
        byte[] => "string",
        IRedisValue v => v.TypeName,
        _ => throw new InvalidOperationException("unknown value type " + value.GetType()),
    };

    /// <summary>The bytes a stored value occupies now (a plain string: its one array).</summary>
    public static long MemoryBytes(object value) => value is byte[] b ? Types.HeapSize.Of(b) : ((IRedisValue)value).MemoryBytes;

    /// <summary>The bytes its key table counts for a stored value.</summary>
    public static long AccountedBytes(object value) => value is byte[] b ? Types.HeapSize.Of(b) : ((IRedisValue)value).AccountedBytes;

    /// <summary>An independent copy of any stored value (COPY).</summary>
    public static object DeepCopy(object value) => value switch
    {
        byte[] b => Types.StoredBytes.Copy(b),
        IRedisValue v => v.DeepCopy(),
        _ => throw new InvalidOperationException("unknown value type " + value.GetType()),
    };

    /// <summary>Encoding of a plain string value: int when it is a canonical 64-bit integer, embstr up to 44 bytes, else raw.</summary>
    public static string EncodingName(object value) => value switch
    {
        byte[] b when b.Length <= 20 && Protocol.RespParser.TryParseLong(b, out _) => "int",
        byte[] b when b.Length <= 44 => "embstr",
        byte[] => "raw",
        IRedisValue v => v.EncodingName,
        _ => throw new InvalidOperationException("unknown value type " + value.GetType()),
    };
}
