using System.Text;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Randomized;

/// <summary>What one action of a step does on each server.</summary>
public enum ActKind
{
    /// <summary>Send a command and read its reply (compared unless the action says otherwise).</summary>
    Call,
    /// <summary>Send a command without reading (a blocking command whose reply comes later).</summary>
    Send,
    /// <summary>Read the reply of an earlier Send on that connection.</summary>
    Read,
    /// <summary>Wait until the connection's client is blocked, or its reply has arrived (each server on its own).</summary>
    AwaitBlocked,
    /// <summary>Iterate a SCAN-family cursor from the given args to 0; the reply is the sorted union of what was seen.</summary>
    ScanAll,
}

/// <summary>
/// One action of a step on connection <see cref="Conn"/> (0: the main connection, 1: a second client).
/// <see cref="Dynamic"/> builds the arguments from the replies so far (oracle's, Cinnabar's), e.g. to undo the
/// part of a random SPOP that differs; the placeholder <see cref="Step.ClientIdOfConn1"/> stands for each
/// server's own id of connection 1.
/// </summary>
public sealed record Act(ActKind Kind, int Conn, byte[][] Args, bool Compared = true,
    Func<IReadOnlyList<RespValue?>, IReadOnlyList<RespValue?>, byte[][]>? Dynamic = null)
{
    public override string ToString() => (Conn == 0 ? "" : $"[conn {Conn}] ") + Kind switch
    {
        ActKind.Call => RespValue.Quote(Args).Replace(RespValue.Quote([Gen.Bytes(Step.ClientIdOfConn1)]), "<id of conn 1>"),
        ActKind.Send => "send " + RespValue.Quote(Args),
        ActKind.Read => "read the reply",
        ActKind.AwaitBlocked => "wait until blocked (or answered)",
        _ => "scan to the end: " + RespValue.Quote(Args),
    } + (Dynamic != null ? " (arguments from the replies)" : "") + (Compared ? "" : " (not compared)");
}

/// <summary>
/// What a family produces: usually one command on the main connection (pipelined with its neighbours), else a
/// short script over two connections run in lock step on both servers, with an optional check over all its
/// replies (e.g. a random pick must be a member of the set the next command lists).
/// </summary>
public sealed class Step
{
    /// <summary>Replaced in arguments by the server's own client id of connection 1.</summary>
    public const string ClientIdOfConn1 = "\u0001conn1-id\u0001";

    public List<Act> Acts { get; } = [];

    /// <summary>Extra property check over the replies of every action (oracle's, Cinnabar's); null when they hold.</summary>
    public Func<IReadOnlyList<RespValue?>, IReadOnlyList<RespValue?>, string?>? Check { get; init; }

    /// <summary>A single command with no check: what mutations and MULTI bodies use.</summary>
    public bool IsSingle => Check == null && Acts.Count == 1 && IsSimple;

    /// <summary>True when every action is a compared call on the main connection: such steps are pipelined (their check runs after the batch).</summary>
    public bool IsSimple => Acts.All(a => a.Kind == ActKind.Call && a.Conn == 0 && a.Compared && a.Dynamic == null
        && !a.Args.Any(x => Encoding.Latin1.GetString(x).Contains(ClientIdOfConn1)));

    public static Step Of(IEnumerable<string> args) => new Step().Call(args);

    public Step Call(IEnumerable<string> args, int conn = 0, bool compared = true) => Add(ActKind.Call, args, conn, compared);
    public Step Send(IEnumerable<string> args, int conn = 1) => Add(ActKind.Send, args, conn, true);
    public Step Read(int conn = 1) => Add(ActKind.Read, [], conn, true);
    public Step AwaitBlocked(int conn = 1) => Add(ActKind.AwaitBlocked, [], conn, false);
    public Step ScanAll(IEnumerable<string> args, int conn = 0) => Add(ActKind.ScanAll, args, conn, true);

    public Step CallDynamic(Func<IReadOnlyList<RespValue?>, IReadOnlyList<RespValue?>, byte[][]> make, bool compared = false)
    {
        Acts.Add(new Act(ActKind.Call, 0, [], compared, make));
        return this;
    }

    private Step Add(ActKind kind, IEnumerable<string> args, int conn, bool compared)
    {
        Acts.Add(new Act(kind, conn, args.Select(Gen.Bytes).ToArray(), compared));
        return this;
    }

    /// <summary>The commands a step sends (for the per-command counts), dynamic ones excluded.</summary>
    public IEnumerable<byte[][]> Commands => Acts.Where(a => a.Kind is ActKind.Call or ActKind.Send or ActKind.ScanAll && a.Args.Length > 0).Select(a => a.Args);

    public override string ToString() => string.Join("\n", Acts);
}
