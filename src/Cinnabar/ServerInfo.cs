namespace Cinnabar;

public static class ServerInfo
{
    /// <summary>The Redis version Cinnabar reports, so version-checking clients accept it.</summary>
    public const string RedisVersion = "7.2.4";
    public const string Version = "0.1.0";
}
