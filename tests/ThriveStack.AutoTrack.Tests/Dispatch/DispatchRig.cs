using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>
/// The dispatcher's parts wired as <see cref="EventDispatcher"/> wires them, on a fake clock with a memory backlog, so a
/// test can drive one part (the collector, the sender, the backlog writer) and look at the others.
/// </summary>
internal sealed class DispatchRig : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public DispatchRig(ThriveStackOptions? options = null)
    {
        Options = options ?? new ThriveStackOptions { BatchSize = 3, MaxQueueSize = 100 };
        var meters = _services.GetRequiredService<IMeterFactory>();
        Metrics = new ThriveStackMetrics(meters);
        Dropped = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.dropped");
        Sent = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.sent");
        Spooled = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.spooled");
        Stop = new StopState(Time);
        CollectorWake = new WakeSignal(Time);
        SenderWake = new WakeSignal(Time);
        Flush = new FlushTracker(() => Backlog!.Backlog.Count == 0 || !Gate!.State.IsOpen);
        Queue = new EventQueue(Options.MaxQueueSize, Flush, () => { CollectorWake.Set(); SenderWake.Set(); });
        Gate = new DeliveryGate(Options, Time, Logger, () => { CollectorWake.Set(); SenderWake.Set(); }, new Random(1));
        Backlog = new BacklogWriter(Options, Time, Metrics, Logger, Flush, Stop, SenderWake.Set);
        Handoff = new Handoff(CollectorWake, SenderWake);
    }

    public ThriveStackOptions Options { get; }
    public FakeTimeProvider Time { get; } = new();
    public FakeLogger Logger { get; } = new();
    public ThriveStackMetrics Metrics { get; }
    public MetricCollector<long> Dropped { get; }
    public MetricCollector<long> Sent { get; }
    public MetricCollector<long> Spooled { get; }
    public StopState Stop { get; }
    public WakeSignal CollectorWake { get; }
    public WakeSignal SenderWake { get; }
    public FlushTracker Flush { get; }
    public EventQueue Queue { get; }
    public DeliveryGate Gate { get; }
    public BacklogWriter Backlog { get; }
    public Handoff Handoff { get; }

    public long DroppedFor(string reason) => Dropped.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], reason)).Sum(m => m.Value);

    /// <summary>Queues events named <c>report_exported</c>, accepted now on the fake clock.</summary>
    public void Enqueue(int count, Func<int, ThriveStackEvent>? make = null)
    {
        for (var i = 0; i < count; i++)
        {
            var e = make?.Invoke(i) ?? new ThriveStackEvent("report_exported", "u" + i);
            e.AcceptedAt = AcceptClock.Now(Time);
            Assert.Null(Queue.TryEnqueue(e));
        }
    }

    public BatchCollector Collector(TimeSpan? flushInterval = null)
        => new(Queue, Handoff, Backlog, Gate, Flush, Stop, CollectorWake, Options, flushInterval ?? Options.FlushInterval, Time, Metrics, Logger);

    public void Dispose()
    {
        Backlog.Dispose();
        Stop.Dispose();
        _services.Dispose();
    }
}
