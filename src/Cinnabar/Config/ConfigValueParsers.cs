using System.Globalization;
using System.Text;
using Cinnabar.Protocol;

namespace Cinnabar.Config;

/// <summary>Parsing and canonical formatting of directive values, with redis-server's error texts.</summary>
public static class ConfigValueParsers
{
    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A strict integer as Redis's string2ll (no '+', no spaces, no leading zeros) within a range.</summary>
    public static (long Value, string? Error) Integer(string text, long min, long max)
    {
        if (!RespParser.TryParseLong(Encoding.UTF8.GetBytes(text), out long n)) return (0, "argument couldn't be parsed into an integer");
        if (n < min || n > max) return (0, $"argument must be between {min} and {max} inclusive");
        return (n, null);
    }

    /// <summary>Redis's memtoull: digits then an optional unit (b, k, kb, m, mb, g, gb; k = 1000, kb = 1024).</summary>
    public static bool TryParseMemory(string text, out long bytes)
    {
        bytes = 0;
        int i = 0;
        while (i < text.Length && text[i] >= '0' && text[i] <= '9') i++;
        string unit = text[i..].ToLowerInvariant();
        long mul = unit switch
        {
            "" or "b" => 1,
            "k" => 1000,
            "kb" => 1024,
            "m" => 1000 * 1000,
            "mb" => 1024 * 1024,
            "g" => 1000L * 1000 * 1000,
            "gb" => 1024L * 1024 * 1024,
            _ => 0,
        };
        if (mul == 0) return false;
        if (i == 0) return true; // strtoull of "" is 0, as in Redis ("config set maxmemory ''" sets 0)
        if (!long.TryParse(text.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out long n)) return false;
        try { bytes = checked(n * mul); } catch (OverflowException) { return false; }
        return true;
    }

