using System.Globalization;

namespace Cinnabar.Config;

/// <summary>
/// client-output-buffer-limit: "class hard soft seconds" groups for the classes normal, replica (printed
/// "slave", as Redis 7.0 prints it) and pubsub. A CONFIG SET changes only the classes it names, so the
/// new value is the current one merged with the update; the pubsub class feeds
/// <see cref="ServerConfig.PubSubOutputLimit"/>, which delivery checks.
/// </summary>
public static class OutputBufferLimits
{
    public const string Default = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

    private static readonly string[] ClassOrder = ["normal", "slave", "pubsub"];

    /// <summary>
    /// Merges <paramref name="update"/> into <paramref name="current"/> and returns the value CONFIG GET
    /// shows (sizes in bytes), or Redis's error text.
    /// </summary>
    public static (string? Value, string? Error) Normalize(string current, string update)
    {
        var limits = Parse(current, out string? error) ?? Parse(Default, out error)!;
        var changes = Parse(update, out error);
        if (changes == null) return (null, error);
        foreach (var (cls, limit) in changes) limits[cls] = limit;
        return (Format(limits), null);
    }

    /// <summary>Sets the typed field from a normalized value.</summary>
    public static void Apply(ServerConfig config, string value)
    {
        var limits = Parse(value, out _);
        if (limits != null && limits.TryGetValue("pubsub", out var pubsub)) config.PubSubOutputLimit = pubsub;
    }

    /// <summary>Parses groups of four words; null with the error text Redis gives when a group is wrong.</summary>
    public static Dictionary<string, (long Hard, long Soft, long Seconds)>? Parse(string text, out string? error)
    {
        error = null;
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length % 4 != 0)
        {
            error = "Wrong number of arguments in buffer limit configuration.";
            return null;
        }
        var result = new Dictionary<string, (long, long, long)>();
        for (int i = 0; i < words.Length; i += 4)
        {
            string? cls = words[i].ToLowerInvariant() switch
            {
                "normal" => "normal",
                "slave" or "replica" => "slave",
                "pubsub" => "pubsub",
                _ => null,
            };
            if (cls == null)
            {
                error = "Invalid client class specified in buffer limit configuration.";
                return null;
            }
            if (!ServerConfig.TryParseMemory(words[i + 1], out long hard) || hard < 0
                || !ServerConfig.TryParseMemory(words[i + 2], out long soft) || soft < 0
                || !long.TryParse(words[i + 3], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
            {
                error = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
                return null;
            }
            result[cls] = (hard, soft, seconds);
        }
        return result;
    }

    private static string Format(Dictionary<string, (long Hard, long Soft, long Seconds)> limits) =>
        string.Join(' ', ClassOrder.Where(limits.ContainsKey).Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"{c} {limits[c].Hard} {limits[c].Soft} {limits[c].Seconds}")));
}
