using System.Diagnostics;

namespace Cinnabar.Storage;

/// <summary>
/// Redis 7's active expiry cycle: each cron tick, walk each database's keys with a time to live from where
/// the last walk stopped, 20 at a time, deleting the expired ones, and go on with the same database while
/// more than 10% of a batch had expired, within a budget of 25% of the tick. Walking (rather than random
/// sampling) guarantees every expired key is reached, so memory comes back without anyone reading the keys.
/// </summary>
public sealed class ActiveExpiry
{
    private const int KeysPerLoop = 20;
    private const int AcceptableStalePercent = 10;
    private const int TimeBudgetPercent = 25;

    private readonly CinnabarServer _server;
    private int _nextDb;

    public ActiveExpiry(CinnabarServer server) => _server = server;

    /// <summary>Running estimate of the share of sampled volatile keys that were already expired (INFO expired_stale_perc).</summary>
    public double StalePercent { get; private set; }

    public void RunCycle()
    {
        var dbs = _server.Databases;
        long budgetTicks = Stopwatch.Frequency / Math.Max(1, _server.Config.Hz) * TimeBudgetPercent / 100;
        long start = Stopwatch.GetTimestamp();
        long deadline = start + budgetTicks;
        long sampledTotal = 0, expiredTotal = 0;
        for (int n = 0; n < dbs.Length; n++)
        {
            var db = dbs[_nextDb];
            _nextDb = (_nextDb + 1) % dbs.Length;
            if (!ExpireSome(db, deadline, ref sampledTotal, ref expiredTotal))
            {
                // The time cap was reached (INFO expired_time_cap_reached_count).
                _server.Stats.ExpiredStalePercentTimes++;
                break;
            }
        }
        double current = sampledTotal > 0 ? (double)expiredTotal / sampledTotal : 0;
        StalePercent = current * 0.05 + StalePercent * 0.95;
        long micros = (Stopwatch.GetTimestamp() - start) * 1_000_000 / Stopwatch.Frequency;
        _server.Stats.ExpireCycleCpuMicros += micros;
        _server.Latency.AddIfNeeded("expire-cycle", micros / 1000);
    }

    /// <summary>Expires keys in one database; false when the time budget ran out.</summary>
    private bool ExpireSome(Database db, long deadline, ref long sampledTotal, ref long expiredTotal)
    {
        var table = db.Table;
        long now = _server.NowMs;
        int iterations = 0;
        while (table.VolatileCount > 0)
        {
            int sampled = 0, expired = 0;
            long ttlSum = 0;
            int batch = Math.Min(KeysPerLoop, table.VolatileCount);
            for (int i = 0; i < batch && table.VolatileCount > 0; i++)
            {
                if (db.ExpireCursor >= table.VolatileCount) db.ExpireCursor = 0;
                var (slot, when) = table.VolatileAt(db.ExpireCursor);
                sampled++;
                if (when < now)
                {
                    // The last volatile key moves into this position: look at it next, without advancing.
                    db.ExpireSlot(slot);
                    expired++;
                }
                else
                {
                    ttlSum += when - now;
                    db.ExpireCursor++;
                }
            }
            sampledTotal += sampled;
            expiredTotal += expired;
            int alive = sampled - expired;
            if (alive > 0)
            {
                long avg = ttlSum / alive;
                db.AverageTtl = db.AverageTtl == 0 ? avg : (db.AverageTtl / 50 * 49) + (avg / 50);
            }
            if ((++iterations & 15) == 0 && Stopwatch.GetTimestamp() > deadline) return false;
            if (sampled == 0 || expired * 100 / sampled <= AcceptableStalePercent) break;
        }
        return Stopwatch.GetTimestamp() <= deadline;
    }
}
