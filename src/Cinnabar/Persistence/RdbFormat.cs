namespace Cinnabar.Persistence;

/// <summary>The numbers of Redis's RDB format: value types and opcodes as rdb.h names them.</summary>
public static class RdbFormat
{
    /// <summary>The version Cinnabar writes: Redis 7.0's, which Redis 7.0 and every later release load.</summary>
    public const int WriteVersion = 10;
    /// <summary>The newest version Cinnabar reads (Redis 7.4).</summary>
    public const int MaxReadVersion = 12;

    public const byte TypeString = 0, TypeList = 1, TypeSet = 2, TypeZSet = 3, TypeHash = 4, TypeZSet2 = 5,
        TypeModulePreGa = 6, TypeModule2 = 7, TypeHashZipmap = 9, TypeListZiplist = 10, TypeSetIntset = 11,
        TypeZSetZiplist = 12, TypeHashZiplist = 13, TypeListQuicklist = 14, TypeStreamListpacks = 15,
        TypeHashListpack = 16, TypeZSetListpack = 17, TypeListQuicklist2 = 18, TypeStreamListpacks2 = 19,
        TypeSetListpack = 20, TypeStreamListpacks3 = 21, TypeHashMetadataPreGa = 22, TypeHashListpackExPreGa = 23,
        TypeHashMetadata = 24, TypeHashListpackEx = 25;

    public const byte OpSlotInfo = 244, OpFunction2 = 245, OpFunctionPreGa = 246, OpModuleAux = 247, OpIdle = 248,
        OpFreq = 249, OpAux = 250, OpResizeDb = 251, OpExpireTimeMs = 252, OpExpireTime = 253, OpSelectDb = 254, OpEof = 255;

    /// <summary>Special string encodings (the low 6 bits of a length byte whose top bits are 11).</summary>
    public const int EncInt8 = 0, EncInt16 = 1, EncInt32 = 2, EncLzf = 3;

    /// <summary>Quicklist 2 node containers.</summary>
    public const int ContainerPlain = 1, ContainerPacked = 2;

    /// <summary>Redis's name of a value type (rdb_type_string), for messages about types Cinnabar cannot load.</summary>
    public static string TypeName(int type) => type switch
    {
        TypeString => "string",
        TypeList => "list-linked",
        TypeSet => "set-hashtable",
        TypeZSet => "zset-v1",
        TypeHash => "hash-hashtable",
        TypeZSet2 => "zset-v2",
        TypeModulePreGa => "module-pre-release",
        TypeModule2 => "module-value",
        TypeHashZipmap => "hash-zipmap-deprecated",
        TypeListZiplist => "list-ziplist-deprecated",
        TypeSetIntset => "set-intset",
        TypeZSetZiplist => "zset-ziplist-deprecated",
        TypeHashZiplist => "hash-ziplist-deprecated",
        TypeListQuicklist => "list-quicklist",
        TypeStreamListpacks => "stream",
        TypeHashListpack => "hash-listpack",
        TypeZSetListpack => "zset-listpack",
        TypeListQuicklist2 => "quicklist-v2",
        TypeStreamListpacks2 => "stream-v2",
        TypeSetListpack => "set-listpack",
        TypeStreamListpacks3 => "stream-v3",
        TypeHashMetadataPreGa => "hash-hashtable-md-pre-ga",
        TypeHashListpackExPreGa => "hash-listpack-md-pre-ga",
        TypeHashMetadata => "hash-hashtable-md",
        TypeHashListpackEx => "hash-listpack-md",
        _ => "unknown",
    };
}

/// <summary>A file or payload Cinnabar cannot load: damaged, or holding what Cinnabar does not have; the message names it and the offset.</summary>
public sealed class RdbFormatException(string message, long offset) : Exception($"{message} (at offset {offset})")
{
    public long Offset { get; } = offset;
    /// <summary>The message without the offset.</summary>
    public string Reason { get; } = message;
}
