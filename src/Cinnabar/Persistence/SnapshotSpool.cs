using System.Collections.Concurrent;

namespace Cinnabar.Persistence;

/// <summary>
/// Where a background snapshot (BGSAVE, the AOF rewrite) writes under the store lock: memory, never the file.
/// Whoever walks (an epoll loop's step or the snapshot's own thread) seals what it wrote into chunks; the
/// snapshot's thread writes sealed chunks to the file without the lock, so a write the kernel holds back
/// (dirty pages under other I/O) never stops the clients, and while the loops carry the walk that thread never
/// takes the lock at all.
/// </summary>
public sealed class SnapshotSpool
{
    /// <summary>A step seals its bytes once this much is gathered (a slice seals whatever it wrote).</summary>
    private const int ChunkBytes = 64 * 1024;

    private readonly SpoolStream _stream = new();
    private readonly ConcurrentQueue<(byte[] Bytes, int Length)> _sealed = new();
    private readonly ConcurrentQueue<byte[]> _free = new();
    private long _sealedBytes;

    /// <summary>The stream the snapshot's writer writes to (under the store lock).</summary>
    public Stream Buffer => _stream;

    /// <summary>Bytes written and not yet in the file (under the store lock).</summary>
    public long Pending => _stream.Length + Interlocked.Read(ref _sealedBytes);

    /// <summary>
    /// Hands what was written so far to the file's writer (under the store lock); with
    /// <paramref name="onlyFullChunk"/>, only once a chunk's worth has gathered.
    /// </summary>
    public void Seal(bool onlyFullChunk = false)
    {
        int length = (int)_stream.Length;
        if (length == 0 || (onlyFullChunk && length < ChunkBytes)) return;
        var next = _free.TryDequeue(out var reused) ? reused : new byte[ChunkBytes];
        var bytes = _stream.Exchange(next);
        Interlocked.Add(ref _sealedBytes, length);
        _sealed.Enqueue((bytes, length));
    }

    /// <summary>rdb-save-incremental-fsync and aof-rewrite-incremental-fsync: an fsync every 4 MB, as Redis's.</summary>
    private const long IncrementalFsyncBytes = 4 << 20;

    private long _sinceFsync;

    /// <summary>
    /// Writes the sealed chunks to <paramref name="file"/> (without the store lock); with
    /// <paramref name="incrementalFsync"/>, syncs them to the disk every 4 MB, so the final fsync does not
    /// meet the whole file's dirty pages at once.
    /// </summary>
    public void WriteSealed(FileStream file, bool incrementalFsync)
    {
        while (_sealed.TryDequeue(out var chunk))
        {
            file.Write(chunk.Bytes, 0, chunk.Length);
            Interlocked.Add(ref _sealedBytes, -chunk.Length);
            if (chunk.Bytes.Length == ChunkBytes) _free.Enqueue(chunk.Bytes);
            _sinceFsync += chunk.Length;
            if (incrementalFsync && _sinceFsync >= IncrementalFsyncBytes)
            {
                file.Flush(flushToDisk: true);
                _sinceFsync = 0;
            }
        }
    }

    /// <summary>An append-only memory stream whose bytes are handed over by exchanging arrays.</summary>
    private sealed class SpoolStream : Stream
    {
        private byte[] _buffer = new byte[ChunkBytes];
        private int _length;

        /// <summary>Returns the array holding the written bytes and goes on, empty, in <paramref name="next"/>.</summary>
        public byte[] Exchange(byte[] next)
        {
            var written = _buffer;
            _buffer = next;
            _length = 0;
            return written;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_length + buffer.Length > _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(_length + buffer.Length, _buffer.Length * 2));
            buffer.CopyTo(_buffer.AsSpan(_length));
            _length += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void WriteByte(byte value) => Write([value]);

        public override long Length => _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
