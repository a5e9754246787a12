namespace Cinnabar.Memory;

/// <summary>
/// The gate's deny-OOM question (Redis's performEvictions + the maxmemory check in processCommand):
/// before a command flagged deny-oom runs, free what the maxmemory-policy allows and say whether the
/// server is still over its limit. Called with the store lock held, once per such command.
/// </summary>
public interface IMemoryPolicy
{
    bool IsOverLimit(CinnabarServer server);
}
