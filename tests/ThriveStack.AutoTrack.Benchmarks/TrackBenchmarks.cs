using BenchmarkDotNet.Attributes;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// The cost of <c>Track</c> on the request path: validate, stamp, enqueue. The dispatcher is not running, and the queue
/// is emptied between iterations, outside the measurement, so every call takes the accepted path.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(Invocations)]
public class TrackBenchmarks
{
    private const int Invocations = 64;
    private const int PerInvoke = 1024;
    private const int Threads = 8;

    private ThriveStackTracker _tracker = null!;
    private EventDispatcher _dispatcher = null!;
    private ThriveStackEvent _event = null!;
    private ThriveStackEvent[] _perThread = [];

    [GlobalSetup]
    public void Setup()
    {
        (_tracker, _dispatcher) = BenchmarkTracker.Create(maxQueueSize: Invocations * PerInvoke * Threads + 1);
        _event = NewEvent();
        // One event per producer: a shared instance would make every thread write the same object (false sharing).
        _perThread = Enumerable.Range(0, Threads).Select(_ => NewEvent()).ToArray();
    }

    private static ThriveStackEvent NewEvent()
    {
        var e = new ThriveStackEvent("report_exported", "18f716ac-37a4-464f-adb7-3cc30032308c")
            .WithProperty(ReservedProperties.FeatureName, "export_report")
            .WithProperty(ReservedProperties.FeatureType, "core")
            .WithProperty(ReservedProperties.UserRole, "admin");
        e.GetOrCreateContext().GroupId = "ac8db7ba-5139-4911-ba6e-523fd9c4704b";
        return e;
    }

    [IterationCleanup]
    public void Drain() => _dispatcher.DrainForBenchmark();

    /// <summary>One producer: an event with three properties and a group.</summary>
    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public bool Track_OneThread()
    {
        var accepted = false;
        for (var i = 0; i < PerInvoke; i++)
            accepted = _tracker.Track(_event);
        return accepted;
    }

    /// <summary>Eight producers at once on this machine's cores.</summary>
    [Benchmark(OperationsPerInvoke = PerInvoke * Threads)]
    public void Track_EightThreads()
        => Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            var e = _perThread[t];
            for (var i = 0; i < PerInvoke; i++)
                _tracker.Track(e);
        });
}
