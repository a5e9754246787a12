using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Comparison;

/// <summary>
/// Checks of random replies in the randomized run, where a step follows (or precedes) a random command with one
/// that lists the collection: ReplyRules compares the random reply's shape and count; these check that what
/// Cinnabar picked is really there.
/// </summary>
public static class RandomChecks
{
    /// <summary>
    /// Every element Cinnabar picked (one, or an array) is one of those the oracle's listing reply holds. With
    /// <paramref name="listingHasValues"/> the listing alternates name and value (HGETALL, ZRANGE WITHSCORES),
    /// and with <paramref name="pickHasValues"/> so does the pick (WITHVALUES, WITHSCORES), whose values must
    /// then be the listed ones. Errors and nulls are compared exactly by ReplyRules already.
    /// </summary>
    public static string? PickedFrom(RespValue? picked, RespValue? listing, string command, bool listingHasValues = false, bool pickHasValues = false)
    {
        if (picked == null || listing == null || picked.IsError || picked.IsNull || listing.IsError) return null;
        var all = RespCompare.Flatten(listing).Select(v => v.Text).ToList();
        var values = listingHasValues ? PairsOf(all) : all.Distinct().ToDictionary(x => x, x => x, StringComparer.Ordinal);
        var got = RespCompare.Flatten(picked).Select(v => v.Text).ToList();
        for (int i = 0; i < got.Count; i += pickHasValues ? 2 : 1)
        {
            if (!values.TryGetValue(got[i], out var value)) return $"{command}: picked '{got[i]}', which is not in the collection ({listing.Show(200)})";
            if (pickHasValues && i + 1 < got.Count && value != got[i + 1])
                return $"{command}: picked '{got[i]}' with '{got[i + 1]}', but its value is '{value}'";
        }
        return null;
    }

    private static Dictionary<string, string> PairsOf(List<string> flat)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < flat.Count; i += 2) d[flat[i]] = flat[i + 1];
        return d;
    }

    /// <summary>
    /// After a random removal (SPOP), a command that removes from <paramref name="key"/> every member either
    /// server removed, so both hold the same collection again; PING when neither removed anything.
    /// </summary>
    public static byte[][] RemoveEither(string command, string key, RespValue? oracle, RespValue? cinnabar)
    {
        var members = new[] { oracle, cinnabar }.Where(v => v != null && !v.IsError && !v.IsNull)
            .SelectMany(v => RespCompare.Flatten(v!)).Select(v => v.Payload).DistinctBy(Convert.ToBase64String).ToList();
        if (members.Count == 0) return [Randomized.Gen.Bytes("PING")];
        return [Randomized.Gen.Bytes(command), Randomized.Gen.Bytes(key), .. members];
    }
}
