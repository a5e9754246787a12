using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Comparison;

/// <summary>Order-insensitive comparisons of aggregate replies.</summary>
public static class RespCompare
{
    /// <summary>
    /// Same aggregate type and the same top-level elements in any order. Maps (and flat RESP2 field/value
    /// arrays when <paramref name="pairs"/>) are compared as multisets of (key, value) pairs.
    /// </summary>
    public static string? SameMultiset(RespValue o, RespValue c, bool pairs = false)
    {
        if (o.Type != c.Type) return $"type differs: '{o.Type}' vs '{c.Type}'";
        if (!o.IsAggregate) return o.SameBytes(c) ? null : "replies differ";
        if (o.Children.Count != c.Children.Count) return $"element count differs: {o.Children.Count} vs {c.Children.Count}";
        int step = o.Type == '%' || pairs ? 2 : 1;
        var a = Items(o, step);
        var b = Items(c, step);
        a.Sort(StringComparer.Ordinal);
        b.Sort(StringComparer.Ordinal);
        for (int i = 0; i < a.Count; i++)
            if (a[i] != b[i]) return $"elements differ (as a multiset): first mismatch {a[i]} vs {b[i]}";
        return null;
    }

    private static List<string> Items(RespValue v, int step)
    {
        var list = new List<string>();
        for (int i = 0; i + step - 1 < v.Children.Count; i += step)
            list.Add(step == 1 ? v.Children[i].ToString() : v.Children[i] + " => " + v.Children[i + 1]);
        return list;
    }

    /// <summary>All leaf values in order (for property checks such as distinctness).</summary>
    public static IEnumerable<RespValue> Flatten(RespValue v)
    {
        if (!v.IsAggregate) { yield return v; yield break; }
        foreach (var child in v.Children)
            foreach (var leaf in Flatten(child)) yield return leaf;
    }
}
