namespace Cinnabar.Config;

/// <summary>Every configuration directive Cinnabar knows, with Redis's names, defaults and ranges.</summary>
public static class ConfigDirectives
{
    public static IEnumerable<ConfigEntry> All()
    {
        yield return new ConfigEntry { Name = "port", Kind = ConfigKind.Integer, Default = "6379", Min = 0, Max = 65535, Mutable = false,
            Apply = (c, v) => c.Port = (int)ServerConfig.ParseLong(v) };
        yield return new ConfigEntry { Name = "bind", Kind = ConfigKind.String, Default = "127.0.0.1 -::1", Mutable = false,
            Apply = (c, v) => c.Bind = v.Split(' ', StringSplitOptions.RemoveEmptyEntries) };
        yield return new ConfigEntry { Name = "databases", Kind = ConfigKind.Integer, Default = "16", Min = 1, Max = int.MaxValue, Mutable = false,
            Apply = (c, v) => c.Databases = (int)ServerConfig.ParseLong(v) };
        yield return new ConfigEntry { Name = "requirepass", Kind = ConfigKind.String, Default = "", Sensitive = true,
            Apply = (c, v) => c.RequirePass = v.Length == 0 ? null : v };
        yield return new ConfigEntry { Name = "maxclients", Kind = ConfigKind.Integer, Default = "10000", Min = 1, Max = int.MaxValue,
            Apply = (c, v) => c.MaxClients = (int)ServerConfig.ParseLong(v) };
        yield return new ConfigEntry { Name = "timeout", Kind = ConfigKind.Integer, Default = "0", Min = 0, Max = int.MaxValue,
            Apply = (c, v) => c.TimeoutSeconds = ServerConfig.ParseLong(v) };
        yield return new ConfigEntry { Name = "tcp-keepalive", Kind = ConfigKind.Integer, Default = "300", Min = 0, Max = int.MaxValue,
            Apply = (c, v) => c.TcpKeepAlive = ServerConfig.ParseLong(v) };
        yield return new ConfigEntry { Name = "proto-max-bulk-len", Kind = ConfigKind.Memory, Default = "536870912", Min = 1024 * 1024, Max = long.MaxValue,
            Apply = (c, v) => c.ProtoMaxBulkLen = ServerConfig.ParseLong(v) };
        yield return new ConfigEntry { Name = "client-query-buffer-limit", Kind = ConfigKind.Memory, Default = "1073741824", Min = 1024 * 1024, Max = long.MaxValue,
            Apply = (c, v) => c.ClientQueryBufferLimit = ServerConfig.ParseLong(v) };
        yield return new ConfigEntry { Name = "hz", Kind = ConfigKind.Integer, Default = "10", Min = 0, Max = int.MaxValue,
            Apply = (c, v) => c.Hz = Math.Clamp((int)ServerConfig.ParseLong(v), 1, 500) };
        yield return new ConfigEntry { Name = "maxmemory", Kind = ConfigKind.Memory, Default = "0", Min = 0, Max = long.MaxValue,
            Apply = (c, v) => c.MaxMemory = ServerConfig.ParseLong(v) };
        yield return new ConfigEntry { Name = "maxmemory-policy", Kind = ConfigKind.Enum, Default = "noeviction",
            EnumValues = ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"],
            Apply = (c, v) => c.MaxMemoryPolicy = v };
        yield return new ConfigEntry { Name = "notify-keyspace-events", Kind = ConfigKind.String, Default = "",
            Normalize = PubSub.KeyspaceEvents.Normalize,
            Apply = (c, v) => c.KeyspaceEventFlags = PubSub.KeyspaceEvents.Parse(v) };
        // DEBUG is refused unless enabled ("local": only from loopback connections), as in Redis 7.
        yield return new ConfigEntry { Name = "enable-debug-command", Kind = ConfigKind.Enum, Default = "no", Mutable = false,
            EnumValues = ["no", "yes", "local"] };
    }
}
