namespace Cinnabar.Types;

/// <summary>
/// Allocates the byte arrays the dataset keeps once written (keys, string values, list nodes, full stream
/// nodes, hash fields and values and set members of hash tables, sorted set members) on the pinned object
/// heap. Objects there belong to the old generation from birth: a young collection never copies them, and
/// storing one in an old table marks no card, so the pauses of young collections stop growing with the number of keys (measured in
/// docs/ARCHITECTURE.md). The pinned heap is never compacted, so arrays replaced as they grow (listpacks and
/// intsets, rebuilt on every change; a stream node until it is full) and temporary ones stay on the ordinary
/// heap: there the arrays they outgrow die young instead of leaving holes among the stored ones. A sorted
/// set's listpack and a raw string keep spare room and are replaced only when they double, so they are pinned.
/// </summary>
public static class StoredBytes
{
    /// <summary>
    /// Keys and string values are pinned once their database holds this many keys. Below it a young
    /// collection scans a few hundred cards of the key table, and an ordinary allocation is cheaper where
    /// tiny hot keyspaces spend their time (MSET of 10 values at -P 16: 0.63x Redis with every value pinned,
    /// 1.15x without). Kept low: values stored unpinned that later leave a large table leave holes in the old
    /// generation (the cache pattern peaked at 207 MB with 65,536 here, 187 MB with 4,096).
    /// </summary>
    public const int PinnedFromKeys = 4_096;

    /// <summary>A zeroed array of <paramref name="length"/> bytes.</summary>
    public static byte[] Allocate(int length) => length == 0 ? [] : GC.AllocateArray<byte>(length, pinned: true);

    /// <summary>An array of <paramref name="length"/> bytes whose content the caller overwrites at once.</summary>
    public static byte[] AllocateUninitialized(int length) =>
        length == 0 ? [] : GC.AllocateUninitializedArray<byte>(length, pinned: true);

    public static byte[] Copy(ReadOnlySpan<byte> bytes)
    {
        var array = AllocateUninitialized(bytes.Length);
        bytes.CopyTo(array);
        return array;
    }

    /// <summary>Array.Resize on the pinned heap: the first bytes kept, the rest zeroed.</summary>
    public static void Resize(ref byte[] array, int length)
    {
        var resized = Allocate(length);
        array.AsSpan(0, Math.Min(array.Length, length)).CopyTo(resized);
        array = resized;
    }

    /// <summary>
    /// <paramref name="array"/> itself when it is already old (a stored array, or one moved between keys),
    /// else a copy on the pinned heap: what the key table applies to every key and string value it takes.
    /// </summary>
    public static byte[] Settled(byte[] array) => GC.GetGeneration(array) == GC.MaxGeneration ? array : Copy(array);
}
