using Cinnabar.Storage;

namespace Cinnabar;

public enum ReplyMode { On, Off, Skip, SkipNext }

/// <summary>The state of one client: identity, selected database, authentication, flags and counters.</summary>
public sealed class Client
{
    public Client(long id, Database db)
    {
        Id = id;
        Db = db;
    }

    public long Id { get; }
    public string? Name { get; set; }
    public Database Db { get; set; }
    /// <summary>The AOF offset right after this client's last command that wrote (Redis's woff, for WAITAOF).</summary>
    public long AofWriteOffset { get; set; }
    public bool Authenticated { get; set; }
    public string User { get; set; } = "default";
    public string? LibName { get; set; }
    public string? LibVersion { get; set; }
    public string Address { get; set; } = "";
    public string LocalAddress { get; set; } = "";
    public long CreatedMs { get; set; }
    public long LastInteractionMs { get; set; }
    public string LastCommand { get; set; } = "NULL";
    public ReplyMode ReplyMode { get; set; } = ReplyMode.On;
    public bool NoEvict { get; set; }
    public bool NoTouch { get; set; }
    /// <summary>Close the connection once pending replies are written (QUIT, protocol errors, CLIENT KILL).</summary>
    public bool CloseAfterReply { get; set; }
    /// <summary>Close immediately without writing pending replies.</summary>
    public bool KillRequested { get; set; }
    /// <summary>The network side of the client; null for clients without a socket (scripts, AOF loading).</summary>
    public Networking.Connection? Connection { get; set; }
    /// <summary>
    /// The context the client's own commands run in (its connection's, or a <see cref="Commands.LocalClient"/>'s);
    /// a parked command is served in it. Null for clients that can never park (a script's caller).
    /// </summary>
    public Commands.CommandContext? Context { get; set; }
    /// <summary>Channels and patterns this client subscribed to; null until its first subscription.</summary>
    public PubSub.Subscriptions? Subscriptions { get; set; }
    /// <summary>Set between MULTI and EXEC/DISCARD.</summary>
    public Transactions.MultiState? Multi { get; set; }
    /// <summary>A watched key changed: the next EXEC fails.</summary>
    public bool WatchDirty { get; set; }
    /// <summary>Set while the client is parked by a blocking command.</summary>
    public Blocking.BlockedState? Blocked { get; set; }
    public int Protocol => Connection?.Writer.Protocol ?? 2;

    // Counters shown by CLIENT LIST / CLIENT INFO.
    public long QueryBufferLength;
    /// <summary>Replies queued and not yet sent.</summary>
    public long OutputBufferLength => Connection?.PendingOutput ?? 0;
    public long TotalCommands;
    /// <summary>Pub/sub subscribers and blocked clients are never closed by the idle timeout, as in Redis.</summary>
    public bool IsExemptFromTimeout => Blocked != null || Subscriptions?.Any == true || Connection?.IsPostponed == true;
    /// <summary>RESP2 clients with subscriptions may only run (un)subscribe commands, PING, QUIT and RESET.</summary>
    public bool InResp2SubscribedMode => Subscriptions?.Any == true && Protocol == 2;
}
