using System.Text;

namespace Cinnabar.Commands;

/// <summary>Finds the key arguments of a command from its key specs, as Redis's getKeysUsingKeySpecs.</summary>
public static class KeyFinder
{
    /// <summary>
    /// The key positions (in <paramref name="argc"/> arguments, 0 = the command name) with each key's spec flags,
    /// or null when the arguments do not fit the specs (an incomplete spec, a bad key count, a key out of range).
    /// Specs whose keys cannot be described ("unknown") are skipped.
    /// </summary>
    public static List<(int Pos, string[] Flags)>? Find(CommandDef def, int argc, Func<int, ReadOnlySpan<byte>> arg)
    {
        var result = new List<(int, string[])>();
        foreach (var spec in def.KeySpecs)
        {
            if (spec.Flags.Contains("NOT_KEY")) continue;
            int first = 0;
            if (spec.BeginKind == "index") first = spec.Index;
            else if (spec.BeginKind == "keyword")
            {
                var keyword = Encoding.ASCII.GetBytes(spec.Keyword ?? "");
                int start = spec.StartFrom > 0 ? spec.StartFrom : argc + spec.StartFrom;
                int end = spec.StartFrom > 0 ? argc - 1 : 0;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1)
                {
                    if (i >= argc || i < 1) break;
                    if (Ascii.EqualsIgnoreCase(arg(i), keyword))
                    {
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) continue;
            }
            else continue;

            int last, step;
            if (spec.FindKind == "range")
            {
                step = spec.KeyStep;
                if (spec.LastKey >= 0) last = first + spec.LastKey;
                else if (spec.Limit == 0) last = argc + spec.LastKey;
                else last = first + ((argc - first) / spec.Limit + spec.LastKey);
            }
            else if (spec.FindKind == "keynum")
            {
                step = spec.KeyStep;
                int numIndex = first + spec.KeyNumIndex;
                if (numIndex >= argc || !Protocol.RespParser.TryParseLong(arg(numIndex), out long numKeys) || numKeys < 0) return null;
                first += spec.FirstKey;
                last = first + (int)Math.Min(numKeys, int.MaxValue / 2) - 1;
            }
            else continue;

            if (last >= argc || last < first || first >= argc) return null;
            for (int i = first; i <= last; i += Math.Max(step, 1)) result.Add((i, spec.Flags));
            if (spec.Flags.Contains("INCOMPLETE")) return null;
        }
        return result;
    }
}
