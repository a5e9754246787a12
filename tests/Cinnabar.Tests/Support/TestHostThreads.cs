using System.Runtime.CompilerServices;

namespace Cinnabar.Tests.Support;

/// <summary>
/// The servers these tests start run in the test host, and their connections are carried by the host's thread
/// pool, whose minimum is the core count (2 in CI). Tests that block pool threads (clients waiting in Task.Run,
/// a long save) would leave every in-process server waiting for the pool to grow, one thread at a time, and a
/// reply could miss a test's read timeout: spare threads from the start, as the differential harness has.
/// </summary>
internal static class TestHostThreads
{
    [ModuleInitializer]
    internal static void Reserve()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}
