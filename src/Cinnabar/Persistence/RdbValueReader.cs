using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Persistence;

/// <summary>The encoding limits a loaded value is built under (the server's *-max-listpack-* settings).</summary>
public readonly record struct RdbValueLimits(int ListFill, SetLimits Set, int HashMaxEntries, int HashMaxValue, int ZSetMaxEntries, int ZSetMaxValue)
{
    public static readonly RdbValueLimits Default = new(-2, SetLimits.Default, 128, 64, 128, 64);

    public static RdbValueLimits From(Config.ServerConfig c) => new(c.ListMaxListpackSize,
        new SetLimits(c.SetMaxIntsetEntries, c.SetMaxListpackEntries, c.SetMaxListpackValue),
        c.HashMaxListpackEntries, c.HashMaxListpackValue, c.ZsetMaxListpackEntries, c.ZsetMaxListpackValue);
}

/// <summary>
/// Reads one value of any RDB type Redis has written up to 7.4 (except modules and hash field expiry, which
/// stop the load with their name) and builds it as Cinnabar keeps it, in the encoding its size calls for.
/// Duplicates, bad counts and malformed compact encodings are reported as damage with the offset.
/// </summary>
public sealed class RdbValueReader(RdbInput input, RdbValueLimits limits)
{
    /// <summary>The value, or null for an empty collection (Redis skips such keys).</summary>
    public object? Read(int type)
    {
        long start = input.Position;
        try
        {
            return ReadValue(type);
        }
        catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException or ArgumentOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new RdbFormatException($"damaged {RdbFormat.TypeName(type)} value: {e.Message}", start);
        }
    }

    private object? ReadValue(int type)
    {
        switch (type)
        {
            case RdbFormat.TypeString:
                return input.ReadString();
            case RdbFormat.TypeList:
            {
                int n = input.ReadCount("list");
                var list = new RedisList(limits.ListFill);
                for (int i = 0; i < n; i++) list.PushTail(input.ReadString());
                return n == 0 ? null : list;
            }
            case RdbFormat.TypeListZiplist:
                return BuildList(RdbEncodedBlobs.Ziplist(input.ReadString()));
            case RdbFormat.TypeListQuicklist:
            case RdbFormat.TypeListQuicklist2:
            {
                int nodes = input.ReadCount("quicklist node");
                var list = new RedisList(limits.ListFill);
                for (int i = 0; i < nodes; i++)
                {
                    ulong container = type == RdbFormat.TypeListQuicklist2 ? input.ReadLength() : RdbFormat.ContainerPacked;
                    var blob = input.ReadString();
                    if (container == RdbFormat.ContainerPlain) list.PushTail(blob);
                    else if (container != RdbFormat.ContainerPacked) throw new InvalidDataException($"unknown quicklist container {container}");
                    else
                    {
                        var elements = type == RdbFormat.TypeListQuicklist ? RdbEncodedBlobs.Ziplist(blob) : RdbEncodedBlobs.Listpack(blob);
                        // An empty node is skipped, as Redis does (a list of only such nodes is an empty key).
                        foreach (var e in elements) list.PushTail(e);
                    }
                }
                return list.Count == 0 ? null : list;
            }
            case RdbFormat.TypeSet:
            {
                int n = input.ReadCount("set");
                var set = new RedisSet();
                for (int i = 0; i < n; i++)
                    if (!set.Add(input.ReadString(), limits.Set)) throw new InvalidDataException("duplicate set members");
                return n == 0 ? null : set;
            }
            case RdbFormat.TypeSetIntset:
            {
                var set = new RedisSet();
                Span<byte> text = stackalloc byte[20];
                foreach (long v in RdbEncodedBlobs.Intset(input.ReadString()))
                    set.Add(text[..RespParser.FormatLong(v, text)], limits.Set);
                return set.Count == 0 ? null : set;
            }
            case RdbFormat.TypeSetListpack:
            {
                var set = new RedisSet();
                foreach (var m in RdbEncodedBlobs.Listpack(input.ReadString()))
                    if (!set.Add(m, limits.Set)) throw new InvalidDataException("duplicate set members");
                return set.Count == 0 ? null : set;
            }
            case RdbFormat.TypeZSet:
            case RdbFormat.TypeZSet2:
            {
                int n = input.ReadCount("sorted set");
                var zset = new ZSet();
                for (int i = 0; i < n; i++)
                {
                    var member = input.ReadString();
                    double score = type == RdbFormat.TypeZSet2 ? input.ReadBinaryDouble() : input.ReadTextDouble();
                    AddScored(zset, member, score);
                }
                return n == 0 ? null : zset;
            }
            case RdbFormat.TypeZSetZiplist:
            case RdbFormat.TypeZSetListpack:
            {
                var blob = input.ReadString();
                var elements = type == RdbFormat.TypeZSetListpack ? RdbEncodedBlobs.Listpack(blob) : RdbEncodedBlobs.Ziplist(blob);
                if (elements.Count % 2 != 0) throw new InvalidDataException("odd number of sorted set elements");
                var zset = new ZSet();
                for (int i = 0; i < elements.Count; i += 2) AddScored(zset, elements[i], ParseScore(elements[i + 1]));
                return elements.Count == 0 ? null : zset;
            }
            case RdbFormat.TypeHash:
            {
                int n = input.ReadCount("hash");
                var hash = new RedisHash();
                for (int i = 0; i < n; i++)
                {
                    var field = input.ReadString();
                    var value = input.ReadString();
                    if (!hash.Set(field, value, limits.HashMaxEntries, limits.HashMaxValue)) throw new InvalidDataException("duplicate hash fields");
                }
                return n == 0 ? null : hash;
            }
            case RdbFormat.TypeHashZipmap:
            case RdbFormat.TypeHashZiplist:
            case RdbFormat.TypeHashListpack:
            {
                var blob = input.ReadString();
                var elements = type switch
                {
                    RdbFormat.TypeHashZipmap => RdbEncodedBlobs.Zipmap(blob),
                    RdbFormat.TypeHashZiplist => RdbEncodedBlobs.Ziplist(blob),
                    _ => RdbEncodedBlobs.Listpack(blob),
                };
                if (elements.Count % 2 != 0) throw new InvalidDataException("odd number of hash elements");
                var hash = new RedisHash();
                for (int i = 0; i < elements.Count; i += 2)
                    if (!hash.Set(elements[i], elements[i + 1], limits.HashMaxEntries, limits.HashMaxValue)) throw new InvalidDataException("duplicate hash fields");
                return elements.Count == 0 ? null : hash;
            }
            case RdbFormat.TypeStreamListpacks:
            case RdbFormat.TypeStreamListpacks2:
            case RdbFormat.TypeStreamListpacks3:
                return RdbStreamReader.Read(input, type);
            default:
                throw input.Error(UnsupportedType(type)!);
        }
    }

    /// <summary>Why a value type cannot be loaded, or null when it can.</summary>
    public static string? UnsupportedType(int type) => type switch
    {
        RdbFormat.TypeModulePreGa or RdbFormat.TypeModule2 => $"a module value (type {RdbFormat.TypeName(type)}): Cinnabar has no modules",
        >= RdbFormat.TypeHashMetadataPreGa and <= RdbFormat.TypeHashListpackEx =>
            $"a hash with field expiry (type {RdbFormat.TypeName(type)}), which Cinnabar does not have",
        >= 0 and <= RdbFormat.TypeStreamListpacks3 and not 8 => null,
        _ => $"unknown value type {type}",
    };

    private object BuildList(List<byte[]> elements)
    {
        var list = new RedisList(limits.ListFill);
        foreach (var e in elements) list.PushTail(e);
        return list.Count == 0 ? null! : list;
    }

    private void AddScored(ZSet zset, byte[] member, double score)
    {
        if (double.IsNaN(score)) throw new InvalidDataException("NaN score");
        if (zset.TryGetScore(member, out _)) throw new InvalidDataException("duplicate sorted set members");
        zset.Insert(member, score, limits.ZSetMaxEntries, limits.ZSetMaxValue);
    }

    private static double ParseScore(byte[] text)
    {
        if (!double.TryParse(Encoding.ASCII.GetString(text), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            var s = Encoding.ASCII.GetString(text);
            if (s is "inf" or "+inf") return double.PositiveInfinity;
            if (s == "-inf") return double.NegativeInfinity;
            throw new InvalidDataException("invalid score");
        }
        return v;
    }
}
