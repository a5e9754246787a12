using System.Globalization;

namespace Cinnabar.Memory;

/// <summary>The process's own memory figures, as the system reports them.</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size in bytes: the second field of /proc/self/statm, in pages.</summary>
    public static long ResidentSetBytes()
    {
        try
        {
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            if (fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long pages))
                return pages * Environment.SystemPageSize;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Environment.WorkingSet;
    }
}
