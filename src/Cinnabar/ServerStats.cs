using System.Collections.Concurrent;

namespace Cinnabar;

/// <summary>Counters behind INFO stats and errorstats.</summary>
public sealed class ServerStats
{
    public long TotalConnectionsReceived;
    public long TotalCommandsProcessed;
    public long RejectedConnections;
    public long ExpiredKeys;
    public long EvictedKeys;
    public long KeyspaceHits;
    public long KeyspaceMisses;
    public long TotalNetInputBytes;
    public long TotalNetOutputBytes;
    public long TotalErrorReplies;
    public long ExpiredStalePercentTimes;
    public long ExpireCycleCpuMicros;
    public long UnexpectedErrorReplies;
    public long ClientOutputLimitDisconnections;
    public long ClientQueryLimitDisconnections;
    public readonly ConcurrentDictionary<string, long> ErrorCounts = new(StringComparer.Ordinal);
    /// <summary>Socket reads and writes (INFO total_reads_processed / total_writes_processed).</summary>
    public long TotalReadsProcessed;
    public long TotalWritesProcessed;

    // Gauges the owning features keep current (blocking commands, client tracking, pub/sub), shown by INFO.
    public long TrackingClients;

    /// <summary>Managed heap size when the server was created (INFO used_memory_startup).</summary>
    public readonly long StartupMemory = GC.GetTotalMemory(false);
    /// <summary>Highest used_memory seen (INFO used_memory_peak).</summary>
    public long PeakMemory;
    /// <summary>This server's replication id (INFO master_replid): 40 random hex digits, as Redis makes at startup.</summary>
    public string ReplicationId { get; private set; } = NewReplicationId();

    /// <summary>Replaces the replication id with a new random one (DEBUG CHANGE-REPL-ID).</summary>
    public void ChangeReplicationId() => ReplicationId = NewReplicationId();

    private static string NewReplicationId() =>
        Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();

    // Instantaneous metrics: like Redis, a sample every 100 ms of the rate since the previous one, averaged over 16.
    private const int MetricSamples = 16;
    private readonly long[,] _samples = new long[3, MetricSamples];
    private readonly long[] _lastValue = new long[3];
    private long _lastSampleMs;
    private int _sampleIndex;

    /// <summary>Called from the server cron; takes a sample when 100 ms have passed since the last one.</summary>
    public void TrackInstantaneous(long nowMs)
    {
        if (_lastSampleMs == 0)
        {
            _lastSampleMs = nowMs;
            _lastValue[0] = TotalCommandsProcessed;
            _lastValue[1] = TotalNetInputBytes;
            _lastValue[2] = TotalNetOutputBytes;
            return;
        }
        long elapsed = nowMs - _lastSampleMs;
        if (elapsed < 100) return;
        long[] current = [TotalCommandsProcessed, Interlocked.Read(ref TotalNetInputBytes), Interlocked.Read(ref TotalNetOutputBytes)];
        for (int m = 0; m < 3; m++)
        {
            _samples[m, _sampleIndex] = (current[m] - _lastValue[m]) * 1000 / elapsed;
            _lastValue[m] = current[m];
        }
        _sampleIndex = (_sampleIndex + 1) % MetricSamples;
        _lastSampleMs = nowMs;
    }

    private long InstantaneousAverage(int metric)
    {
        long sum = 0;
        for (int i = 0; i < MetricSamples; i++) sum += _samples[metric, i];
        return sum / MetricSamples;
    }

    public long InstantaneousOpsPerSec => InstantaneousAverage(0);
    public double InstantaneousInputKbps => InstantaneousAverage(1) / 1024.0;
    public double InstantaneousOutputKbps => InstantaneousAverage(2) / 1024.0;

    /// <summary>Counts an error reply under its code (the first word: ERR, WRONGTYPE …), as INFO errorstats.</summary>
    public void CountError(string message)
    {
        Interlocked.Increment(ref TotalErrorReplies);
        int space = message.IndexOf(' ');
        string code = space < 0 ? message : message[..space];
        // Redis caps the number of distinct codes at 128 to bound memory.
        if (ErrorCounts.Count >= 128 && !ErrorCounts.ContainsKey(code)) return;
        ErrorCounts.AddOrUpdate(code, 1, static (_, v) => v + 1);
    }

    public void Reset()
    {
        TotalConnectionsReceived = TotalCommandsProcessed = RejectedConnections = 0;
        ExpiredKeys = EvictedKeys = KeyspaceHits = KeyspaceMisses = 0;
        TotalNetInputBytes = TotalNetOutputBytes = TotalErrorReplies = 0;
        ExpiredStalePercentTimes = ExpireCycleCpuMicros = UnexpectedErrorReplies = 0;
        ErrorCounts.Clear();
        TotalReadsProcessed = TotalWritesProcessed = 0;
        PeakMemory = 0;
        Array.Clear(_samples);
    }
}
