namespace Cinnabar.Types;

/// <summary>
/// Allocates the byte arrays the dataset keeps (keys, string values, listpacks, list and stream nodes, hash
/// fields and values, set and sorted set members) on the pinned object heap. Objects there belong to the old
/// generation from birth: a young collection never copies them, and storing one in an old table marks no
/// card, so the pauses of young collections stop growing with the number of keys (measured in
/// docs/ARCHITECTURE.md). Temporary arrays (replies, scratch) stay on the ordinary heap, which frees them
/// faster; the pinned heap is swept by the background full collection only.
/// </summary>
public static class StoredBytes
{
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