    /// <summary>A memory value, or for percent directives "N%" kept as -N.</summary>
    public static (string? Value, string? Error) Memory(ConfigEntry e, string text)
    {
        long bytes;
        if (e.Percent && text.EndsWith('%'))
        {
            if (!long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long pct))
                return (null, "argument must be a memory or percent value");
            if (pct > 100) return (null, "percentage argument must be less or equal to 100");
            bytes = -pct;
        }
        else if (!TryParseMemory(text, out bytes))
        {
            return (null, e.Percent ? "argument must be a memory or percent value" : "argument must be a memory value");
        }
        if (bytes < e.Min || bytes > e.Max) return (null, $"argument must be between {e.Min} and {e.Max} inclusive");
        return (bytes < 0 && e.Percent ? Num(-bytes) + "%" : Num(bytes), null);
    }

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A file mode in octal as Redis's octal directives (unixsocketperm): 0 to 777, shown without a leading 0.</summary>
    public static (string? Value, string? Error) NormalizeOctalMode(string text)
    {
        long n = 0;
        int i = text.StartsWith('-') ? 1 : 0;
        for (; i < text.Length; i++)
        {
            if (text[i] < '0' || text[i] > '7') return (null, "argument couldn't be parsed as an octal number");
            n = Math.Min(n * 8 + (text[i] - '0'), 1L << 40);
        }
        if (text.StartsWith('-')) n = -n;
        if (n < 0 || n > 511) return (null, "argument must be between 0 and 777 inclusive");
        return (Convert.ToString(n, 8), null);
    }

    public static (string? Value, string? Error) NormalizeBind(string text)
    {
        var words = Words(text);
        if (words.Length > 16) return (null, "Too many bind addresses specified.");
        return (string.Join(' ', words), null);
    }

    /// <summary>"seconds changes" pairs; "" disables snapshots.</summary>
    public static (string? Value, string? Error) NormalizeSave(string text)
    {
        var words = Words(text);
        if (words.Length % 2 != 0) return (null, "Invalid save parameters");
        var parts = new List<string>();
        for (int i = 0; i < words.Length; i++)
        {
            if (!long.TryParse(words[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
                || (i % 2 == 0 && n < 1) || (i % 2 == 1 && n < 0))
                return (null, "Invalid save parameters");
            parts.Add(Num(n));
        }
        return (string.Join(' ', parts), null);
    }

    public static (long Seconds, long Changes)[] ParseSavePoints(string value)
    {
        var w = Words(value);
        var points = new (long, long)[w.Length / 2];
        for (int i = 0; i < points.Length; i++) points[i] = (long.Parse(w[2 * i], CultureInfo.InvariantCulture), long.Parse(w[2 * i + 1], CultureInfo.InvariantCulture));
        return points;
    }

    /// <summary>The working directory, shown as an absolute path (Redis chdirs there and prints getcwd).</summary>
    public static (string? Value, string? Error) NormalizeDir(string text)
    {
        try
        {
            string full = Path.GetFullPath(text.Length == 0 ? "." : text);
            if (!Directory.Exists(full)) return (null, "No such file or directory");
            return (full.Length > 1 ? full.TrimEnd('/') : full, null);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or NotSupportedException)
        {
            return (null, "No such file or directory");
        }
    }

    public static (string? Value, string? Error) NormalizeReplicaOf(string text)
    {
        var w = Words(text);
        if (w.Length == 0) return ("", null);
        if (w.Length != 2) return (null, "wrong number of arguments");
        if (w[0].Equals("no", StringComparison.OrdinalIgnoreCase) && w[1].Equals("one", StringComparison.OrdinalIgnoreCase)) return ("", null);
        if (!int.TryParse(w[1], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            return (null, "Invalid master port");
        return ($"{w[0]} {port}", null);
    }

    public static (string? Value, string? Error) NormalizeOomScoreAdjValues(string text)
    {
        var w = Words(text);
        if (w.Length != 3) return (null, "wrong number of arguments");
        var parts = new string[3];
        for (int i = 0; i < 3; i++)
        {
            if (!int.TryParse(w[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) || v < -2000 || v > 2000)
                return (null, "Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            parts[i] = v.ToString(CultureInfo.InvariantCulture);
        }
        return (string.Join(' ', parts), null);
    }

    private static readonly string[] ShutdownFlagNames = ["save", "nosave", "now", "force"];

    public static (string? Value, string? Error) NormalizeShutdownFlags(string text)
    {
        var set = new HashSet<string>();
        foreach (var word in Words(text))
        {
            string w = word.ToLowerInvariant();
            if (w != "default" && !ShutdownFlagNames.Contains(w))
                return (null, "argument(s) must be one of the following: default, save, nosave, now, force");
            if (w != "default") set.Add(w);
        }
        var names = ShutdownFlagNames.Where(set.Contains).ToArray();
        return (names.Length == 0 ? "default" : string.Join(' ', names), null);
    }

    public static (string? Value, string? Error) NormalizePercentiles(string text)
    {
        var parts = new List<string>();
        foreach (var w in Words(text))
        {
            if (!double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) || double.IsNaN(p))
                return (null, "Invalid latency-tracking-info-percentiles parameters");
            if (p < 0 || p > 100) return (null, "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            // Redis prints "%f" with trailing zeros trimmed: 99.9, 50.
            parts.Add(Types.FixedPointText.FormatF6Trimmed(p));
        }
        return (string.Join(' ', parts), null);
    }

    private static readonly string[] OutputClasses = ["normal", "slave", "pubsub"];

    /// <summary>Merges "class hard soft seconds ..." groups into the current three-class value.</summary>
    public static (string? Value, string? Error) MergeOutputBufferLimits(string current, string text)
    {
        var w = Words(text);
        if (w.Length % 4 != 0) return (null, "Wrong number of arguments in buffer limit configuration.");
        var limits = ParseOutputLimits(current);
        for (int i = 0; i < w.Length; i += 4)
        {
            string cls = w[i].ToLowerInvariant();
            if (cls == "replica") cls = "slave";
            int idx = Array.IndexOf(OutputClasses, cls);
            if (idx < 0) return (null, "Invalid client class specified in buffer limit configuration.");
            if (!TryParseMemory(w[i + 1], out long hard) || !TryParseMemory(w[i + 2], out long soft)
                || !long.TryParse(w[i + 3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long secs) || secs < 0)
                return (null, "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            limits[idx] = (hard, soft, secs);
        }
        return (FormatOutputLimits(limits), null);
    }

    public static (long Hard, long Soft, long Seconds)[] ParseOutputLimits(string value)
    {
        var result = new (long, long, long)[3];
        var w = Words(value);
        for (int i = 0; i + 3 < w.Length; i += 4)
        {
            int idx = Array.IndexOf(OutputClasses, w[i]);
            if (idx >= 0) result[idx] = (long.Parse(w[i + 1], CultureInfo.InvariantCulture), long.Parse(w[i + 2], CultureInfo.InvariantCulture), long.Parse(w[i + 3], CultureInfo.InvariantCulture));
        }
        return result;
    }

    private static string FormatOutputLimits((long Hard, long Soft, long Seconds)[] limits)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 3; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(OutputClasses[i]).Append(' ').Append(limits[i].Hard).Append(' ').Append(limits[i].Soft).Append(' ').Append(limits[i].Seconds);
        }
        return sb.ToString();
    }

    public static void ApplyOutputBufferLimits(ServerConfig config, string value)
    {
        var limits = ParseOutputLimits(value);
        config.NormalOutputLimit = limits[0];
        config.ReplicaOutputLimit = limits[1];
        config.PubSubOutputLimit = limits[2];
    }
}
