using System.Globalization;
using System.Text;
using Cinnabar.Observability;

namespace Cinnabar.Commands.Families;

/// <summary>
/// LATENCY: the latency monitor's events (fed by the Call seam and the expire cycle) and the per-command
/// histograms of INFO latencystats; replies, texts and errors as Redis 7.0.15 gives them. Event names are
/// C strings in Redis (looked up up to a NUL byte), hence <see cref="CommandContext.ArgText"/>.
/// </summary>
public static class LatencyCommands
{
    [RedisCommand("LATENCY LATEST")]
    public static void Latest(CommandContext ctx)
    {
        var events = ctx.Server.Latency.Events.ToList();
        ctx.Reply.WriteArrayHeader(events.Count);
        foreach (var (name, series) in events)
        {
            ctx.Reply.WriteArrayHeader(4);
            ctx.Reply.WriteBulk(name);
            ctx.Reply.WriteInteger(series.Times[series.Last]);
            ctx.Reply.WriteInteger(series.Latencies[series.Last]);
            ctx.Reply.WriteInteger(series.Max);
        }
    }

    [RedisCommand("LATENCY HISTORY")]
    public static void History(CommandContext ctx)
    {
        var series = ctx.Server.Latency.Find(ctx.ArgText(2));
        var samples = series == null ? [] : LatencyMonitor.Samples(series).ToList();
        ctx.Reply.WriteArrayHeader(samples.Count);
        foreach (var (time, latency) in samples)
        {
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteInteger(time);
            ctx.Reply.WriteInteger(latency);
        }
    }

    [RedisCommand("LATENCY RESET")]
    public static void Reset(CommandContext ctx)
    {
        var latency = ctx.Server.Latency;
        if (ctx.ArgCount == 2)
        {
            ctx.Reply.WriteInteger(latency.Reset(null));
            return;
        }
        int resets = 0;
        for (int i = 2; i < ctx.ArgCount; i++) resets += latency.Reset(ctx.ArgText(i));
        ctx.Reply.WriteInteger(resets);
    }

    private const int GraphColumns = 80, GraphRows = 4;

    /// <summary>
    /// An ASCII graph of an event's samples: a header with the high and low of the samples kept and the
    /// all-time high, a line of 80 dashes, then the sparkline labelled with how long ago each sample was taken.
    /// </summary>
    [RedisCommand("LATENCY GRAPH")]
    public static void Graph(CommandContext ctx)
    {
        string name = ctx.ArgText(2);
        var series = ctx.Server.Latency.Find(name);
        if (series == null)
        {
            ctx.Error($"ERR No samples available for event '{name}'");
            return;
        }
        var samples = LatencyMonitor.Samples(series).ToList(); // a series exists from its first sample on
        var sparkline = new Sparkline();
        long now = LatencyMonitor.NowSeconds;
        foreach (var (time, latency) in samples) sparkline.Add(latency, Ago((int)(now - time)));
        var graph = new StringBuilder();
        graph.Append(CultureInfo.InvariantCulture,
            $"{name} - high {samples.Max(s => s.Latency)} ms, low {samples.Min(s => s.Latency)} ms (all time high {series.Max} ms)\n");
        graph.Append('-', GraphColumns).Append('\n');
        sparkline.Render(graph, GraphColumns, GraphRows);
        ctx.Reply.WriteVerbatim(graph.ToString());
    }

    /// <summary>"12s", "5m", "3h", "2d": the largest whole unit, as Redis labels the graph's columns.</summary>
    private static string Ago(int seconds) => seconds switch
    {
        < 60 => seconds.ToString(CultureInfo.InvariantCulture) + "s",
        < 3600 => (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m",
        < 3600 * 24 => (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h",
        _ => (seconds / (3600 * 24)).ToString(CultureInfo.InvariantCulture) + "d",
    };

    [RedisCommand("LATENCY DOCTOR")]
    public static void Doctor(CommandContext ctx) => ctx.Reply.WriteVerbatim(LatencyReport.Create(ctx.Server));

    /// <summary>
    /// Per command with a latency histogram: {calls, histogram_usec: {µs bucket: cumulative count}}. With no
    /// names, every command and subcommand that has one; with names ("get", "config|get", or a container for
    /// all its subcommands), those, in the order given, repeats included and unknown names skipped, as Redis.
    /// Redis lists commands in its hash-table order; Cinnabar in name order.
    /// </summary>
    [RedisCommand("LATENCY HISTOGRAM")]
    public static void Histogram(CommandContext ctx)
    {
        var table = ctx.Server.Commands;
        var stats = ctx.Server.CommandStatistics;
        var listed = new List<(CommandDef Command, LatencyHistogram Histogram)>();
        void AddWithSubcommands(CommandDef def)
        {
            if (stats[def].Latency is { } own) listed.Add((def, own));
            foreach (var sub in CommandInfoWriter.SortedSubcommands(def))
                if (stats[sub].Latency is { } histogram) listed.Add((sub, histogram));
        }
        if (ctx.ArgCount == 2)
        {
            foreach (var def in table.Commands.OrderBy(d => d.Name, StringComparer.Ordinal)) AddWithSubcommands(def);
        }
        else
        {
            for (int i = 2; i < ctx.ArgCount; i++)
                if (table.FindByFullName(ctx.ArgString(i)) is { } def) AddWithSubcommands(def);
        }

        var reply = ctx.Reply;
        reply.WriteMapHeader(listed.Count);
        foreach (var (def, histogram) in listed)
        {
            reply.WriteBulk(def.DisplayName);
            reply.WriteMapHeader(2);
            reply.WriteBulk("calls");
            reply.WriteInteger(histogram.TotalCount);
            reply.WriteBulk("histogram_usec");
            var steps = histogram.CumulativeDistribution();
            reply.WriteMapHeader(steps.Count);
            foreach (var (micros, count) in steps)
            {
                reply.WriteInteger(micros);
                reply.WriteInteger(count);
            }
        }
    }

    [RedisCommand("LATENCY HELP")]
    public static void Help(CommandContext ctx)
    {
        string[] lines =
        [
            "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are replied.",
            "HELP",
            "    Prints this help.",
        ];
        ctx.WriteHelp(lines);
    }
}
