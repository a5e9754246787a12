using System.Text;
using Cinnabar.Storage;

namespace Cinnabar.PubSub;

/// <summary>
/// notify-keyspace-events: the event classes as flags, parsed and printed as Redis does, and the
/// publishing of __keyspace@db__:key and __keyevent@db__:event messages.
/// </summary>
public static class KeyspaceEvents
{
    public const int Keyspace = 1 << 0;   // K
    public const int Keyevent = 1 << 1;   // E
    public const int Generic = 1 << 2;    // g
    public const int String = 1 << 3;     // $
    public const int List = 1 << 4;       // l
    public const int Set = 1 << 5;        // s
    public const int Hash = 1 << 6;       // h
    public const int ZSet = 1 << 7;       // z
    public const int Expired = 1 << 8;    // x
    public const int Evicted = 1 << 9;    // e
    public const int Stream = 1 << 10;    // t
    public const int KeyMiss = 1 << 11;   // m
    public const int Module = 1 << 12;    // d
    public const int NewKey = 1 << 13;    // n
    public const int All = Generic | String | List | Set | Hash | ZSet | Expired | Evicted | Stream | Module;

    public static int ClassFlag(char c) => c switch
    {
        'A' => All,
        'g' => Generic,
        '$' => String,
        'l' => List,
        's' => Set,
        'h' => Hash,
        'z' => ZSet,
        'x' => Expired,
        'e' => Evicted,
        'K' => Keyspace,
        'E' => Keyevent,
        't' => Stream,
        'm' => KeyMiss,
        'd' => Module,
        'n' => NewKey,
        _ => -1,
    };

    /// <summary>Parses the directive's value; -1 on an unknown class character.</summary>
    public static int Parse(string text)
    {
        int flags = 0;
        foreach (char c in text)
        {
            int f = ClassFlag(c);
            if (f < 0) return -1;
            flags |= f;
        }
        return flags;
    }

    /// <summary>Prints flags as Redis's CONFIG GET does (note: 'n' is not printed when 'A' is).</summary>
    public static string Format(int flags)
    {
        var sb = new StringBuilder();
        if ((flags & All) == All) sb.Append('A');
        else
        {
            (int, char)[] order = [(Generic, 'g'), (String, '$'), (List, 'l'), (Set, 's'), (Hash, 'h'), (ZSet, 'z'),
                (Expired, 'x'), (Evicted, 'e'), (Stream, 't'), (Module, 'd'), (NewKey, 'n')];
            foreach (var (f, c) in order) if ((flags & f) != 0) sb.Append(c);
        }
        if ((flags & Keyspace) != 0) sb.Append('K');
        if ((flags & Keyevent) != 0) sb.Append('E');
        if ((flags & KeyMiss) != 0) sb.Append('m');
        return sb.ToString();
    }

    /// <summary>
    /// Normalizer for the config registry: Redis's printing, plus the 'n' that printing hides behind 'A', so the
    /// stored value keeps every class the server notifies (Redis keeps them too: KEAn sends "new" events).
    /// </summary>
    public static (string? Value, string? Error) Normalize(string text)
    {
        int flags = Parse(text);
        if (flags < 0) return (null, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        string shown = Format(flags);
        return ((flags & All) == All && (flags & NewKey) != 0 ? shown + "n" : shown, null);
    }

    /// <summary>The stored value as CONFIG GET prints it.</summary>
    public static string Show(string value) => Format(Parse(value));
}
