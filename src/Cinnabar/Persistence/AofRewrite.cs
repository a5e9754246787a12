using System.Globalization;
using System.Text;

namespace Cinnabar.Persistence;

/// <summary>Writing AOF base files.</summary>
public static class AofRewrite
{
    /// <summary>
    /// An AOF-format base of the data set (rewriteAppendOnlyFile without the RDB preamble): a <c>#TS:</c>
    /// annotation first when aof-timestamp-enabled. Only an empty data set can be written this way for now
    /// (the base created at start-up); rebuilding keys as commands comes with AOF rewriting.
    /// </summary>
    public static void WriteAofBase(CinnabarServer server, Stream output)
    {
        foreach (var db in server.Databases)
            if (db.Count > 0) throw new InvalidOperationException("an AOF-format base of a non-empty data set needs AOF rewriting");
        if (server.Config.AofTimestampEnabled)
            output.Write(Encoding.ASCII.GetBytes("#TS:" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "\r\n"));
    }
}
