namespace Cinnabar.Persistence;

/// <summary>
/// Where a background snapshot (BGSAVE, the AOF rewrite) writes under the store lock: memory, never the file.
/// Its thread takes what a slice wrote while it still holds the lock and writes it to the disk after letting
/// the lock go, so a write the kernel holds back (dirty pages under other I/O) never stops the clients.
/// </summary>
public sealed class SnapshotSpool
{
    private byte[] _chunk = new byte[64 * 1024];

    /// <summary>The stream the snapshot's writer writes to (under the store lock).</summary>
    public MemoryStream Buffer { get; } = new();

    /// <summary>Bytes written and not yet taken.</summary>
    public long Pending => Buffer.Length;

    /// <summary>Moves what was written so far out of <see cref="Buffer"/> (under the store lock); returns its length.</summary>
    public int Take()
    {
        int length = (int)Buffer.Length;
        if (length > _chunk.Length) _chunk = new byte[Math.Max(length, _chunk.Length * 2)];
        Buffer.GetBuffer().AsSpan(0, length).CopyTo(_chunk);
        Buffer.SetLength(0);
        return length;
    }

    /// <summary>rdb-save-incremental-fsync and aof-rewrite-incremental-fsync: an fsync every 4 MB, as Redis's.</summary>
    private const long IncrementalFsyncBytes = 4 << 20;

    private long _sinceFsync;

    /// <summary>
    /// Writes the bytes of the last <see cref="Take"/> (outside the store lock); with
    /// <paramref name="incrementalFsync"/>, syncs them to the disk every 4 MB, so the final fsync does not
    /// meet the whole file's dirty pages at once.
    /// </summary>
    public void WriteTaken(FileStream file, int length, bool incrementalFsync)
    {
        file.Write(_chunk, 0, length);
        _sinceFsync += length;
        if (incrementalFsync && _sinceFsync >= IncrementalFsyncBytes)
        {
            file.Flush(flushToDisk: true);
            _sinceFsync = 0;
        }
    }
}
