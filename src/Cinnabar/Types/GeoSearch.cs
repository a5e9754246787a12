using System.Buffers;

namespace Cinnabar.Types;

/// <summary>A point found by a geo search: its decoded position, distance from the centre (metres until converted), score and member.</summary>
public struct GeoPoint
{
    public double Longitude, Latitude, Distance, Score;
    public byte[] Member;
}

/// <summary>
/// The points of a geo search, collected and ordered the way Redis's georadiusGeneric does it: the nine
/// cells in Redis's order, each scanned in score order; COUNT ANY stops at the limit; ASC/DESC sorts every
/// result with a stable merge sort (glibc's qsort) or, when COUNT cuts the list, Redis's partial quicksort
/// (pqsort), so even equal distances come out in Redis's order. The buffer is pooled; dispose it.
/// </summary>
public struct GeoSearch : IDisposable
{
    private GeoPoint[] _points;

    public GeoSearch() => _points = ArrayPool<GeoPoint>.Shared.Rent(16);

    public int Count { get; private set; }
    public readonly Span<GeoPoint> Points => _points.AsSpan(0, Count);

    /// <summary>Collects the members of <paramref name="zset"/> inside the shape; <paramref name="limit"/> &gt; 0 stops there (ANY).</summary>
    public void Collect(ZSet zset, GeoShape shape, long limit)
    {
        shape.Prepare();
        Span<GeoHashBits> cells = stackalloc GeoHashBits[9];
        shape.SearchCells(cells);
        int lastProcessed = 0;
        for (int i = 0; i < cells.Length; i++)
        {
            if (cells[i].IsZero) continue;
            // Huge radii can make neighbouring cells the same cell: skip a repeat of the one just scanned.
            if (lastProcessed != 0 && cells[i] == cells[lastProcessed]) continue;
            if (Count > 0 && limit > 0 && Count >= limit) break;
            CollectCell(zset, cells[i], shape, limit);
            lastProcessed = i;
        }
    }

    /// <summary>The members whose score lies in the cell's range [min, max), in score order.</summary>
    private void CollectCell(ZSet zset, GeoHashBits cell, in GeoShape shape, long limit)
    {
        double min = GeoHash.Align52(cell);
        double max = GeoHash.Align52(cell with { Bits = cell.Bits + 1 });
        long start = zset.CountWhile(new ScoreRange.BelowMin(new ScoreBound(min, false)));
        var cursor = zset.Iterate(start);
        while (cursor.MoveNext())
        {
            double score = cursor.Score;
            if (!(score < max)) break;
            var (lon, lat) = GeoHash.DecodeScore(score);
            if (shape.Contains(lon, lat, out double distance))
                Add(new GeoPoint { Longitude = lon, Latitude = lat, Distance = distance, Score = score, Member = cursor.MemberArray });
            if (Count > 0 && limit > 0 && Count >= limit) break;
        }
    }

    private void Add(in GeoPoint point)
    {
        if (Count == _points.Length)
        {
            var bigger = ArrayPool<GeoPoint>.Shared.Rent(Count * 2);
            Points.CopyTo(bigger);
            Release();
            _points = bigger;
        }
        _points[Count++] = point;
    }

    /// <summary>Orders by distance; only the first <paramref name="needed"/> places must be right when fewer than all are returned.</summary>
    public readonly void Sort(bool descending, long needed)
    {
        var points = Points;
        if (needed >= points.Length)
        {
            var scratch = ArrayPool<GeoPoint>.Shared.Rent(points.Length);
            MergeSort(points, scratch, descending);
            ArrayPool<GeoPoint>.Shared.Return(scratch, clearArray: true);
        }
        else PartialQuickSort(points, 0, needed - 1, descending);
    }

    /// <summary>Redis's sort_gp_asc, negated for DESC: distances compared with &gt; and ==, so NaN sorts as "less" both ways.</summary>
    private static int Compare(in GeoPoint a, in GeoPoint b, bool descending)
    {
        int c = a.Distance > b.Distance ? 1 : a.Distance == b.Distance ? 0 : -1;
        return descending ? -c : c;
    }

