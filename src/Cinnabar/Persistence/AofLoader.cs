using System.Diagnostics;
using System.Globalization;
using Cinnabar.Commands;
using Cinnabar.Protocol;
using Cinnabar.Transactions;

namespace Cinnabar.Persistence;

/// <summary>How loading one AOF file (or all of them) ended, as Redis's AOF_OK ... AOF_TRUNCATED.</summary>
public enum AofLoadResult { Ok, NotExist, Empty, OpenError, Failed, Truncated }

/// <summary>
/// Replays an AOF directory at start-up (Redis's loadAppendOnlyFiles / loadSingleAppendOnlyFile): the base
/// file, then the incremental files in manifest order, each command run through <see cref="Dispatcher.Call"/>
/// by a client of its own with <see cref="CallFlags.Loading"/>. MULTI ... EXEC is queued and run at EXEC, so a
/// transaction the file ends inside is dropped whole. A torn last command (the file ends inside it) is cut off
/// with Redis's warnings when aof-load-truncated is yes, and refuses the start otherwise; anything else that is
/// not a command refuses the start with a message naming the file and the offset.
/// Runs with the store lock held, as the RDB load does: <see cref="LoadingState"/> shows the progress over all
/// the files, and at start every 2 MB read the lock is let go a moment so clients get -LOADING meanwhile.
/// </summary>
public sealed class AofLoader
{
    private const int ChunkSize = 1 << 20;
    private readonly CinnabarServer _server;
    private readonly string _dir;
    private readonly CommandContext _ctx;
    private readonly RespWriter _replies = new(4096);
    /// <summary>Bytes of the files already loaded, so progress counts over all of them.</summary>
    private long _loadedBefore;

    /// <summary>The store lock, let go between slices at start; null loads in one hold (DEBUG LOADAOF, a client's command).</summary>
    private readonly Lock? _sliceGate;

    public AofLoader(CinnabarServer server, string dir, Lock? sliceGate)
    {
        _server = server;
        _dir = dir;
        _sliceGate = sliceGate;
        var client = new Client(server.NextClientId(), server.Databases[0]) { Authenticated = true, Address = "aof", CreatedMs = server.NowMs };
        _ctx = new CommandContext(server, client, _replies);
        client.Context = _ctx;
    }

    /// <summary>Bytes of the base file, for aof_base_size.</summary>
    public long BaseSize { get; private set; }

    /// <summary>All the files' bytes, for aof_current_size.</summary>
    public long TotalSize { get; private set; }

    /// <summary>
    /// Loads every file of <paramref name="manifest"/> in order; logs each as Redis does. Begins the server's
    /// <see cref="LoadingState"/> over the files' total size; the caller ends it once the AOF is open for appending,
    /// so no client write slips between the load and the file that must record it.
    /// </summary>
    public AofLoadResult LoadAll(AofManifest manifest)
    {
        var log = _server.Log;
        if (manifest.Base == null && manifest.Incrs.Count == 0) return AofLoadResult.NotExist;
        var files = new List<AofFileInfo>();
        if (manifest.Base != null) files.Add(manifest.Base);
        files.AddRange(manifest.Incrs);
        long total = 0;
        foreach (var f in files)
        {
            var info = new FileInfo(Path.Combine(_dir, f.Name));
            if (!info.Exists)
            {
                // A file the manifest names but the disk lacks is fatal.
                log.Warning($"Unable to obtain the AOF file {f.Name} length. stat: No such file or directory");
                return AofLoadResult.Failed;
            }
            total += info.Length;
        }
        if (total == 0) return AofLoadResult.Empty;

        _server.LoadingState.Begin(total);
        var result = AofLoadResult.Ok;
        for (int i = 0; i < files.Count; i++)
        {
            var file = files[i];
            bool last = i == files.Count - 1;
            bool isBase = file.Type == AofFileType.Base;
            long start = Stopwatch.GetTimestamp();
            result = LoadFile(file.Name);
            if (result == AofLoadResult.Ok || (result == AofLoadResult.Truncated && last))
                log.Notice($"DB loaded from {(isBase ? "base" : "incr")} file {file.Name}: {Seconds(start)} seconds");
            if (isBase) BaseSize = new FileInfo(Path.Combine(_dir, file.Name)).Length;
            // An empty incremental file is fine when another file holds data.
            if (result == AofLoadResult.Empty && !isBase) result = AofLoadResult.Ok;
            if (result == AofLoadResult.Truncated && !last)
            {
                log.Warning("Fatal error: the truncated file is not the last file");
                result = AofLoadResult.Failed;
            }
            if (result is AofLoadResult.OpenError or AofLoadResult.Failed) return result;
            _loadedBefore += new FileInfo(Path.Combine(_dir, file.Name)).Length;
        }
        // Sizes after a truncation are the files' sizes now.
        TotalSize = files.Sum(f => new FileInfo(Path.Combine(_dir, f.Name)).Length);
        return result;
    }

