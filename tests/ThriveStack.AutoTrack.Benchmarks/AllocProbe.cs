using System.Diagnostics.Tracing;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// What a request of <see cref="MiddlewareBenchmarks"/>' 2 KB page allocates, by type: the exact total per request
/// (<see cref="GC.GetTotalAllocatedBytes"/>) and the runtime's allocation ticks (one about every 100 KB, naming the type
/// that crossed the mark) summed per type, so the per-type figures are estimates of some percent.
/// <c>-- allocprobe on</c> for the tracked page, <c>-- allocprobe off</c> for the same pipeline without AutoTrack.
/// </summary>
internal static class AllocProbe
{
    private const int Invocations = 200_000; // of 16 requests each

    public static async Task RunAsync(bool tracked)
    {
        var benchmark = new MiddlewareBenchmarks();
        benchmark.Setup();
        Func<Task> run = tracked ? benchmark.Page2KB_Tracked : benchmark.Page2KB_WithoutMiddleware;
        for (var i = 0; i < Invocations / 10; i++)
            await run(); // tiered compilation settles first
        using var ticks = new AllocationTicks();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        ticks.Recording = true;
        for (var i = 0; i < Invocations; i++)
            await run();
        ticks.Recording = false;
        var requests = Invocations * 16.0;
        Console.WriteLine($"{(tracked ? "tracked" : "untracked")} 2 KB page: {(GC.GetTotalAllocatedBytes(precise: true) - before) / requests:F0} B allocated per request");
        foreach (var (type, bytes) in ticks.Snapshot().OrderByDescending(t => t.Value).Take(25))
            Console.WriteLine($"  {bytes / requests,8:F1} B  {type}");
        benchmark.Cleanup();
    }

    /// <summary>The runtime's <c>GCAllocationTick</c> events, summed by type while <see cref="Recording"/>.</summary>
    private sealed class AllocationTicks : EventListener
    {
        private readonly Dictionary<string, long> _bytes = [];

        public volatile bool Recording;

        public Dictionary<string, long> Snapshot()
        {
            lock (_bytes)
                return new Dictionary<string, long>(_bytes);
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (!Recording || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is not { } names)
                return;
            var type = names.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload![t] as string ?? "?" : "?";
            var bytes = names.IndexOf("AllocationAmount64") is var a and >= 0
                ? Convert.ToInt64(eventData.Payload![a], System.Globalization.CultureInfo.InvariantCulture)
                : 100_000;
            lock (_bytes)
                _bytes[type] = _bytes.GetValueOrDefault(type) + bytes;
        }
    }
}
