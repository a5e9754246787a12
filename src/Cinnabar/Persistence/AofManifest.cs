using System.Globalization;
using System.Text;
using Cinnabar.Config;
using Cinnabar.Protocol;

namespace Cinnabar.Persistence;

/// <summary>What a file in the AOF directory is to the manifest: the base, a history file awaiting deletion, or an incremental file.</summary>
public enum AofFileType : byte { Base = (byte)'b', History = (byte)'h', Incr = (byte)'i' }

/// <summary>One line of the manifest: <c>file &lt;name&gt; seq &lt;n&gt; type b|h|i</c>.</summary>
public sealed record AofFileInfo(string Name, long Seq, AofFileType Type);

/// <summary>
/// Redis 7's AOF manifest (appendonly.aof.manifest in appenddirname): at most one base file (a snapshot, RDB or
/// AOF format), the history files a finished rewrite left for deletion, and the incremental files whose
/// commands follow the base, in order. Names follow Redis's rules (<c>appendonly.aof.2.base.rdb</c>,
/// <c>appendonly.aof.3.incr.aof</c>), so a directory moves between Redis and Cinnabar in both directions.
/// Changes are made on a copy and written atomically (temporary file, fsync, rename, fsync of the directory)
/// before the copy replaces the live one, as Redis does.
/// </summary>
public sealed class AofManifest
{
    public const string ManifestSuffix = ".manifest";
    public const string TempPrefix = "temp-";

    public AofFileInfo? Base { get; private set; }
    public List<AofFileInfo> History { get; } = [];
    public List<AofFileInfo> Incrs { get; } = [];
    public long CurrentBaseSeq { get; private set; }
    public long CurrentIncrSeq { get; private set; }
    /// <summary>Changed since it was last written to disk.</summary>
    public bool Dirty { get; set; }

    public static string FileName(string appendFilename) => appendFilename + ManifestSuffix;

    public AofManifest Clone()
    {
        var copy = new AofManifest { Base = Base, CurrentBaseSeq = CurrentBaseSeq, CurrentIncrSeq = CurrentIncrSeq, Dirty = Dirty };
        copy.History.AddRange(History);
        copy.Incrs.AddRange(Incrs);
        return copy;
    }