    internal static string Seconds(long startTimestamp) =>
        Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Replays one file (loadSingleAppendOnlyFile).</summary>
    public AofLoadResult LoadFile(string name)
    {
        var log = _server.Log;
        string path = Path.Combine(_dir, name);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            log.Warning($"The append log file {name} doesn't exist: No such file or directory");
            return AofLoadResult.NotExist;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Fatal error: can't open the append log file {name} for reading: {e.Message}");
            return AofLoadResult.OpenError;
        }
        using (stream)
        {
            if (stream.Length == 0) return AofLoadResult.Empty;
            var reader = new Chunks(stream);
            if (reader.Fill(5) >= 5 && reader.Buffer.AsSpan(0, 5).SequenceEqual("REDIS"u8))
            {
                // An RDB base (aof-use-rdb-preamble), possibly followed by commands (the single-file layout of
                // Redis 4 to 6, whose RDB preamble is followed by the AOF tail).
                bool oldStyle = name == _server.Config.AppendFilename;
                log.Notice(oldStyle ? "Reading RDB preamble from AOF file..." : "Reading RDB base file on AOF loading...");
                stream.Position = 0;
                try
                {
                    var loaded = new RdbLoading(_server) { OnProgress = Step }.Load(stream, skipExpired: false);
                    log.Notice($"Done loading RDB, keys loaded: {loaded.Keys}, keys expired: 0.");
                    stream.Position = loaded.Bytes;
                }
                catch (RdbFormatException e)
                {
                    log.Warning(oldStyle
                        ? $"Error reading the RDB preamble of the AOF file {name}, AOF loading aborted: {e.Message}"
                        : $"Error reading the RDB base file {name}, AOF loading aborted: {e.Message}");
                    return AofLoadResult.Failed;
                }
                if (oldStyle) log.Notice("Reading the remaining AOF tail...");
                reader = new Chunks(stream);
            }
            return Replay(name, path, stream, reader);
        }
    }

    private AofLoadResult Replay(string name, string path, FileStream stream, Chunks reader)
    {
        var log = _server.Log;
        var client = _ctx.Client;
        var args = _ctx.Args;
        long validUpTo = reader.Origin, validBeforeMulti = reader.Origin;
        bool truncated = false;
        string? formatError = null;
        while (true)
        {
            if (reader.Available == 0 && reader.Fill(1) == 0) break;
            byte first = reader.Buffer[reader.Start];
            if (first == '#')
            {
                // An annotation (#TS:...): skipped to its newline; an unterminated one at the very end is fine.
                int nl;
                while ((nl = reader.Buffer.AsSpan(reader.Start, reader.Available).IndexOf((byte)'\n')) < 0)
                {
                    if (reader.Fill(reader.Available + 1) <= reader.Available) break;
                }
                if (nl < 0)
                {
                    reader.Consume(reader.Available);
                    break;
                }
                reader.Consume(nl + 1);
                continue;
            }
            if (first != '*')
            {
                formatError = "not a command";
                break;
            }
            var parsed = ParseCommand(reader, args, out string? error);
            if (parsed == ParseResult.Incomplete)
            {
                truncated = true;
                break;
            }
            if (parsed == ParseResult.Error || args.Count == 0)
            {
                formatError = error ?? "empty command";
                break;
            }
            var def = Resolve(args);
            if (def == null)
            {
                log.Warning($"Unknown command '{Dispatcher.Printable(args[0], 128)}' reading the append only file {name}");
                return AofLoadResult.Failed;
            }
            if ((def.Arity > 0 && args.Count != def.Arity) || args.Count < -def.Arity)
            {
                formatError = $"wrong number of arguments for '{def.DisplayName}'";
                break;
            }
            if (def.Name == "MULTI") validBeforeMulti = validUpTo;
            if (client.Multi != null && def.Name != "EXEC")
                client.Multi.Queue.Add(new QueuedCommand(def, args.ToArrays()));
            else
                Dispatcher.Call(_ctx, def, CallFlags.Loading);
            _replies.Clear();
            validUpTo = reader.Offset;
            Step(validUpTo);
        }

        if (formatError != null)
        {
            log.Warning($"Bad file format reading the append only file {name} at offset {validUpTo} ({formatError}): "
                + "make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
            client.Multi = null;
            return AofLoadResult.Failed;
        }
        if (!truncated && client.Multi != null)
        {
            // A transaction without its EXEC: treated as a short read, the file cut where it began.
            log.Warning($"Revert incomplete MULTI/EXEC transaction in AOF file {name}");
            validUpTo = validBeforeMulti;
            truncated = true;
        }
        else if (truncated && client.Multi != null)
        {
            validUpTo = validBeforeMulti;
        }
        client.Multi = null;
        if (!truncated) return AofLoadResult.Ok;

        if (_server.Config.AofLoadTruncated)
        {
            log.Warning($"!!! Warning: short read while loading the AOF file {name}!!!");
            log.Warning($"!!! Truncating the AOF {name} at offset {validUpTo} !!!");
            try
            {
                stream.SetLength(validUpTo);
                stream.Flush(flushToDisk: true);
                log.Warning($"AOF {name} loaded anyway because aof-load-truncated is enabled");
                return AofLoadResult.Truncated;
            }
            catch (IOException e)
            {
                log.Warning($"Error truncating the AOF file {name}: {e.Message}");
            }
        }
        log.Warning($"Unexpected end of file reading the append only file {name} at offset {validUpTo}. You can: "
            + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
            + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
        return AofLoadResult.Failed;
    }

    /// <summary>Progress at <paramref name="position"/> in the current file; clients are let in between slices.</summary>
    private void Step(long position) => _server.LoadingState.Step(_loadedBefore + position, _sliceGate);

    /// <summary>Parses the command at the reader's position, reading more of the file as it needs.</summary>
    private ParseResult ParseCommand(Chunks reader, CommandArgs args, out string? error)
    {
        var progress = new ParseProgress();
        while (true)
        {
            var result = RespParser.TryParse(reader.Buffer, reader.Start, reader.End, args, true, long.MaxValue,
                ref progress, out int consumed, out long needed, out error);
            if (result != ParseResult.Incomplete)
            {
                if (result == ParseResult.Command) reader.Consume(consumed);
                return result == ParseResult.Command ? result : ParseResult.Error;
            }
            // needed is the buffer index the command's end must reach (0 when unknown): counted from its start here.
            int want = (int)Math.Min(int.MaxValue - 64, Math.Max(needed - reader.Start, reader.Available + 1));
            if (reader.Fill(want) < want) return ParseResult.Incomplete;
        }
    }

    private CommandDef? Resolve(CommandArgs args)
    {
        var def = _server.Commands.Find(args[0]);
        if (def?.Subcommands != null && args.Count >= 2) def = def.FindSubcommand(args[1]);
        return def?.Handler == null ? null : def;
    }

    /// <summary>A window over the file: bytes [Start, End) of <see cref="Buffer"/> are the file from <see cref="Offset"/> on.</summary>
    private sealed class Chunks(FileStream stream)
    {
        public byte[] Buffer = new byte[ChunkSize];
        public int Start, End;
        /// <summary>The file offset where this window's reading began (after an RDB preamble).</summary>
        public readonly long Origin = stream.Position;
        private long _consumedBefore;

        public int Available => End - Start;
        public long Offset => Origin + _consumedBefore + Start;

        public void Consume(int n) => Start += n;

        /// <summary>Reads until at least <paramref name="want"/> bytes are available or the file ends; returns how many are.</summary>
        public int Fill(int want)
        {
            if (Available >= want) return Available;
            if (Start > 0)
            {
                System.Buffer.BlockCopy(Buffer, Start, Buffer, 0, Available);
                _consumedBefore += Start;
                End -= Start;
                Start = 0;
            }
            if (want > Buffer.Length) Array.Resize(ref Buffer, Math.Max(want, Buffer.Length * 2));
            while (End < want)
            {
                int n = stream.Read(Buffer, End, Buffer.Length - End);
                if (n == 0) break;
                End += n;
            }
            return Available;
        }
    }
}
