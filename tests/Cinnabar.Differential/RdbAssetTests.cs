using Cinnabar.Config;
using Cinnabar.Differential.Support;
using Cinnabar.Persistence;
using Xunit.Abstractions;

namespace Cinnabar.Differential;

/// <summary>
/// Old RDB files written by Redis itself (rdb-assets/README.md: versions 3 to 10, zipmap, ziplist, intset,
/// linked lists, quicklist 1, empty keys, a damaged ziplist) load in Cinnabar exactly as in redis-server:
/// the same DEBUG DIGEST, or refused by both.
/// </summary>
[Collection(DiffCollection.Name)]
public sealed class RdbAssetTests(DiffEnvironment env, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cinnabar-rdb-assets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Assets() => new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "rdb-assets"), "*.rdb").Select(Path.GetFileName)!);

    [SkippableTheory]
    [MemberData(nameof(Assets))]
    public void LoadsAsRedisLoadsIt(string asset)
    {
        env.RequireOracle();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "rdb-assets", asset), Path.Combine(_dir, asset));
        string? redisDigest = null;
        try
        {
            using var redis = OracleServer.Start(OracleServer.FindExecutable()!, "--dir", _dir, "--dbfilename", asset);
            using var c = new RespConnection(redis.Port);
            redisDigest = c.Call("DEBUG", "DIGEST").Text;
        }
        catch (InvalidOperationException)
        {
            // redis-server refused the file (it exits at start).
        }

        var config = ConfigLoader.FromArgs(["--port", "0", "--bind", "127.0.0.1", "--enable-debug-command", "yes"], out var error)
            ?? throw new InvalidOperationException(error);
        using var cinnabar = new CinnabarServer(config).Start();
        try
        {
            using (cinnabar.Gate.EnterScope())
            using (var file = File.OpenRead(Path.Combine(_dir, asset)))
            {
                var result = new RdbLoading(cinnabar).Load(file, skipExpired: true);
                output.WriteLine($"RDB version {result.Version}: {result.Keys} keys, {result.EmptySkipped} empty skipped");
            }
        }
        catch (RdbFormatException e)
        {
            output.WriteLine("refused: " + e.Message);
            Assert.True(redisDigest == null, $"redis-server loads {asset}, Cinnabar refused it: {e.Message}");
            return;
        }
        Assert.True(redisDigest != null, $"redis-server refuses {asset}, Cinnabar loaded it");
        using var cc = new RespConnection(cinnabar.Port);
        Assert.Equal(redisDigest, cc.Call("DEBUG", "DIGEST").Text);
    }
}