    /// <summary>The manifest's text: the base first, then history files, then incremental files, one line each.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        if (Base != null) AppendLine(sb, Base);
        foreach (var h in History) AppendLine(sb, h);
        foreach (var i in Incrs) AppendLine(sb, i);
        return sb.ToString();
    }

    private static void AppendLine(StringBuilder sb, AofFileInfo info)
    {
        // A name with spaces, quotes or unprintable bytes is written quoted, as sdscatrepr does.
        string name = NeedsRepr(info.Name) ? ConfigLoader.Repr(info.Name) : info.Name;
        sb.Append("file ").Append(name).Append(" seq ").Append(info.Seq.ToString(CultureInfo.InvariantCulture))
          .Append(" type ").Append((char)info.Type).Append('\n');
    }

    private static bool NeedsRepr(string name)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(name))
            if (b is (byte)'\\' or (byte)'"' or (byte)' ' || b < 33 || b > 126) return true;
        return false;
    }

    /// <summary>
    /// Reads a manifest as Redis's aofLoadManifestFromFile: comment lines skipped, keys in any order and case,
    /// unknown key pairs ignored (forward compatibility). A damaged manifest throws with Redis's lines.
    /// </summary>
    public static AofManifest Parse(string text)
    {
        var m = new AofManifest();
        long maxSeq = 0;
        if (text.Length == 0) throw ManifestError(0, null, "Found an empty AOF manifest");
        var lines = text.Split('\n');
        // A final newline leaves an empty last piece, which is not a line.
        int count = lines.Length - (text.EndsWith('\n') ? 1 : 0);
        for (int n = 0; n < count; n++)
        {
            string raw = lines[n];
            if (raw.StartsWith('#')) continue;
            // Redis reads lines of at most 1024 bytes with fgets: a longer line, or a last line without its
            // newline, is refused.
            if (raw.Length >= 1024 || (n == count - 1 && !text.EndsWith('\n')))
                throw ManifestError(n + 1, null, "The AOF manifest file contains too long line");
            string line = raw.Trim(' ', '\t', '\r', '\n');
            if (line.Length == 0) throw ManifestError(n + 1, line, "Invalid AOF manifest file format");
            var bytes = Encoding.UTF8.GetBytes(line);
            var args = new CommandArgs();
            args.Reset(bytes);
            if (!RespParser.SplitArgs(bytes, 0, args) || args.Count < 6 || args.Count % 2 != 0)
                throw ManifestError(n + 1, line, "Invalid AOF manifest file format");
            string? name = null;
            long seq = 0;
            byte type = 0;
            for (int i = 0; i < args.Count; i += 2)
            {
                string key = Encoding.UTF8.GetString(args[i]);
                var value = args[i + 1];
                if (key.Equals("file", StringComparison.OrdinalIgnoreCase))
                {
                    name = Encoding.UTF8.GetString(value);
                    if (name.Contains('/')) throw ManifestError(n + 1, line, "File can't be a path, just a filename");
                }
                else if (key.Equals("seq", StringComparison.OrdinalIgnoreCase)) seq = AtoLL(value);
                else if (key.Equals("type", StringComparison.OrdinalIgnoreCase)) type = value.Length > 0 ? value[0] : (byte)0;
            }
            if (name == null || seq == 0 || type == 0) throw ManifestError(n + 1, line, "Invalid AOF manifest file format");
            switch ((AofFileType)type)
            {
                case AofFileType.Base:
                    if (m.Base != null) throw ManifestError(n + 1, line, "Found duplicate base file information");
                    m.Base = new AofFileInfo(name, seq, AofFileType.Base);
                    m.CurrentBaseSeq = seq;
                    break;
                case AofFileType.History:
                    m.History.Add(new AofFileInfo(name, seq, AofFileType.History));
                    break;
                case AofFileType.Incr:
                    if (seq <= maxSeq) throw ManifestError(n + 1, line, "Found a non-monotonic sequence number");
                    m.Incrs.Add(new AofFileInfo(name, seq, AofFileType.Incr));
                    m.CurrentIncrSeq = maxSeq = seq;
                    break;
                default:
                    throw ManifestError(n + 1, line, "Unknown AOF file type");
            }
        }
        return m;
    }

    /// <summary>atoll: optional sign and leading digits, 0 when there are none.</summary>
    private static long AtoLL(ReadOnlySpan<byte> s)
    {
        int i = 0;
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t') i++;
        bool negative = i < s.Length && s[i] == '-';
        if (i < s.Length && s[i] is (byte)'-' or (byte)'+') i++;
        long v = 0;
        for (; i < s.Length && s[i] >= '0' && s[i] <= '9'; i++) v = unchecked(v * 10 + (s[i] - '0'));
        return negative ? -v : v;
    }

    private static AofFatalException ManifestError(int lineNumber, string? line, string error)
    {
        var lines = new List<string> { "\n*** FATAL AOF MANIFEST FILE ERROR ***\n" };
        if (line != null)
        {
            lines.Add($"Reading the manifest file, at line {lineNumber}\n");
            lines.Add($">>> '{line}'\n");
        }
        lines.Add(error + "\n");
        return new AofFatalException(lines);
    }

    /// <summary>
    /// A new base file name (<c>appendonly.aof.N.base.rdb</c>, or <c>.aof</c> without the RDB preamble); the
    /// previous base becomes history.
    /// </summary>
    public string NewBaseName(string appendFilename, bool rdbPreamble)
    {
        if (Base != null) History.Insert(0, Base with { Type = AofFileType.History });
        CurrentBaseSeq++;
        string name = $"{appendFilename}.{CurrentBaseSeq.ToString(CultureInfo.InvariantCulture)}.base{(rdbPreamble ? ".rdb" : ".aof")}";
        Base = new AofFileInfo(name, CurrentBaseSeq, AofFileType.Base);
        Dirty = true;
        return name;
    }

    /// <summary>An old single-file AOF (Redis before 7) moved into the directory becomes the base, sequence 1.</summary>
    public void AdoptLegacyFile(string appendFilename)
    {
        Base = new AofFileInfo(appendFilename, 1, AofFileType.Base);
        CurrentBaseSeq = 1;
        Dirty = true;
    }

    /// <summary>A new incremental file name (<c>appendonly.aof.N.incr.aof</c>), added last.</summary>
    public string NewIncrName(string appendFilename)
    {
        CurrentIncrSeq++;
        string name = $"{appendFilename}.{CurrentIncrSeq.ToString(CultureInfo.InvariantCulture)}.incr.aof";
        Incrs.Add(new AofFileInfo(name, CurrentIncrSeq, AofFileType.Incr));
        Dirty = true;
        return name;
    }

    /// <summary>The incremental file to append to: the last one, or a new one when there is none.</summary>
    public string LastIncrName(string appendFilename) => Incrs.Count > 0 ? Incrs[^1].Name : NewIncrName(appendFilename);

    /// <summary>
    /// After a rewrite: the incremental files it covered become history, all but the last when
    /// <paramref name="keepLast"/> (the one being written to now).
    /// </summary>
    public void MarkRewrittenIncrsAsHistory(bool keepLast)
    {
        int covered = Incrs.Count - (keepLast && Incrs.Count > 0 ? 1 : 0);
        if (covered <= 0) return;
        // Newest first at the head of the history, as Redis walks the list from its tail.
        for (int i = covered - 1; i >= 0; i--) History.Insert(0, Incrs[i] with { Type = AofFileType.History });
        Incrs.RemoveRange(0, covered);
        Dirty = true;
    }

    /// <summary>Forgets the history files (deleted by the caller).</summary>
    public void ClearHistory()
    {
        if (History.Count == 0) return;
        History.Clear();
        Dirty = true;
    }

    /// <summary>Reads the manifest of <paramref name="dir"/>; null when the directory or the manifest does not exist.</summary>
    public static AofManifest? LoadFromDisk(string dir, string appendFilename)
    {
        string path = Path.Combine(dir, FileName(appendFilename));
        if (!Directory.Exists(dir) || !File.Exists(path)) return null;
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AofFatalException([$"Fatal error: can't open the AOF manifest file {path} for reading: {e.Message}"]);
        }
        return Parse(text);
    }

    /// <summary>
    /// Writes the manifest when it changed: a temporary file, fsynced, renamed over the manifest, then the
    /// directory fsynced so the rename and any new file in it survive a crash. Returns the error, or null.
    /// </summary>
    public string? Persist(string dir, string appendFilename)
    {
        if (!Dirty) return null;
        string name = FileName(appendFilename);
        string temp = Path.Combine(dir, TempPrefix + name);
        try
        {
            using (var fs = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                fs.Write(Encoding.UTF8.GetBytes(ToText()));
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, Path.Combine(dir, name), overwrite: true);
            AofFileSync.SyncDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Can't write the AOF manifest file {name}: {e.Message}";
        }
        Dirty = false;
        return null;
    }
}

/// <summary>A persistence error that stops the server at start-up, as Redis's exit(1): the log lines to write first.</summary>
public sealed class AofFatalException(IReadOnlyList<string> logLines) : Exception(string.Join(" ", logLines).Trim())
{
    public IReadOnlyList<string> LogLines { get; } = logLines;
}
