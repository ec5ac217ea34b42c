using BenchmarkDotNet.Attributes;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// <c>Track</c> as an app calls it, with the dispatcher running (batching, serializing and posting to a no-op transport
/// on its own loops, as in an app): an event built fresh on each call (a name, three properties, user and group ids),
/// and a pre-built one. The delivery-pipeline issue's budgets: ≤ 300 ns fresh, ≤ 100 ns and 0 B pre-built.
/// </summary>
/// <remarks>
/// Each iteration is one burst of <see cref="PerInvoke"/> events, and the pipeline delivers them all before the next
/// (<see cref="Settle"/>, not timed), as an app's traffic leaves it time to. Without that pause a tight loop tracks
/// faster than any pipeline delivers: the queue grows, batches spill to the SQLite spool, and the figure measures
/// overload (the spool's and the promoted events' allocations), not what a call costs the app.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn] // the budget for a fresh event is a median
[InvocationCount(1, 1)]
public class TrackInAppBenchmarks
{
    private const int PerInvoke = 1024;

    private ThriveStackTracker _tracker = null!;
    private EventDispatcher _dispatcher = null!;
    private ThriveStackEvent _prebuilt = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A queue large enough that the running dispatcher keeps up: every call takes the accepted path.
        (_tracker, _dispatcher) = BenchmarkTracker.Create(maxQueueSize: 1_000_000);
        _dispatcher.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _prebuilt = Fresh(0);

        // With one invocation per iteration, BenchmarkDotNet's own warm-up calls each path too few times for the JIT's
        // tiering to finish: run all three paths for a while first, with pauses for the background compiler.
        for (var round = 0; round < 20; round++)
        {
            Track_FreshEvent();
            Track_TypedStandardEvent();
            Track_PrebuiltEvent();
            Settle();
            Thread.Sleep(round % 5 == 4 ? 200 : 0);
        }
    }

    /// <summary>After each burst: wait until the pipeline has delivered it.</summary>
    [IterationCleanup]
    public void Settle() => _tracker.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _dispatcher.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _dispatcher.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static ThriveStackEvent Fresh(int i)
    {
        var e = new ThriveStackEvent("report_exported", "18f716ac-37a4-464f-adb7-3cc30032308c")
        {
            Properties = new Dictionary<string, object?>(3)
            {
                ["format"] = "csv",
                ["rows"] = 1200 + i,
                ["scheduled"] = false,
            },
        };
        e.GetOrCreateContext().GroupId = "ac8db7ba-5139-4911-ba6e-523fd9c4704b";
        return e;
    }

    /// <summary>Built fresh on each call, then tracked.</summary>
    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public bool Track_FreshEvent()
    {
        var accepted = false;
        for (var i = 0; i < PerInvoke; i++)
            accepted = _tracker.Track(Fresh(i));
        return accepted;
    }

    /// <summary>A typed standard event built fresh on each call (the issue: the same budget as <c>Track</c>).</summary>
    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public bool Track_TypedStandardEvent()
    {
        var accepted = false;
        for (var i = 0; i < PerInvoke; i++)
        {
            accepted = _tracker.Track(new FeatureUsedEvent
            {
                UserId = "18f716ac-37a4-464f-adb7-3cc30032308c",
                GroupId = "ac8db7ba-5139-4911-ba6e-523fd9c4704b",
                FeatureName = "export_report",
                FeatureType = FeatureTypes.Core,
                UserRole = "admin",
            });
        }
        return accepted;
    }

    /// <summary>The same instance each call (the request path's own cost: validate, stamp, enqueue).</summary>
    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public bool Track_PrebuiltEvent()
    {
        var accepted = false;
        for (var i = 0; i < PerInvoke; i++)
            accepted = _tracker.Track(_prebuilt);
        return accepted;
    }
}
