using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Diagnostics;

/// <summary>The per-kind views of the meter: one set of instruments, every delivery measurement tagged with its kind.</summary>
public class ThriveStackMetricsTests
{
    [Fact]
    public void ForKind_TagsEachMeasurement_FromAnyView()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var metrics = new ThriveStackMetrics(meters);
        using var dropped = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.dropped");

        metrics.Dropped(1, DropReasons.Invalid);
        metrics.ForKind(RecordKind.Identify).Dropped(2, DropReasons.Invalid);
        metrics.ForKind(RecordKind.Identify).ForKind(RecordKind.Group).Dropped(3, DropReasons.QueueFull);

        var byKind = dropped.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["kind"]!, m => (m.Value, (string)m.Tags["reason"]!));
        Assert.Equal((1L, DropReasons.Invalid), byKind["track"]);
        Assert.Equal((2L, DropReasons.Invalid), byKind["identify"]);
        Assert.Equal((3L, DropReasons.QueueFull), byKind["group"]);
        Assert.Same(metrics, metrics.ForKind(RecordKind.Group).ForKind(RecordKind.Track));
    }
}
