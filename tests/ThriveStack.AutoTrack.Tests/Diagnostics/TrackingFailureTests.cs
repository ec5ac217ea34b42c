using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Tests.Diagnostics;

public sealed class TrackingFailureTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger _logger = new();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Report_EveryFailureCounted_OneLineEvery10Seconds_WithTheSuppressedCount()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        using var dropped = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.dropped");
        var failure = TrackingFailure.OfPageVisit(new ThriveStackMetrics(meters), _time, _logger);

        for (var i = 0; i < 5; i++)
            failure.Report(new InvalidOperationException("boom"));
        _time.Advance(TimeSpan.FromSeconds(10));
        failure.Report(new InvalidOperationException("boom"));

        Assert.Equal(6, dropped.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], DropReasons.Error)).Sum(m => m.Value));
        var lines = _logger.Collector.GetSnapshot();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(LogEvents.PageVisitFailed, l.Id.Id));
        Assert.Contains("Similar messages suppressed since the last one: 4.", lines[1].Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(lines[0].Exception);
    }

    [Fact]
    public void OfTrack_LogsAnError()
    {
        var failure = TrackingFailure.OfTrack(new ThriveStackMetrics(_services.GetRequiredService<IMeterFactory>()), _time, _logger);

        failure.Report(new InvalidOperationException("boom"));

        var line = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal((LogEvents.TrackFailed, LogLevel.Error), (line.Id.Id, line.Level));
    }
}
