namespace Cinnabar.Types;

/// <summary>
/// Allocates the byte arrays that collections keep once written (list nodes, full stream nodes, hash fields and
/// values and set members of hash tables, sorted set members, listpacks, in-place strings): the one place that
/// decides where they live. They are ordinary arrays. Keys and plain string values are not arrays at all: they
/// live in the key table's records (Storage/RecordSlab.cs). The pinned object heap, where objects are old from
/// birth (no card marking, young collections never copy them), was tried and dropped: it keeps its free
/// space in lists that an allocation walks, and once overwritten values of several sizes leave holes there,
/// each allocation takes longer than the last (SET of 64-byte values over 1M keys: 809 microseconds a call
/// at 474k keys; a million pinned arrays of three sizes replaced at random: 11, then 110 microseconds an
/// allocation). Any churn of keys or values (overwrites, deletes, expiry, eviction) makes that path hot.
/// </summary>
public static class StoredBytes
{
    /// <summary>A zeroed array of <paramref name="length"/> bytes.</summary>
    public static byte[] Allocate(int length) => length == 0 ? [] : new byte[length];

    /// <summary>An array of <paramref name="length"/> bytes whose content the caller overwrites at once.</summary>
    public static byte[] AllocateUninitialized(int length) => length == 0 ? [] : GC.AllocateUninitializedArray<byte>(length);

    public static byte[] Copy(ReadOnlySpan<byte> bytes)
    {
        var array = AllocateUninitialized(bytes.Length);
        bytes.CopyTo(array);
        return array;
    }

    /// <summary>Array.Resize through <see cref="Allocate"/>: the first bytes kept, the rest zeroed.</summary>
    public static void Resize(ref byte[] array, int length)
    {
        var resized = Allocate(length);
        array.AsSpan(0, Math.Min(array.Length, length)).CopyTo(resized);
        array = resized;
    }
}
