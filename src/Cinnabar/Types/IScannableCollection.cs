namespace Cinnabar.Types;

/// <summary>
/// A collection whose elements are visited by position (a hash or a set): compact encodings walk their
/// positions in order, the table encoding exposes its slots so SCAN-style commands can page by slot.
/// </summary>
public interface IScannableCollection
{
    /// <summary>The hash table when the collection has one; null for a compact encoding.</summary>
    BytesHashTable? Table { get; }

    /// <summary>The first position, or -1 when empty.</summary>
    int First();

    /// <summary>The position after <paramref name="pos"/>, or -1 at the end.</summary>
    int Next(int pos);

    /// <summary>The bytes a MATCH pattern is tested against at a position (a hash field, a set member).</summary>
    ReadOnlySpan<byte> ScanKeyAt(int pos, Span<byte> scratch);
}

/// <summary>What hashes and sets, packed or not, share about their positions.</summary>
public static class CollectionPositions
{
    /// <summary>Every position of <paramref name="collection"/> in order (a snapshot, for commands that pick among them).</summary>
    public static List<int> All<T>(in T collection, int count) where T : IScannableCollection
    {
        var list = new List<int>(count);
        for (int pos = collection.First(); pos >= 0; pos = collection.Next(pos)) list.Add(pos);
        return list;
    }
}