    /// <summary>glibc's msort: top-down, left half of n/2, ties taken from the left (stable).</summary>
    private static void MergeSort(Span<GeoPoint> b, GeoPoint[] scratch, bool descending)
    {
        int n = b.Length;
        if (n <= 1) return;
        int n1 = n / 2;
        var left = b[..n1];
        var right = b[n1..];
        MergeSort(left, scratch, descending);
        MergeSort(right, scratch, descending);
        int i = 0, j = 0, k = 0;
        while (i < left.Length && j < right.Length)
            scratch[k++] = Compare(left[i], right[j], descending) <= 0 ? left[i++] : right[j++];
        while (i < left.Length) scratch[k++] = left[i++];
        // What is left of the right half is already in place.
        scratch.AsSpan(0, k).CopyTo(b);
    }

    /// <summary>
    /// Redis's pqsort (Bentley–McIlroy quicksort that skips partitions outside [lrange, rrange]), element for
    /// element, so ties land where Redis puts them.
    /// </summary>
    private static void PartialQuickSort(Span<GeoPoint> all, long lrange, long rrange, bool descending)
    {
        int a = 0, n = all.Length;
        while (true)
        {
            if (n < 7)
            {
                for (int pm = a + 1; pm < a + n; pm++)
                    for (int pl = pm; pl > a && Compare(all[pl - 1], all[pl], descending) > 0; pl--)
                        Swap(all, pl, pl - 1);
                return;
            }
            int pmid = a + n / 2;
            if (n > 7)
            {
                int pl = a, pn = a + n - 1;
                if (n > 40)
                {
                    int d = n / 8;
                    pl = Median3(all, pl, pl + d, pl + 2 * d, descending);
                    pmid = Median3(all, pmid - d, pmid, pmid + d, descending);
                    pn = Median3(all, pn - 2 * d, pn - d, pn, descending);
                }
                pmid = Median3(all, pl, pmid, pn, descending);
            }
            Swap(all, a, pmid);
            int pa = a + 1, pb = pa, pc = a + n - 1, pd = pc;
            while (true)
            {
                int c;
                while (pb <= pc && (c = Compare(all[pb], all[a], descending)) <= 0)
                {
                    if (c == 0) Swap(all, pa++, pb);
                    pb++;
                }
                while (pb <= pc && (c = Compare(all[pc], all[a], descending)) >= 0)
                {
                    if (c == 0) Swap(all, pc, pd--);
                    pc--;
                }
                if (pb > pc) break;
                Swap(all, pb++, pc--);
            }
            int end = a + n;
            int r = Math.Min(pa - a, pb - pa);
            SwapRanges(all, a, pb - r, r);
            r = Math.Min(pd - pc, end - pd - 1);
            SwapRanges(all, pb, end - r, r);
            if ((r = pb - pa) > 1 && Overlaps(a, r, lrange, rrange))
                PartialQuickSort(all, a, r, lrange, rrange, descending);
            if ((r = pd - pc) <= 1) return;
            a = end - r;
            n = r;
            if (!Overlaps(a, n, lrange, rrange)) return;
        }
    }

    private static void PartialQuickSort(Span<GeoPoint> all, int a, int n, long lrange, long rrange, bool descending) =>
        PartialQuickSort(all.Slice(a, n), lrange - a, rrange - a, descending);

    /// <summary>Whether elements [start, start + count) meet the wanted places [lrange, rrange].</summary>
    private static bool Overlaps(int start, int count, long lrange, long rrange) => !(rrange < start || lrange >= start + count);

    private static int Median3(Span<GeoPoint> all, int a, int b, int c, bool descending) =>
        Compare(all[a], all[b], descending) < 0
            ? (Compare(all[b], all[c], descending) < 0 ? b : (Compare(all[a], all[c], descending) < 0 ? c : a))
            : (Compare(all[b], all[c], descending) > 0 ? b : (Compare(all[a], all[c], descending) < 0 ? a : c));

    private static void Swap(Span<GeoPoint> all, int i, int j) => (all[i], all[j]) = (all[j], all[i]);

    private static void SwapRanges(Span<GeoPoint> all, int a, int b, int count)
    {
        for (int i = 0; i < count; i++) Swap(all, a + i, b + i);
    }

    private void Release()
    {
        if (_points.Length > 0) ArrayPool<GeoPoint>.Shared.Return(_points, clearArray: true);
    }

    public void Dispose()
    {
        Release();
        _points = [];
        Count = 0;
    }
}
